import { loadConfig } from '../config/load.ts';
import { loadMasterKey } from '../keys/master-key.ts';
import { systemClock } from '../lib/clock.ts';
import { randomIds } from '../lib/ids.ts';
import { createLogger } from '../lib/logger.ts';
import { createServices, type Services } from '../services.ts';
import { openDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';

export interface JsonOption {
  json?: boolean;
}

export function print(data: unknown, json: boolean | undefined, human: () => string): void {
  process.stdout.write(json === true ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** Opens the database (migrated) and the services for one command, and always closes them. */
export async function withServices<T>(
  run: (services: Services, applied: string[]) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const masterKey = await loadMasterKey(config.masterKey);
  const database = await openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database);
    const services = createServices({
      config,
      database,
      clock: systemClock,
      ids: randomIds,
      logger,
      masterKey,
    });
    try {
      return await run(services, applied);
    } finally {
      await services.close();
    }
  } finally {
    await database.close();
  }
}
