import { createAuditRepository } from './audit/audit-repository.ts';
import { createAuditService } from './audit/audit-service.ts';
import type { Config } from './config/load.ts';
import { createSecretBox } from './keys/secret-box.ts';
import { createSigningKeyRepository } from './keys/signing-key-repository.ts';
import { createSigningKeyService } from './keys/signing-keys.ts';
import type { Clock } from './lib/clock.ts';
import type { IdGenerator } from './lib/ids.ts';
import type { Logger } from './lib/logger.ts';
import type { Database } from './storage/database.ts';
import { pendingMigrations } from './storage/migrate.ts';

export interface ServiceDeps {
  config: Readonly<Config>;
  database: Database;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  masterKey: Buffer;
}

/** The one composition root: every domain service, wired from plain dependencies. */
export function createServices(deps: ServiceDeps) {
  const { config, database, clock, ids, logger, masterKey } = deps;
  const audit = createAuditService({ repository: createAuditRepository(database.db), clock, ids });
  const keys = createSigningKeyService({
    repository: createSigningKeyRepository(database.db),
    box: createSecretBox(masterKey, 'signing-keys'),
    clock,
    audit,
    cacheSeconds: config.keyCacheSeconds,
  });
  return { config, clock, ids, logger, audit, keys, health: createHealth(database) };
}

export type Services = ReturnType<typeof createServices>;

/** Whether this instance should receive traffic: database reachable, schema current, not shutting down. */
function createHealth(database: Database) {
  let draining = false;
  return {
    isDraining: () => draining,
    startDraining() {
      draining = true;
    },
    async check(): Promise<string | undefined> {
      if (draining) return 'shutting_down';
      try {
        await database.ping();
      } catch {
        return 'database_unreachable';
      }
      const pending = await pendingMigrations(database).catch(() => ['(unknown)']);
      return pending.length === 0 ? undefined : 'migrations_pending';
    },
  };
}
