import { spawn, type ChildProcess } from 'node:child_process';
import { loadConfig, type Config } from '../../src/config/load.ts';
import { loadMasterKey } from '../../src/keys/master-key.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createServices, type Services } from '../../src/services.ts';
import { openDatabase, type Database } from '../../src/storage/database.ts';
import { testEnv } from '../helpers/env.ts';
import { freePort } from '../helpers/oidc.ts';
import { repoRoot, vettedBin } from '../helpers/process.ts';

/**
 * The server under test: `vetted serve` in a child process (so that a request that kills the process is seen
 * as the process's exit, and one that blocks its event loop as a timeout here), on a real SQLite file. Its
 * log (trace level, JSON lines on stdout) is kept line by line so each case's lines can be checked.
 */
export interface FuzzServer {
  readonly url: string;
  readonly config: Readonly<Config>;
  /** Services of this process on the same database and master key, for seeding (never for the cases). */
  readonly services: Services;
  /** Log lines written since the last call (each a raw JSON line). */
  takeLogLines(): string[];
  /** Resolves once the access-log line of this request id has been written, false after `timeoutMs`. */
  waitForRequestId(requestId: string, timeoutMs: number): Promise<boolean>;
  /** Why the process ended (undefined while it runs), with the end of its stderr. */
  death(): string | undefined;
  /** Starts the process again on the same port, database, data folder and keys (after a crash). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Child {
  takeLogLines(): string[];
  waitFor(test: (line: string) => boolean, timeoutMs: number): Promise<boolean>;
  death(): string | undefined;
  kill(): Promise<void>;
}

async function spawnServer(env: Record<string, string | undefined>): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, [vettedBin, 'serve'], {
    env,
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let pending = '';
  let lines: string[] = [];
  let stderr = '';
  let ended: string | undefined;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    lines.push(...complete.filter((line) => line !== ''));
    wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      ended = `vetted exited (code ${code}, signal ${signal}); stderr:\n${stderr}`;
      wake();
      resolve();
    }),
  );

  function waitFor(test: (line: string) => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (lines.some(test)) finish(true);
        else if (ended !== undefined) finish(false);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (found: boolean) => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  }

  const kill = async () => {
    if (ended === undefined) child.kill('SIGKILL');
    await exited;
  };
  if (!(await waitFor((line) => line.includes('"vetted listening"'), 30_000))) {
    await kill();
    throw new Error(`the server did not start: ${ended ?? stderr}`);
  }
  lines = [];
  return {
    takeLogLines() {
      const taken = lines;
      lines = [];
      return taken;
    },
    waitFor,
    death: () => ended,
    kill,
  };
}

export async function startFuzzServer(): Promise<FuzzServer> {
  const port = await freePort();
  const env = testEnv({
    VETTED_PORT: String(port),
    VETTED_BASE_URL: `http://127.0.0.1:${port}`,
    VETTED_LOG_LEVEL: 'trace',
  });
  const config = loadConfig(env);
  let child = await spawnServer(env);
  const database: Database = await openDatabase(config.database);
  const services = createServices({
    config,
    database,
    clock: systemClock,
    ids: randomIds,
    logger: createLogger('silent'),
    masterKey: await loadMasterKey(config.masterKey),
  });

  return {
    url: config.baseUrl,
    config,
    services,
    takeLogLines: () => child.takeLogLines(),
    waitForRequestId: (requestId, timeoutMs) =>
      child.waitFor(
        (line) => line.includes(`"requestId":"${requestId}"`) && line.includes('"msg":"request"'),
        timeoutMs,
      ),
    death: () => child.death(),
    async restart() {
      await child.kill();
      child = await spawnServer(env);
    },
    async stop() {
      await services.close();
      await database.close();
      await child.kill();
    },
  };
}
