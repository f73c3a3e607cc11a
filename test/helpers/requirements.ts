import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe } from 'vitest';

/** True in CI, where .ci/run installs the machine's packages, so a missing one is a failure, not a skip. */
export const inCI = (process.env.CI ?? '') !== '' && process.env.CI !== 'false';

/** Why `program` cannot run (it is missing, or it fails with `args`), or undefined when it can. */
export function missingProgram(program: string, args: string[], what: string): string | undefined {
  if (!existsSync(program)) return `${what} is not installed (${program} not found)`;
  const probe = spawnSync(program, args, {
    encoding: 'utf8',
    timeout: 15_000,
    env: { PATH: '/usr/bin:/bin' },
  });
  if (probe.status === 0) return undefined;
  const detail = (probe.stderr || probe.error?.message || `exit ${String(probe.status)}`)
    .trim()
    .split('\n')
    .pop();
  return `${what} is not available (${program} ${args.join(' ')}: ${detail ?? 'failed'})`;
}

/**
 * Declares a suite that needs something from the machine (Chromium, Debian's Python packages). Without it the
 * suite is skipped with the reason in its title and on stderr; in CI it runs and fails on the missing piece.
 */
export function describeRequiring(title: string, missing: string | undefined, suite: () => void): void {
  if (missing !== undefined && !inCI) {
    process.stderr.write(`\n[${title}] skipped: ${missing}\n`);
    describe.skip(`${title} (skipped: ${missing})`, suite);
    return;
  }
  describe(title, () => {
    beforeAll(() => {
      if (missing !== undefined) throw new Error(`${missing}; .ci/run installs it in CI`);
    });
    suite();
  });
}
