import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startupBanner } from '../../src/startup-banner.ts';
import { tempDir, testEnv } from '../helpers/env.ts';
import { freePort } from '../helpers/oidc.ts';
import { spawnVetted, startVettedProcess, stopProcess, type VettedProcess } from '../helpers/process.ts';

describe('vetted serve as a process', () => {
  const started: VettedProcess[] = [];
  afterEach(async () => {
    for (const running of started.splice(0)) await stopProcess(running);
  });

  it('starts on a fresh folder with no configuration: creates ./data/, a private master key and the database', async () => {
    const cwd = tempDir('vetted-fresh-');
    const env = testEnv({
      VETTED_LOG_LEVEL: 'info',
      VETTED_DATA_DIR: undefined,
      VETTED_MASTER_KEY: undefined,
    });
    const running = await startVettedProcess(env, cwd);
    started.push(running);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    expect(existsSync(join(cwd, 'data', 'vetted.db'))).toBe(true);
    expect(statSync(join(cwd, 'data', 'master.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(cwd, 'data')).mode & 0o077).toBe(0);
  });

  it('ends its start-up with one human line per page on stderr, the setup code among them; stdout stays JSON', async () => {
    const port = await freePort();
    const running = await startVettedProcess(
      testEnv({ VETTED_LOG_LEVEL: 'info', VETTED_PORT: String(port) }),
    );
    started.push(running);
    const setup = await running.waitForLog((line) => typeof line.setupCode === 'string');
    const code = String(setup.setupCode);
    const expected = startupBanner({
      baseUrl: `http://localhost:${port}`,
      env: 'development',
      setupCode: code,
    });
    await expect.poll(() => running.stderr()).toContain(expected.at(-1));
    expect(running.stderr()).toBe(`${expected.join('\n')}\n`);
    expect(running.stderr()).toContain(`  Home page:          http://localhost:${port}/\n`);
    for (const line of running.stdout().trim().split('\n')) expect(line.startsWith('{')).toBe(true);
    expect((await fetch(`${running.url}/`)).status).toBe(200);
  });

  it('prints no banner in production, only the JSON logs (the setup line among them)', async () => {
    const running = await startVettedProcess(
      testEnv({
        VETTED_LOG_LEVEL: 'info',
        VETTED_ENV: 'production',
        VETTED_SMTP_URL: 'smtp://mail.example:587',
        VETTED_BASE_URL: 'https://id.example',
      }),
    );
    started.push(running);
    const setup = await running.waitForLog((line) => typeof line.setupCode === 'string');
    expect(String(setup.msg)).toContain('open https://id.example/setup and enter the code');
    expect(running.stderr()).toBe('');
  });

  it.each([
    [{ VETTED_PORT: 'abc' }, 'VETTED_PORT: must be a whole number from 0 to 65535 (got "abc")'],
    [
      {
        VETTED_ENV: 'production',
        VETTED_SMTP_URL: 'smtp://mail.example:587',
        VETTED_MASTER_KEY: undefined,
        VETTED_BASE_URL: 'https://id.example',
      },
      'VETTED_MASTER_KEY: required in production',
    ],
    [
      {
        VETTED_ENV: 'production',
        VETTED_SMTP_URL: 'smtp://mail.example:587',
        VETTED_DATABASE_URL: 'sqlite::memory:',
      },
      'VETTED_DATABASE_URL: an in-memory database',
    ],
    [
      {
        VETTED_ENV: 'production',
        VETTED_SMTP_URL: 'smtp://mail.example:587',
        VETTED_BASE_URL: 'http://id.example.com',
      },
      'VETTED_BASE_URL: must use https://',
    ],
    [{ VETTED_MASTER_KEY: 'too-short' }, 'VETTED_MASTER_KEY: must be 32 random bytes'],
  ])('refuses bad configuration %j with a one-line reason and exit code 78', async (overrides, reason) => {
    const running = spawnVetted(['serve'], testEnv({ VETTED_LOG_LEVEL: 'info', ...overrides }));
    const { code } = await running.exited;
    expect(code).toBe(78);
    const lines = running.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(reason);
    expect(running.stderr()).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('exits non-zero with a clear reason when the database cannot be reached', async () => {
    const env = testEnv({
      VETTED_LOG_LEVEL: 'silent',
      VETTED_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    const running = spawnVetted(['serve'], env);
    const { code } = await running.exited;
    expect(code).toBe(1);
    expect(running.stderr()).toMatch(/^vetted: could not start: .*ECONNREFUSED/);
  });
});
