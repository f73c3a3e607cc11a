import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Schema } from '../storage/schema.ts';
import { accountErrors } from './errors.ts';
import { CODE_MAX_ATTEMPTS, CODE_TTL_MS } from './one-time-codes.ts';

/**
 * What stands behind the code page of a sign-up for an address that already has an account. To the visitor it
 * behaves as a code they did not receive: wrong every time, too many wrong codes after the fifth, expired after
 * ten minutes, renewed by "send a new code". Nothing typed can match: there is no code, and no account behind.
 */
export function createSignUpDecoys(deps: { db: Kysely<Schema>; clock: Clock }) {
  const { db, clock } = deps;

  return {
    async start(id: string, address: string): Promise<void> {
      const now = clock.now().getTime();
      await db
        .insertInto('sign_up_decoys')
        .values({ id, address, attempts: 0, expires_at: now + CODE_TTL_MS, created_at: now })
        .execute();
    },

    /** The address shown on the decoy's code page, if `id` is a decoy. */
    async addressOf(id: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('sign_up_decoys')
        .select('address')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.address;
    },

    /** Answers a code as one-time-codes.ts answers a wrong one: always throws. */
    async refuse(id: string): Promise<never> {
      const row = await db
        .selectFrom('sign_up_decoys')
        .select('expires_at')
        .where('id', '=', id)
        .executeTakeFirst();
      if (row === undefined) throw accountErrors.codeInvalid();
      if (clock.now().getTime() >= row.expires_at) throw accountErrors.codeExpired();
      const counted = await db
        .updateTable('sign_up_decoys')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('attempts', '<', CODE_MAX_ATTEMPTS)
        .executeTakeFirst();
      if (Number(counted.numUpdatedRows) !== 1) throw accountErrors.codeTooManyAttempts();
      throw accountErrors.codeInvalid();
    },

    /** "Send a new code": a fresh allowance and expiry, as a new code would have. */
    async renew(id: string): Promise<{ expiresAt: Date }> {
      const expiresAt = clock.now().getTime() + CODE_TTL_MS;
      await db
        .updateTable('sign_up_decoys')
        .set({ attempts: 0, expires_at: expiresAt })
        .where('id', '=', id)
        .execute();
      return { expiresAt: new Date(expiresAt) };
    },

    /** Deletes decoys that expired before `before` (the sweeper), as expired codes are. */
    async deleteExpired(before: number): Promise<number> {
      const result = await db
        .deleteFrom('sign_up_decoys')
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type SignUpDecoys = ReturnType<typeof createSignUpDecoys>;
