import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/env.ts';
import { repoRoot } from '../helpers/process.ts';

// Inside node_modules/ so the compiled files resolve the project's dependencies, and never committed.
const outDir = join(repoRoot, 'node_modules', '.cache', `vetted-build-test-${process.pid}`);

describe('the production build', () => {
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('compiles to JavaScript that starts and serves without TypeScript support', async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = promisify(execFile);
    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: repoRoot });
    await run(
      process.execPath,
      ['--experimental-strip-types', 'scripts/copy-static.ts', relative(repoRoot, outDir)],
      {
        cwd: repoRoot,
      },
    );
    const child = spawn(process.execPath, ['--no-experimental-strip-types', join(outDir, 'main.js')], {
      env: testEnv({ VETTED_LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const match = /"url":"(http:[^"]+)"/.exec(out);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
