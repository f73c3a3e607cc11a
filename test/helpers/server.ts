import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config/load.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { testEnv } from './env.ts';

export interface TestServer extends RunningServer {
  config: Readonly<Config>;
  env: Record<string, string | undefined>;
  /** Every log line the server wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The raw log output. */
  logText(): string;
}

/** Starts the real server in this process on a free port, against a fresh SQLite file unless told otherwise. */
export async function startTestServer(
  overrides: Record<string, string | undefined> = {},
  options: { clock?: Clock } = {},
): Promise<TestServer> {
  const env = testEnv({ VETTED_LOG_LEVEL: 'trace', ...overrides });
  const config = loadConfig(env);
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const running = await startServer(config, { ...options, logger: createLogger(config.logLevel, sink) });
  return {
    ...running,
    config,
    env,
    get logs() {
      return chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => chunks.join(''),
  };
}
