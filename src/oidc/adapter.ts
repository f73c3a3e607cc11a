import type { Adapter, AdapterPayload } from 'oidc-provider';
import { BoundedMap } from '../lib/bounded-map.ts';
import type { Clock } from '../lib/clock.ts';
import type { ModelRepository } from './model-repository.ts';

/**
 * oidc-provider saves the session at the end of every request that uses it, only to push its expiry forward
 * (a sliding session). A save that would change nothing else and move the expiry by less than this is
 * skipped: a session may then end up to this much before a strictly sliding one would.
 */
export const SESSION_EXPIRY_STEP_MS = 3_600_000;

/**
 * oidc-provider's storage, on the database (never its in-memory adapter, which evicts after 1,000 entries and
 * is not shared between instances). Expired rows are invisible at once and deleted by the sweeper.
 *
 * Refresh tokens get a reuse grace: a rotated (consumed) refresh token still reads as unconsumed for
 * `refreshTokenReuseSeconds`, so a client that retries a refresh concurrently is not treated as replaying it
 * (which would revoke the whole grant).
 *
 * Sessions read or written by this process are remembered (the payload without its expiry) so that
 * SESSION_EXPIRY_STEP_MS can be applied. A memo another instance has made stale only makes a write be
 * skipped that would have overwritten that instance's newer session.
 */
export function createAdapterFactory(deps: {
  repository: ModelRepository;
  clock: Clock;
  refreshTokenReuseSeconds: number;
  /** Told of every refresh token stored, with its expiry (epoch ms). */
  onRefreshTokenSaved?: (id: string, expiresAt: number | null) => void;
}) {
  const { repository, clock } = deps;
  const sessions = new BoundedMap<string, { rest: string; expiresAt: number | null }>(10_000);
  const withoutExpiry = (payload: AdapterPayload) => {
    const { exp: _exp, ...rest } = payload;
    return JSON.stringify(rest);
  };
  const onlyExtends = (id: string, payload: AdapterPayload, expiresAt: number | null) => {
    const seen = sessions.get(id);
    return (
      seen?.expiresAt != null &&
      expiresAt !== null &&
      expiresAt >= seen.expiresAt &&
      expiresAt - seen.expiresAt < SESSION_EXPIRY_STEP_MS &&
      seen.rest === withoutExpiry(payload)
    );
  };

  return class DatabaseAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      const expiresAt = typeof expiresIn === 'number' ? clock.now().getTime() + expiresIn * 1000 : null;
      if (this.model === 'Session') {
        if (onlyExtends(id, payload, expiresAt)) return;
        await repository.upsert(this.model, id, payload, expiresAt);
        sessions.set(id, { rest: withoutExpiry(payload), expiresAt });
        return;
      }
      await repository.upsert(this.model, id, payload, expiresAt);
      if (this.model === 'RefreshToken') deps.onRefreshTokenSaved?.(id, expiresAt);
    }

    find(id: string) {
      return this.read('id', id);
    }

    findByUid(uid: string) {
      return this.read('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.read('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await repository.consume(this.model, id, clock.now().getTime());
    }

    async destroy(id: string): Promise<void> {
      if (this.model === 'Session') sessions.delete(id);
      await repository.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await repository.destroyByGrantId(this.model, grantId);
    }

    private async read(
      column: 'id' | 'uid' | 'user_code',
      value: string,
    ): Promise<AdapterPayload | undefined> {
      const stored = await repository.find(this.model, column, value);
      const now = clock.now().getTime();
      if (stored === undefined || (stored.expiresAt !== null && stored.expiresAt <= now)) return undefined;
      if (this.model === 'Session' && column === 'id') {
        sessions.set(value, { rest: withoutExpiry(stored.payload), expiresAt: stored.expiresAt });
      }
      if (stored.consumedAt === null) return stored.payload;
      const inGrace =
        this.model === 'RefreshToken' && now - stored.consumedAt < deps.refreshTokenReuseSeconds * 1000;
      return inGrace ? stored.payload : { ...stored.payload, consumed: Math.floor(stored.consumedAt / 1000) };
    }
  };
}
