import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const vettedBin = fileURLToPath(new URL('../bin/vetted.js', import.meta.url));

export interface BenchServer {
  url: string;
  stop(): void | Promise<void>;
}

function waitForMatch(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = pattern.exec(out);
      if (match?.[1] !== undefined) resolve(match);
    });
    child.once('exit', (code) => {
      reject(new Error(`server exited with ${code}: ${out}`));
    });
  });
}

/** The floor: a bare node:http server answering "ok", in its own process like Vetted. */
export async function startFloorServer(): Promise<BenchServer> {
  const source = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () {
    console.log('listening http://127.0.0.1:' + this.address().port);
  });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [, url = ''] = await waitForMatch(child, /listening (http:\/\/\S+)/);
  return {
    url,
    stop: () => {
      child.kill('SIGKILL');
    },
  };
}

/**
 * The reference: upstream oidc-provider with minimal glue (reference-provider.ts), in its own process, with
 * a signed-in user who consented. Its output names the client and the user's cookie.
 */
export async function startReference(): Promise<
  BenchServer & { clientId: string; clientSecret: string; cookie: string }
> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vetted-bench-reference-'));
  const script = fileURLToPath(new URL('./reference-provider.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', script, join(dataDir, 'reference.db')],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const [, url = '', json = '{}'] = await waitForMatch(child, /listening (http:\/\/\S+) (\{.*\})\n/);
  const details = JSON.parse(json) as { clientId: string; clientSecret: string; cookie: string };
  return {
    url,
    ...details,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Vetted as an operator runs it: its own process, a fresh SQLite data folder, quiet logs. */
export async function startVetted(
  extraEnv: Record<string, string> = {},
): Promise<BenchServer & { env: NodeJS.ProcessEnv; vetted: (args: string[]) => Promise<string> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vetted-bench-'));
  const probe = await startFloorServer();
  const port = new URL(probe.url).port;
  await probe.stop();
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VETTED_'))),
    VETTED_DATA_DIR: dataDir,
    VETTED_HOST: '127.0.0.1',
    VETTED_PORT: port,
    VETTED_BASE_URL: `http://127.0.0.1:${port}`,
    VETTED_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const vetted = async (args: string[]) =>
    (await promisify(execFile)(process.execPath, [vettedBin, ...args], { env })).stdout;
  await vetted(['migrate']);
  // Request logs off (warn): the floor logs nothing either.
  // BENCH_PROFILE_DIR=<folder> writes a V8 CPU profile of the server (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE_DIR;
  const profiling = profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profile];
  const child = spawn(process.execPath, [...profiling, vettedBin, 'serve'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await fetch(`${env.VETTED_BASE_URL}/readyz`).catch(() => undefined);
    if (ready?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: env.VETTED_BASE_URL,
    env,
    vetted,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // A graceful stop lets the profiler write its file.
      child.kill(profile === undefined ? 'SIGKILL' : 'SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
