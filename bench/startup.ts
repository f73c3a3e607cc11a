import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const vettedBin = fileURLToPath(new URL('../bin/vetted.js', import.meta.url));

/** A bare Node HTTP server: the floor any Node service's start-up time sits on. */
const baselineServer = `
const server = require('node:http').createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'vetted listening', url: 'http://127.0.0.1:' + server.address().port })));
`;

/** Milliseconds from spawning the process until its /readyz (or /) answers 200. */
async function timeToReady(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  path: string,
): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match =
          /"msg":"vetted listening".*?"url":"([^"]+)"|"url":"([^"]+)".*?"msg":"vetted listening"/.exec(out);
        if (match) resolve(match[1] ?? match[2] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    for (;;) {
      const response = await fetch(`${url}${path}`).catch(() => undefined);
      if (response?.status === 200) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill('SIGKILL');
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Cold start on a fresh data folder (migrations, key generation) and warm start on an existing one. */
export async function benchStartup(runs = 5) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VETTED_')));
  const baseline: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cwd = mkdtempSync(join(tmpdir(), 'vetted-bench-'));
    try {
      baseline.push(await timeToReady(['-e', baselineServer], env, cwd, '/'));
      const vettedEnv = { ...env, VETTED_PORT: '0', VETTED_HOST: '127.0.0.1', VETTED_LOG_LEVEL: 'info' };
      cold.push(await timeToReady([vettedBin, 'serve'], vettedEnv, cwd, '/readyz'));
      warm.push(await timeToReady([vettedBin, 'serve'], vettedEnv, cwd, '/readyz'));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }
  const result = {
    scenario: 'startup',
    runs,
    baseline_node_http_ms: Math.round(median(baseline)),
    cold_start_ms: Math.round(median(cold)),
    warm_start_ms: Math.round(median(warm)),
    cold_ratio_to_baseline: Number((median(cold) / median(baseline)).toFixed(2)),
    target_ms: 3000,
  };
  return { ...result, pass: result.cold_start_ms < result.target_ms };
}
