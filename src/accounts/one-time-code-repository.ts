import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

export interface OneTimeCodeRow {
  id: string;
  purpose: string;
  userId: string;
  address: string;
  codeHash: string;
  attempts: number;
  expiresAt: number;
  consumedAt: number | null;
  createdAt: number;
}

export function createOneTimeCodeRepository(db: Kysely<Schema>) {
  return {
    /** Stores a new code and deletes the user's earlier codes for the same purpose, in one transaction. */
    async replace(row: OneTimeCodeRow): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('one_time_codes')
          .where('user_id', '=', row.userId)
          .where('purpose', '=', row.purpose)
          .execute();
        await trx
          .insertInto('one_time_codes')
          .values({
            id: row.id,
            purpose: row.purpose,
            user_id: row.userId,
            address: row.address,
            code_hash: row.codeHash,
            attempts: row.attempts,
            expires_at: row.expiresAt,
            consumed_at: row.consumedAt,
            created_at: row.createdAt,
          })
          .execute();
      });
    },

    /** The user's newest code for `purpose`, consumed or not. */
    async findLatest(userId: string, purpose: string): Promise<OneTimeCodeRow | undefined> {
      const row = await db
        .selectFrom('one_time_codes')
        .selectAll()
        .where('user_id', '=', userId)
        .where('purpose', '=', purpose)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        id: row.id,
        purpose: row.purpose,
        userId: row.user_id,
        address: row.address,
        codeHash: row.code_hash,
        attempts: row.attempts,
        expiresAt: row.expires_at,
        consumedAt: row.consumed_at,
        createdAt: row.created_at,
      };
    },

    /** Counts one attempt if the code is unconsumed and has attempts left; returns whether it did. */
    async countAttempt(id: string, maxAttempts: number): Promise<boolean> {
      const result = await db
        .updateTable('one_time_codes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .where('attempts', '<', maxAttempts)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Marks the code used unless it already is; returns whether this call consumed it. */
    async consume(id: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('one_time_codes')
        .set({ consumed_at: at })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Deletes codes that expired before `before`; for a periodic clean-up. */
    async deleteExpired(before: number): Promise<number> {
      const result = await db
        .deleteFrom('one_time_codes')
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type OneTimeCodeRepository = ReturnType<typeof createOneTimeCodeRepository>;
