import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../lib/clock.ts';
import type { ModelRepository } from './model-repository.ts';

/**
 * oidc-provider's storage, on the database (never its in-memory adapter, which evicts after 1,000 entries and
 * is not shared between instances). Expired rows are invisible at once and deleted by the sweeper.
 *
 * Refresh tokens get a reuse grace: a rotated (consumed) refresh token still reads as unconsumed for
 * `refreshTokenReuseSeconds`, so a client that retries a refresh concurrently is not treated as replaying it
 * (which would revoke the whole grant).
 */
export function createAdapterFactory(deps: {
  repository: ModelRepository;
  clock: Clock;
  refreshTokenReuseSeconds: number;
}) {
  const { repository, clock } = deps;

  return class DatabaseAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      const expiresAt = typeof expiresIn === 'number' ? clock.now().getTime() + expiresIn * 1000 : null;
      await repository.upsert(this.model, id, payload, expiresAt);
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
      if (stored.consumedAt === null) return stored.payload;
      const inGrace =
        this.model === 'RefreshToken' && now - stored.consumedAt < deps.refreshTokenReuseSeconds * 1000;
      return inGrace ? stored.payload : { ...stored.payload, consumed: Math.floor(stored.consumedAt / 1000) };
    }
  };
}
