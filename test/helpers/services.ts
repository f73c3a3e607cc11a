import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/load.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createServices } from '../../src/services.ts';
import type { Database } from '../../src/storage/database.ts';
import { testEnv } from './env.ts';

/** Every domain service, wired as the server wires them, on `database` and `clock` (no HTTP). */
export function servicesOn(database: Database, clock: Clock) {
  return createServices({
    config: loadConfig(testEnv()),
    database,
    clock,
    ids: randomIds,
    logger: createLogger('silent'),
    masterKey: randomBytes(32),
  });
}
