import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder for one test's data. */
export function tempDir(prefix = 'vetted-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function randomMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Environment for a Vetted process or config under test: quiet, on a free port, with its own data folder and
 * master key. The parent's VETTED_* variables are not inherited.
 */
export function testEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VETTED_')),
  );
  return {
    ...inherited,
    VETTED_HOST: '127.0.0.1',
    VETTED_PORT: '0',
    VETTED_LOG_LEVEL: 'silent',
    VETTED_DATA_DIR: tempDir(),
    VETTED_MASTER_KEY: randomMasterKey(),
    // The development demo makes an application at start-up; tests that want it ask for it.
    VETTED_DEMO: 'false',
    ...overrides,
  };
}
