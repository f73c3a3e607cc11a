import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsAccepted, ensureRegistered } from '../../examples/partner-shop/src/registration.ts';
import type { Credentials } from '../../examples/partner-shop/src/shop.ts';
import { tempDir, testEnv } from '../helpers/env.ts';
import { registerApp } from '../helpers/oidc.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The shop registers itself through the real `vetted apps create` (a child process, as `npm run shop` does)
 * against a temporary data folder, and keeps the credentials for the next start.
 */
describe('the partner shop registering itself with the CLI', () => {
  const env = testEnv();
  const vettedUrl = 'http://localhost:3000';
  let server: TestServer;

  // The real server on the same data folder and master key, to check that the CLI's app exists there.
  beforeAll(async () => {
    server = await startTestServer({
      VETTED_DATA_DIR: env.VETTED_DATA_DIR,
      VETTED_MASTER_KEY: env.VETTED_MASTER_KEY,
    });
  });
  afterAll(() => server.stop());

  it('registers once, saves the credentials with mode 0600, reuses them, and registers again for a new redirect URI', async () => {
    const file = join(tempDir('partner-shop-'), '.vetted-app.json');
    const redirectUri = 'http://localhost:4000/callback';

    const first = await ensureRegistered({ vettedUrl, redirectUri, file, env });
    expect(first).toEqual({
      clientId: expect.stringMatching(/^[0-9a-f]{32}$/),
      clientSecret: expect.any(String),
      registered: true,
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      clientId: first.clientId,
      clientSecret: first.clientSecret,
      vettedUrl,
      redirectUri,
    });
    const application = await server.services.applications.findByClientId(first.clientId);
    expect(application).toMatchObject({
      name: 'Partner Shop',
      clientType: 'confidential',
      mode: 'production',
      redirectUris: [redirectUri],
      allowedScopes: ['military', 'responder'],
    });
    expect(await credentialsAccepted(server.url, first)).toBe(true);

    const second = await ensureRegistered({ vettedUrl, redirectUri, file, env });
    expect(second).toEqual({ ...first, registered: false });

    const moved = await ensureRegistered({
      vettedUrl,
      redirectUri: 'http://localhost:4100/callback',
      file,
      env,
    });
    expect(moved.registered).toBe(true);
    expect(moved.clientId).not.toBe(first.clientId);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      clientId: moved.clientId,
      redirectUri: 'http://localhost:4100/callback',
    });

    const otherVetted = await ensureRegistered({
      vettedUrl: 'http://127.0.0.1:3000',
      redirectUri: 'http://localhost:4100/callback',
      file,
      env,
    });
    expect(otherVetted.registered).toBe(true);
  });

  it('registers again when Vetted no longer accepts the saved credentials (its data was reset)', async () => {
    const file = join(tempDir('partner-shop-'), '.vetted-app.json');
    const redirectUri = 'http://localhost:4000/callback';
    const stillValid = (credentials: Credentials) => credentialsAccepted(server.url, credentials);
    const first = await ensureRegistered({ vettedUrl, redirectUri, file, env, stillValid });
    expect(first.registered).toBe(true);
    expect(await ensureRegistered({ vettedUrl, redirectUri, file, env, stillValid })).toEqual({
      ...first,
      registered: false,
    });

    // What a reset ./data leaves behind: a saved app this Vetted has never heard of.
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    writeFileSync(file, JSON.stringify({ ...saved, clientId: 'f'.repeat(32) }), { mode: 0o600 });
    expect(await credentialsAccepted(server.url, { ...first, clientId: 'f'.repeat(32) })).toBe(false);
    const again = await ensureRegistered({ vettedUrl, redirectUri, file, env, stillValid });
    expect(again.registered).toBe(true);
    expect(await credentialsAccepted(server.url, again)).toBe(true);
  });

  it('reports a failing CLI with its message', async () => {
    const file = join(tempDir('partner-shop-'), '.vetted-app.json');
    await expect(
      ensureRegistered({ vettedUrl, redirectUri: 'javascript:alert(1)', file, env }),
    ).rejects.toThrow(/vetted apps create failed \(exit 1\): .*not allowed/);
  });
});

describe('npm run shop (src/main.ts)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('starts with the given credentials and prints its URL', async () => {
    const app = await registerApp(server, { redirectUris: ['http://localhost:4000/callback'] });
    const main = fileURLToPath(new URL('../../examples/partner-shop/src/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--experimental-strip-types', main], {
      env: {
        ...process.env,
        VETTED_URL: server.url,
        SHOP_PORT: '0',
        SHOP_HOST: '127.0.0.1',
        VETTED_CLIENT_ID: app.clientId,
        VETTED_CLIENT_SECRET: app.clientSecret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          const match = /^Partner Shop on (\S+)/m.exec(stdout);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        child.once('close', (code) => reject(new Error(`exited ${String(code)}: ${stdout}${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/localhost:\d+$/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`data-client-id="${app.clientId}"`);
    } finally {
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await closed;
    }
  });

  it('exits 1 with the reason when it cannot register', async () => {
    const main = fileURLToPath(new URL('../../examples/partner-shop/src/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--experimental-strip-types', main], {
      env: {
        ...process.env,
        VETTED_URL: server.url,
        SHOP_PORT: '0',
        SHOP_HOST: '127.0.0.1',
        VETTED_DATABASE_URL: 'nosuchdb://nowhere',
        VETTED_CLIENT_ID: '',
        VETTED_CLIENT_SECRET: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^partner-shop: vetted apps create failed \(exit 78\): .*VETTED_DATABASE_URL/s);
  });

  it('refuses half of the credentials', async () => {
    const main = fileURLToPath(new URL('../../examples/partner-shop/src/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--experimental-strip-types', main], {
      env: { ...process.env, VETTED_URL: server.url, SHOP_PORT: '0', VETTED_CLIENT_ID: 'only-the-id' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('set both VETTED_CLIENT_ID and VETTED_CLIENT_SECRET');
  });
});
