// The README's quick start on a fresh clone, the way a newcomer runs it: the machine's own node first on PATH
// (Debian's Node 20 at /usr/bin/node here), nothing sourced, `npm install`, then `npm start` until /healthz
// answers, `npx vetted --help`, and `npm run typecheck`, the first step of `npm test` (the whole `npm test`
// would run this file again inside itself, and take minutes).
//
// NEEDS THE NPM REGISTRY (or a warm npm cache): `npm install` fetches every dependency, Node.js 24 included.
// Without the registry the suite is skipped, except in CI, where it fails. It clones HEAD: uncommitted changes
// are not tested. On a machine without a Node older than the project's minimum, it runs with whatever node is
// first on PATH, and so proves less (its title says which node it used).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomMasterKey } from '../helpers/env.ts';
import { repoRoot } from '../helpers/process.ts';
import { describeRequiring } from '../helpers/requirements.ts';

const run = promisify(execFile);

/** PATH without what `npm test` put in front (node_modules/.bin, npm's node-gyp-bin), the machine's node first. */
function machinePath(): string {
  const entries = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => entry !== '' && !entry.includes('node_modules'));
  return (existsSync('/usr/bin/node') ? ['/usr/bin', ...entries] : entries).join(delimiter);
}

/** The environment of a shell on this machine: none of the outer npm's or Vetted's variables. */
const env: Record<string, string | undefined> = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(npm_|VETTED_)/i.test(name) && !['INIT_CWD', 'NODE', 'NODE_OPTIONS'].includes(name),
    ),
  ),
  PATH: machinePath(),
};

const machineNode = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim() || 'none';
const ping = spawnSync('npm', ['ping'], { env, encoding: 'utf8', timeout: 20_000 });
const registryMissing =
  ping.status === 0
    ? undefined
    : `the npm registry does not answer (npm ping: ${ping.stderr.trim().split('\n').pop()})`;

describeRequiring(
  `a fresh clone with the machine's node (${machineNode}) first on PATH, following the README`,
  registryMissing,
  () => {
    let clone = '';
    let dataDir = '';

    beforeAll(async () => {
      clone = mkdtempSync(join(tmpdir(), 'vetted-clone-'));
      dataDir = mkdtempSync(join(tmpdir(), 'vetted-clone-data-'));
      await run('git', ['clone', '--quiet', repoRoot, clone], { env });
      await run('npm', ['install'], { cwd: clone, env, maxBuffer: 16 * 1024 * 1024, timeout: 180_000 });
    }, 200_000);

    afterAll(() => {
      for (const dir of [clone, dataDir]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    it('runs npm scripts on a Node.js that runs TypeScript, whatever the machine has', async () => {
      const { stdout } = await run('npm', ['exec', '--', 'node', '-p', 'process.features.typescript'], {
        cwd: clone,
        env,
      });
      // 'strip' (or 'transform') on 22.18 and later; false or undefined on the Node 20 the machine has here.
      expect(stdout.trim()).toMatch(/^(strip|transform)$/);
    });

    it('`npm start` serves until it is stopped', async () => {
      const child = spawn('npm', ['start'], {
        cwd: clone,
        env: {
          ...env,
          VETTED_HOST: '127.0.0.1',
          VETTED_PORT: '0',
          VETTED_DATA_DIR: dataDir,
          VETTED_MASTER_KEY: randomMasterKey(),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group, so that stopping it stops the server under npm and sh too
      });
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`no "vetted listening" in 60 s: ${out}`)), 60_000);
          const read = (chunk: Buffer): void => {
            out += chunk.toString('utf8');
            // The listening line's url (other lines, such as the demo shop's, carry URLs of the base URL).
            const match = /"url":"(http:[^"]+)"[^\n]*"msg":"vetted listening"/.exec(out);
            if (match?.[1] === undefined) return;
            clearTimeout(timer);
            resolve(match[1]);
          };
          child.stdout.on('data', read);
          child.stderr.on('data', read);
          child.once('close', (code) => reject(new Error(`npm start exited with ${String(code)}: ${out}`)));
        });
        const health = await fetch(`${url}/healthz`);
        expect(health.status).toBe(200);
      } finally {
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
        await closed;
      }
    }, 90_000);

    it('`npx vetted --help` lists the commands', async () => {
      const { stdout } = await run('npx', ['vetted', '--help'], { cwd: clone, env });
      expect(stdout).toContain('Usage: vetted');
    });

    it("`node bin/vetted.js` started by the machine's node runs, and keeps its exit code", async () => {
      // With an older node, bin/vetted.js runs itself again with the Node.js 24 that npm install brought.
      const { stdout } = await run('node', ['bin/vetted.js', '--help'], { cwd: clone, env });
      expect(stdout).toContain('Usage: vetted');
      const unknown = spawnSync('node', ['bin/vetted.js', 'no-such-command'], {
        cwd: clone,
        env,
        encoding: 'utf8',
      });
      expect(unknown.status).not.toBe(0);
      expect(unknown.stderr).toContain('no-such-command');
    });

    it("`npm test`'s first step, the type check, passes", async () => {
      await run('npm', ['run', 'typecheck'], { cwd: clone, env, maxBuffer: 16 * 1024 * 1024 });
    }, 120_000);
  },
);
