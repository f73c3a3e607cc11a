import { beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createSweeper } from '../../src/maintenance/sweeper.ts';
import { createAdapterFactory } from '../../src/oidc/adapter.ts';
import { createModelRepository } from '../../src/oidc/model-repository.ts';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../helpers/databases.ts';

describeEachDatabase('oidc-provider adapter', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
  let repository: ReturnType<typeof createModelRepository>;
  let Adapter: ReturnType<typeof createAdapterFactory>;

  beforeAll(async () => {
    const database = await databases.fresh();
    repository = createModelRepository(database.db);
    Adapter = createAdapterFactory({ repository, clock, refreshTokenReuseSeconds: 30 });
  });

  it('stores, finds (by id, uid and user code), updates and destroys payloads', async () => {
    const sessions = new Adapter('Session');
    await sessions.upsert('s1', { jti: 's1', uid: 'u1', accountId: 'a1', kind: 'Session' }, 3600);
    expect(await sessions.find('s1')).toMatchObject({ jti: 's1', accountId: 'a1' });
    expect(await sessions.findByUid('u1')).toMatchObject({ jti: 's1' });
    await sessions.upsert('s1', { jti: 's1', uid: 'u1', accountId: 'a2', kind: 'Session' }, 3600);
    expect(await sessions.find('s1')).toMatchObject({ accountId: 'a2' });
    expect(await new Adapter('Interaction').find('s1')).toBeUndefined();
    const devices = new Adapter('DeviceCode');
    await devices.upsert('d1', { jti: 'd1', userCode: 'ABCD-EFGH', kind: 'DeviceCode' }, 600);
    expect(await devices.findByUserCode('ABCD-EFGH')).toMatchObject({ jti: 'd1' });
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('hides expired payloads at once and lets the sweeper delete them', async () => {
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('c-expiring', { jti: 'c-expiring', kind: 'AuthorizationCode' }, 300);
    await codes.upsert('c-lasting', { jti: 'c-lasting', kind: 'AuthorizationCode' }, 3600);
    clock.advance(300_000);
    expect(await codes.find('c-expiring')).toBeUndefined();
    expect(await codes.find('c-lasting')).toBeDefined();
    const sweeper = createSweeper({
      clock,
      logger: createLogger('silent'),
      intervalMs: 60_000,
      tasks: [{ name: 'oidc_models', run: (now) => repository.sweepExpired(now) }],
    });
    expect(await sweeper.sweepOnce()).toEqual({ oidc_models: 1 });
    expect(await codes.find('c-lasting')).toBeDefined();
  });

  it('marks consumption once, and revokes everything of a grant', async () => {
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('c1', { jti: 'c1', grantId: 'g1', kind: 'AuthorizationCode' }, 300);
    await codes.consume('c1');
    const consumed = await codes.find('c1');
    expect(consumed?.consumed).toBe(Math.floor(clock.now().getTime() / 1000));
    clock.advance(10_000);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toBe(consumed?.consumed);

    const tokens = new Adapter('AccessToken');
    await tokens.upsert('t1', { jti: 't1', grantId: 'g1', kind: 'AccessToken' }, 300);
    await tokens.upsert('t2', { jti: 't2', grantId: 'g2', kind: 'AccessToken' }, 300);
    await tokens.revokeByGrantId('g1');
    expect(await tokens.find('t1')).toBeUndefined();
    expect(await tokens.find('t2')).toBeDefined();
  });

  it('lets a rotated refresh token be reused within the grace window only', async () => {
    const refresh = new Adapter('RefreshToken');
    await refresh.upsert('r1', { jti: 'r1', grantId: 'g3', kind: 'RefreshToken' }, 3600);
    await refresh.consume('r1');
    clock.advance(29_000);
    expect((await refresh.find('r1'))?.consumed).toBeUndefined();
    clock.advance(1_000);
    expect((await refresh.find('r1'))?.consumed).toEqual(expect.any(Number));
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('c9', { jti: 'c9', kind: 'AuthorizationCode' }, 300);
    await codes.consume('c9');
    expect((await codes.find('c9'))?.consumed).toEqual(expect.any(Number));
  });

  it('skips saving a session when only its expiry would move, by less than an hour', async () => {
    const sessions = new Adapter('Session');
    const expiresAt = async (id: string) => (await repository.find('Session', 'id', id))?.expiresAt;
    const session = (exp: number, accountId = 'a1') => ({
      jti: 's9',
      kind: 'Session',
      accountId,
      exp,
      iat: 1,
    });
    const day = 86_400;
    const start = Math.floor(clock.now().getTime() / 1000);
    await sessions.upsert('s9', session(start + day), day);
    const stored = await expiresAt('s9');
    expect(await sessions.find('s9')).toMatchObject({ accountId: 'a1' });

    clock.advance(59 * 60_000);
    await sessions.upsert('s9', session(start + 59 * 60 + day), day);
    expect(await expiresAt('s9')).toBe(stored);

    await sessions.upsert('s9', session(start + 59 * 60 + day, 'a2'), day);
    expect(await sessions.find('s9')).toMatchObject({ accountId: 'a2' });
    const changed = await expiresAt('s9');
    expect(changed).toBe(stored! + 59 * 60_000);

    clock.advance(61 * 60_000);
    await sessions.upsert('s9', session(start + 120 * 60 + day, 'a2'), day);
    expect(await expiresAt('s9')).toBe(changed! + 61 * 60_000);

    // Destroyed here: a later save is a new session, written.
    await sessions.destroy('s9');
    await sessions.upsert('s9', session(start + 120 * 60 + day, 'a2'), day);
    expect(await sessions.find('s9')).toMatchObject({ accountId: 'a2' });
  });

  it('records a marker once (DPoP proof jti)', async () => {
    expect(await repository.recordOnce('DPoPProof', 'jti-1', clock.now().getTime() + 600_000)).toBe(true);
    expect(await repository.recordOnce('DPoPProof', 'jti-1', clock.now().getTime() + 600_000)).toBe(false);
  });
});

describe('sweeper', () => {
  it('keeps going when one task fails, and stops cleanly', async () => {
    const clock = createManualClock();
    const sweeper = createSweeper({
      clock,
      logger: createLogger('silent'),
      intervalMs: 10,
      tasks: [
        { name: 'broken', run: () => Promise.reject(new Error('database busy')) },
        { name: 'fine', run: () => Promise.resolve(2) },
      ],
    });
    expect(await sweeper.sweepOnce()).toEqual({ fine: 2 });
    sweeper.start();
    await sweeper.stop();
  });
});
