import { createAccountService } from './accounts/account-service.ts';
import { createOneTimeCodeRepository } from './accounts/one-time-code-repository.ts';
import { createOneTimeCodeService } from './accounts/one-time-codes.ts';
import { createUserRepository } from './accounts/user-repository.ts';
import { createAttributeService } from './attributes/attribute-service.ts';
import { createAuditRepository } from './audit/audit-repository.ts';
import { createAuditService } from './audit/audit-service.ts';
import type { Config } from './config/load.ts';
import { createCookieSigner } from './keys/cookie-signer.ts';
import { createSecretBox, deriveKey } from './keys/secret-box.ts';
import { createSigningKeyRepository } from './keys/signing-key-repository.ts';
import { createSigningKeyService } from './keys/signing-keys.ts';
import { createTokenHasher } from './keys/token-hasher.ts';
import type { Clock } from './lib/clock.ts';
import type { IdGenerator } from './lib/ids.ts';
import type { Logger } from './lib/logger.ts';
import { createMailer } from './mail/mailer.ts';
import { createSweeper } from './maintenance/sweeper.ts';
import { createOutboxRepository } from './mail/outbox-repository.ts';
import { createModelRepository } from './oidc/model-repository.ts';
import { createApplicationRepository } from './partners/application-repository.ts';
import { createApplicationService, standardScopes } from './partners/application-service.ts';
import { createDatabaseRateLimiter } from './rate-limits/database-rate-limiter.ts';
import type { Database } from './storage/database.ts';
import { pendingMigrations } from './storage/migrate.ts';
import { createCommunityRepository } from './verification/community-repository.ts';
import { createCommunityService } from './verification/community-service.ts';
import { createVerificationRepository } from './verification/verification-repository.ts';
import { createVerificationService } from './verification/verification-service.ts';

const HOUR_MS = 3_600_000;
const SWEEP_INTERVAL_MS = 10 * 60_000;

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
  const { db } = database;
  const audit = createAuditService({ repository: createAuditRepository(db), clock, ids });
  const keys = createSigningKeyService({
    repository: createSigningKeyRepository(db),
    box: createSecretBox(masterKey, 'signing-keys'),
    clock,
    audit,
    cacheSeconds: config.keyCacheSeconds,
  });
  const communities = createCommunityService({
    repository: createCommunityRepository(db),
    clock,
    cacheSeconds: config.keyCacheSeconds,
  });
  const verification = createVerificationService({
    repository: createVerificationRepository(db),
    communities,
    audit,
    clock,
    ids,
  });
  const codeRepository = createOneTimeCodeRepository(db);
  const rateLimiter = createDatabaseRateLimiter(db, clock);
  const accounts = createAccountService({
    users: createUserRepository(db),
    codes: createOneTimeCodeService({ repository: codeRepository, masterKey, clock, ids }),
    mailer: createMailer(config, db, { clock, ids }),
    audit,
    clock,
    rateLimiter,
    logger,
  });
  const hasher = createTokenHasher(masterKey);
  const applications = createApplicationService({
    repository: createApplicationRepository(db),
    hasher,
    clock,
    ids,
    audit,
    knownScopes: async () => new Set([...standardScopes, ...(await communities.handles())]),
  });
  const attributes = createAttributeService({ accounts, applications, verification, clock });
  const oidcModels = createModelRepository(db);
  const sweeper = createSweeper({
    clock,
    logger,
    intervalMs: SWEEP_INTERVAL_MS,
    tasks: [
      { name: 'oidc_models', run: (now) => oidcModels.sweepExpired(now) },
      { name: 'one_time_codes', run: (now) => codeRepository.deleteExpired(now) },
      // Sign-in failure counters are forgotten after a day without failures (rate-limits/sign-in-guard.ts).
      { name: 'rate_limits', run: () => rateLimiter.deleteStale(25 * HOUR_MS) },
    ],
  });
  return {
    config,
    clock,
    ids,
    logger,
    audit,
    keys,
    communities,
    verification,
    accounts,
    applications,
    attributes,
    hasher,
    oidcModels,
    sweeper,
    outbox: createOutboxRepository(db),
    /** Signs cookies with a key derived from the master key, the same on every instance. */
    cookieSigner: createCookieSigner([deriveKey(masterKey, 'cookies').toString('base64url')]),
    health: createHealth(database),
  };
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
