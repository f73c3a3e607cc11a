import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const vettedBin = fileURLToPath(new URL('../../bin/vetted.js', import.meta.url));

export interface VettedProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout JSON log line that matches. */
  waitForLog(
    matches: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `vetted <args>` as its own process, the way an operator would. */
export function spawnVetted(
  args: string[],
  env: Record<string, string | undefined>,
  cwd = repoRoot,
): VettedProcess {
  return spawnLogged(process.execPath, [vettedBin, ...args], env, cwd);
}

/**
 * Runs `npm start` in the repository, exactly as the README's quick start does, in its own process group:
 * stop it with `stopProcessGroup`, which reaches npm and the server it started.
 */
export function spawnNpmStart(env: Record<string, string | undefined>): VettedProcess {
  return spawnLogged('npm', ['start'], env, repoRoot, true);
}

function spawnLogged(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  cwd: string,
  detached = false,
): VettedProcess {
  const child = spawn(command, args, { env, cwd, detached, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });

  function findLog(matches: (line: Record<string, unknown>) => boolean) {
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (matches(parsed)) return parsed;
    }
    return undefined;
  }

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLog(matches, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no matching log line within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const check = () => {
          const found = findLog(matches);
          if (found !== undefined) {
            finish();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(
              new Error(
                `vetted exited (${child.exitCode ?? child.signalCode}); stdout:\n${out}\nstderr:\n${err}`,
              ),
            );
          }
        };
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Starts `vetted serve` and resolves with its URL once it listens. */
export async function startVettedProcess(
  env: Record<string, string | undefined>,
  cwd = repoRoot,
): Promise<VettedProcess & { url: string }> {
  const running = spawnVetted(['serve'], env, cwd);
  const listening = await running.waitForLog((line) => line.msg === 'vetted listening');
  return Object.assign(running, { url: String(listening.url) });
}

/** Runs a vetted command to completion. */
export async function runVetted(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const running = spawnVetted(args, env);
  const { code } = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

export async function stopProcess(running: VettedProcess): Promise<void> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  await running.exited;
}

/** Stops a process started in its own group (`spawnNpmStart`) as Ctrl-C would, then for good after 10 s. */
export async function stopProcessGroup(running: VettedProcess): Promise<void> {
  const pid = running.child.pid;
  const alive = () => running.child.exitCode === null && running.child.signalCode === null;
  if (pid === undefined || !alive()) return;
  process.kill(-pid, 'SIGINT');
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  }, 10_000);
  await running.exited;
  clearTimeout(timer);
}
