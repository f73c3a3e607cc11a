import type { Kysely } from 'kysely';
import { loadConfig } from '../config/load.ts';
import { loadMasterKey } from '../keys/master-key.ts';
import { systemClock } from '../lib/clock.ts';
import { randomIds } from '../lib/ids.ts';
import { createLogger } from '../lib/logger.ts';
import { createServices, type Services } from '../services.ts';
import { openDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import type { Schema } from '../storage/schema.ts';

/**
 * Like `withServices` (context.ts), for the commands that also need a repository the services do not expose
 * (e.g. the communities repository's `update`): the database (migrated) and the services over it, always
 * closed afterwards.
 */
export async function withServicesAndDatabase<T>(
  run: (services: Services, db: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const masterKey = await loadMasterKey(config.masterKey);
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database);
    const services = createServices({
      config,
      database,
      clock: systemClock,
      ids: randomIds,
      logger,
      masterKey,
    });
    return await run(services, database.db);
  } finally {
    await database.close();
  }
}
