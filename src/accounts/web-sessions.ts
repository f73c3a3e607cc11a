import type { Kysely } from 'kysely';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { Schema } from '../storage/schema.ts';

/** A browser signed in to Vetted's own pages ends after this long, or after IDLE_MS without a request. */
export const WEB_SESSION_MAX_MS = 12 * 3_600_000;
export const WEB_SESSION_IDLE_MS = 2 * 3_600_000;
/** `last_seen_at` is written at most this often: most requests only read the session. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Sessions of Vetted's own pages (my verifications, the reviewer area), apart from oidc-provider's session
 * of the authorization flow. The cookie carries 256 random bits; only their HMAC is stored, so a copy of the
 * database signs nobody in.
 */
export function createWebSessionService(deps: {
  db: Kysely<Schema>;
  hasher: TokenHasher;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { db, hasher, clock, ids } = deps;

  return {
    async create(userId: string): Promise<{ token: string; expiresAt: Date }> {
      const token = ids.token(32);
      const now = clock.now().getTime();
      const expiresAt = now + WEB_SESSION_MAX_MS;
      await db
        .insertInto('web_sessions')
        .values({
          id_hash: hasher.hash(token),
          user_id: userId,
          created_at: now,
          last_seen_at: now,
          expires_at: expiresAt,
        })
        .execute();
      return { token, expiresAt: new Date(expiresAt) };
    },

    /** The user a session token belongs to, if it is live; extends its idle time. */
    async resolve(token: string): Promise<string | undefined> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const idHash = hasher.hash(token);
      const row = await db
        .selectFrom('web_sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      const now = clock.now().getTime();
      if (row === undefined || row.expires_at <= now || now - row.last_seen_at >= WEB_SESSION_IDLE_MS) {
        if (row !== undefined) await db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
        return undefined;
      }
      if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
        await db
          .updateTable('web_sessions')
          .set({ last_seen_at: now })
          .where('id_hash', '=', idHash)
          .execute();
      }
      return row.user_id;
    },

    async destroy(token: string): Promise<void> {
      if (token === '') return;
      await db.deleteFrom('web_sessions').where('id_hash', '=', hasher.hash(token)).execute();
    },

    async destroyForUser(userId: string): Promise<void> {
      await db.deleteFrom('web_sessions').where('user_id', '=', userId).execute();
    },

    /** Deletes sessions past their end; returns how many (the sweeper). */
    async sweep(): Promise<number> {
      const now = clock.now().getTime();
      const result = await db
        .deleteFrom('web_sessions')
        .where((eb) =>
          eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - WEB_SESSION_IDLE_MS)]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type WebSessionService = ReturnType<typeof createWebSessionService>;
