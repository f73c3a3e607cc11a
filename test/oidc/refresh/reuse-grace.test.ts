import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { createManualClock } from '../../../src/lib/clock.ts';
import { createAdapterFactory } from '../../../src/oidc/adapter.ts';
import { createModelRepository } from '../../../src/oidc/model-repository.ts';
import { openDatabase, type Database } from '../../../src/storage/database.ts';
import { migrateToLatest } from '../../../src/storage/migrate.ts';
import { tempDir } from '../../helpers/env.ts';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  codeFlow,
  registerApp,
  registerUser,
  startOidcServer,
  tokenRequest,
  type TestApp,
} from '../../helpers/oidc.ts';

type AdapterPayload = Parameters<InstanceType<ReturnType<typeof createAdapterFactory>>['upsert']>[1];

describe('the refresh token reuse grace, on the adapter with a manual clock', () => {
  let database: Database;
  const clock = createManualClock();

  beforeAll(async () => {
    database = await openDatabase(
      loadConfig({ VETTED_DATABASE_URL: `sqlite:${join(tempDir(), 'vetted.db')}` }).database,
    );
    await migrateToLatest(database);
  });
  afterAll(() => database.close());

  function adapters(refreshTokenReuseSeconds: number) {
    const Adapter = createAdapterFactory({
      repository: createModelRepository(database.db),
      clock,
      refreshTokenReuseSeconds,
    });
    return { refreshTokens: new Adapter('RefreshToken'), codes: new Adapter('AuthorizationCode') };
  }

  const payload = (jti: string): AdapterPayload => ({ jti, kind: 'RefreshToken', grantId: 'g1' });

  it('reads a consumed refresh token as unconsumed for exactly the grace, then as consumed', async () => {
    const { refreshTokens } = adapters(30);
    await refreshTokens.upsert('rt-1', payload('rt-1'), 3600);
    clock.advance(1000);
    await refreshTokens.consume('rt-1');
    const consumedAt = clock.now().getTime();
    expect((await refreshTokens.find('rt-1'))?.consumed).toBeUndefined();
    clock.advance(29_999);
    expect((await refreshTokens.find('rt-1'))?.consumed).toBeUndefined();
    clock.advance(1);
    expect((await refreshTokens.find('rt-1'))?.consumed).toBe(Math.floor(consumedAt / 1000));
  });

  it('keeps the time of the first consumption: a retry within the grace does not extend it', async () => {
    const { refreshTokens } = adapters(30);
    await refreshTokens.upsert('rt-2', payload('rt-2'), 3600);
    await refreshTokens.consume('rt-2');
    clock.advance(20_000);
    await refreshTokens.consume('rt-2');
    clock.advance(10_000);
    expect((await refreshTokens.find('rt-2'))?.consumed).toEqual(expect.any(Number));
  });

  it('has no grace when it is 0, and never for other models (authorization codes are single use)', async () => {
    const { refreshTokens, codes } = adapters(0);
    await refreshTokens.upsert('rt-3', payload('rt-3'), 3600);
    await refreshTokens.consume('rt-3');
    expect((await refreshTokens.find('rt-3'))?.consumed).toEqual(expect.any(Number));
    const graced = adapters(30).codes;
    await codes.upsert('code-1', { jti: 'code-1', kind: 'AuthorizationCode' }, 300);
    await graced.consume('code-1');
    expect((await graced.find('code-1'))?.consumed).toEqual(expect.any(Number));
  });

  it('hides an expired token at once', async () => {
    const { refreshTokens } = adapters(30);
    await refreshTokens.upsert('rt-4', payload('rt-4'), 10);
    clock.advance(9_999);
    expect(await refreshTokens.find('rt-4')).toBeDefined();
    clock.advance(1);
    expect(await refreshTokens.find('rt-4')).toBeUndefined();
  });
});

describe('reuse of a rotated refresh token after the grace (VETTED_REFRESH_TOKEN_REUSE_SECONDS=0)', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer({ VETTED_REFRESH_TOKEN_REUSE_SECONDS: '0' });
    app = await registerApp(server);
  });
  afterAll(() => server.stop());

  it('is taken for a replay: invalid_grant, and every token of the grant is revoked', async () => {
    const { token } = await codeFlow(server, app, await registerUser(server));
    const refresh = (refreshToken: string) =>
      tokenRequest(server, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      });
    const rotated = await refresh(String(token.body.refresh_token));
    expect(rotated.status).toBe(200);
    const replay = await refresh(String(token.body.refresh_token));
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await refresh(String(rotated.body.refresh_token))).body.error).toBe('invalid_grant');
    expect((await attributes(server, String(rotated.body.access_token))).status).toBe(401);
  });
});
