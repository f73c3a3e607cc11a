import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/env.ts';
import { authorize, authorizeUrl, Browser, freePort, responseParams, tokenRequest } from '../helpers/oidc.ts';
import { runVetted, startVettedProcess, stopProcess, type VettedProcess } from '../helpers/process.ts';

describe('vetted apps create and vetted users create, while the server runs', () => {
  let env: Record<string, string | undefined>;
  let server: VettedProcess & { url: string };
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = testEnv({ VETTED_PORT: String(port), VETTED_BASE_URL: baseUrl, VETTED_LOG_LEVEL: 'info' });
    server = await startVettedProcess(env);
  });
  afterAll(() => stopProcess(server));

  it('registers an app and a verified user that can complete a flow against the running server', async () => {
    const created = await runVetted(
      [
        'apps',
        'create',
        '--name',
        'CLI Shop',
        '--redirect-uri',
        'https://shop.example/cb',
        '--scopes',
        'military,student',
        '--json',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const app = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(app).toEqual({
      client_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      client_secret: expect.stringMatching(/^[\w-]{43}$/),
      name: 'CLI Shop',
      client_type: 'confidential',
      mode: 'production',
      redirect_uris: ['https://shop.example/cb'],
      scopes: ['military', 'student'],
      response_types: ['code'],
    });

    const userRun = await runVetted(
      [
        'users',
        'create',
        '--email',
        'Cli.User@Example.com',
        '--password',
        'correct horse battery',
        '--first-name',
        'Cli',
        '--last-name',
        'User',
        '--zip',
        '22102',
        '--verify',
        'military:Veteran',
        '--json',
      ],
      env,
    );
    expect(userRun.code, userRun.stderr).toBe(0);
    const user = JSON.parse(userRun.stdout) as { uuid: string; email: string; verifications: unknown[] };
    expect(user.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(user.verifications).toEqual([
      // Veterans stay Veterans: no expiry (migration 0005).
      { community: 'military', subgroups: ['Veteran'], expires_at: null },
    ]);

    const server = { config: { baseUrl } };
    const journey = await authorize(
      new Browser(),
      server,
      authorizeUrl(server, {
        client_id: String(app.client_id),
        redirect_uri: 'https://shop.example/cb',
        response_type: 'code',
        scope: 'military',
      }),
      { user: { id: user.uuid, email: 'cli.user@example.com', password: 'correct horse battery' } },
    );
    expect(journey.shown).toEqual(['sign-in', 'consent']);
    const token = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: responseParams(journey.callback).code ?? '',
      redirect_uri: 'https://shop.example/cb',
      client_id: String(app.client_id),
      client_secret: String(app.client_secret),
    });
    expect(token.status).toBe(200);
    const attributes = await fetch(`${baseUrl}/api/public/v3/attributes.json`, {
      headers: { Authorization: `Bearer ${String(token.body.access_token)}` },
    });
    expect(((await attributes.json()) as { status: unknown }).status).toEqual([
      { group: 'military', subgroups: ['Veteran'], verified: true },
    ]);
  });

  it('rejects bad input with a clear message and no JSON on stdout', async () => {
    const badUri = await runVetted(
      [
        'apps',
        'create',
        '--name',
        'X',
        '--redirect-uri',
        'javascript:alert(1)',
        '--scopes',
        'military',
        '--json',
      ],
      env,
    );
    expect(badUri.code).toBe(1);
    expect(badUri.stdout).toBe('');
    expect(badUri.stderr).toMatch(/not allowed/);
    const badScope = await runVetted(
      ['apps', 'create', '--name', 'X', '--redirect-uri', 'https://x.example/cb', '--scopes', 'pirates'],
      env,
    );
    expect(badScope.stderr).toContain('There is no scope "pirates"');
    const badVerify = await runVetted(
      [
        'users',
        'create',
        '--email',
        'a@example.com',
        '--password',
        'correct horse',
        '--first-name',
        'A',
        '--last-name',
        'B',
        '--verify',
        'military',
      ],
      env,
    );
    expect(badVerify.code).toBe(2);
  });
});
