import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

export interface SetupCodeRow {
  id: string;
  codeHash: string;
  createdAt: number;
}

/** The first-run setup codes (migration 0012): one per instance started while no administrator exists. */
export function createSetupCodeRepository(db: Kysely<Schema>) {
  return {
    async insert(row: SetupCodeRow): Promise<void> {
      await db
        .insertInto('setup_codes')
        .values({ id: row.id, code_hash: row.codeHash, created_at: row.createdAt, consumed_at: null })
        .execute();
    },

    /** The codes not used yet, oldest first (a handful: one per instance start). */
    async listUnconsumed(): Promise<SetupCodeRow[]> {
      const rows = await db
        .selectFrom('setup_codes')
        .select(['id', 'code_hash', 'created_at'])
        .where('consumed_at', 'is', null)
        .orderBy('created_at')
        .execute();
      return rows.map((row) => ({ id: row.id, codeHash: row.code_hash, createdAt: row.created_at }));
    },

    /**
     * Marks the code `id` used, then every other outstanding code: true only when this call consumed `id`
     * (`UPDATE … WHERE consumed_at IS NULL`), so a code works once even when two requests race.
     */
    async consume(id: string, now: number): Promise<boolean> {
      const mine = await db
        .updateTable('setup_codes')
        .set({ consumed_at: now })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      if (Number(mine.numUpdatedRows) !== 1) return false;
      await db
        .updateTable('setup_codes')
        .set({ consumed_at: now })
        .where('consumed_at', 'is', null)
        .execute();
      return true;
    },

    /** Gives back the codes a failed setup consumed at `consumedAt`, so the printed codes work again. */
    async release(consumedAt: number): Promise<void> {
      await db
        .updateTable('setup_codes')
        .set({ consumed_at: null })
        .where('consumed_at', '=', consumedAt)
        .execute();
    },

    /** Forgets every code (an administrator exists: setup is over). */
    async deleteAll(): Promise<void> {
      await db.deleteFrom('setup_codes').execute();
    },
  };
}

export type SetupCodeRepository = ReturnType<typeof createSetupCodeRepository>;
