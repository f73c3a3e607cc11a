import { ConfigError, loadConfig, unknownSettings } from './config/load.ts';
import { createLogger } from './lib/logger.ts';
import { startServer } from './server.ts';

/** Exit code for bad configuration (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

/** Runs the server until SIGTERM or SIGINT, then shuts down gracefully and exits 0. */
export async function serve(env: Record<string, string | undefined> = process.env): Promise<void> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`vetted: invalid configuration: ${problem}\n`);
    process.exit(EXIT_CONFIG);
  }
  const logger = createLogger(config.logLevel);
  for (const name of unknownSettings(env)) logger.warn({ name }, 'unknown setting ignored (a typo?)');

  let running;
  try {
    running = await startServer(config, { logger });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal({ err: error }, 'start-up failed');
    process.stderr.write(`vetted: could not start: ${message}\n`);
    process.exit(error instanceof ConfigError ? EXIT_CONFIG : 1);
  }
  // Human lines on stderr, so that stdout stays one JSON object a line for log collectors.
  if (running.banner.length > 0) process.stderr.write(`${running.banner.join('\n')}\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
