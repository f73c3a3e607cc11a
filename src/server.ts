import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { Config } from './config/load.ts';
import { describeConfig } from './config/load.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { loadMasterKey } from './keys/master-key.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { randomIds, type IdGenerator } from './lib/ids.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createServices, type Services } from './services.ts';
import { setupLine, startupBanner } from './startup-banner.ts';
import { openDatabase } from './storage/database.ts';
import { migrateToLatest } from './storage/migrate.ts';
import { ensureDemoShop } from './partners/demo-shop.ts';

export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  readonly services: Services;
  /** Human lines for the terminal (startup-banner.ts): serve() writes them to stderr; none in production. */
  readonly banner: readonly string[];
  /**
   * Stops accepting, lets in-flight requests finish (bounded by the shutdown timeout), closes the services'
   * own connections (Redis) and the database.
   */
  stop(): Promise<void>;
}

/** main.ts in a function: config → database → migrations → services → app → listening. */
export async function startServer(
  config: Readonly<Config>,
  options: { logger?: Logger; clock?: Clock; ids?: IdGenerator } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const masterKey = await loadMasterKey(config.masterKey);
  const database = await openDatabase(config.database, (error) => {
    logger.error({ err: error }, 'database error');
  });
  let opened: Services | undefined;
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const services = createServices({
      config,
      database,
      clock: options.clock ?? systemClock,
      ids: options.ids ?? randomIds,
      logger,
      masterKey,
    });
    opened = services;
    await services.keys.ensureKeys();
    if (config.demo) {
      await ensureDemoShop({
        accounts: services.accounts,
        organizations: services.organizations,
        applications: services.applications,
        communities: () => services.communities.list(),
        logger,
        baseUrl: config.baseUrl,
      });
    }
    // While no administrator exists, this instance's own setup code (the others' stay valid).
    const setup = await services.firstRunSetup.prepare();
    services.sweeper.start();
    const handle = createApp(services).callback();
    // Koa's handler answers its own errors; the promise it returns carries nothing more.
    const server = createServer((request, response) => void handle(request, response));
    answerClientErrors(server, logger);
    await listen(server, config.port, config.host);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    logger.info({ url, baseUrl: config.baseUrl, config: describeConfig(config) }, 'vetted listening');
    // A one-time secret in the log, as Authentik and Keycloak do: only whoever reads this log may set up.
    if (setup !== undefined) {
      logger.info(
        { setupUrl: `${config.baseUrl}/setup`, setupCode: setup.code },
        setupLine(config.baseUrl, setup.code),
      );
    }
    return {
      url,
      server,
      services,
      banner: startupBanner({
        baseUrl: config.baseUrl,
        env: config.env,
        demo: config.demo,
        setupCode: setup?.code,
      }),
      stop: () => stopServer(server, services, () => database.close(), config.shutdownTimeoutMs, logger),
    };
  } catch (error) {
    await opened?.close();
    await database.close();
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function stopServer(
  server: Server,
  services: Services,
  closeDatabase: () => Promise<void>,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  services.health.startDraining();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
  );
  if ((await Promise.race([closed, timedOut])) === 'timeout') {
    logger.warn({ timeoutMs }, 'shutdown timeout reached; closing remaining connections');
    server.closeAllConnections();
    await closed;
  }
  clearTimeout(timer);
  await services.sweeper.stop();
  await services.close();
  await closeDatabase();
}
