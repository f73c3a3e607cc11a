import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  generation: number;
  publicJwk: string;
  privateJwkSealed: string;
  createdAt: number;
  activatedAt: number;
  retiredAt: number | null;
}

export function createSigningKeyRepository(db: Kysely<Schema>) {
  return {
    async list(): Promise<SigningKeyRow[]> {
      const rows = await db
        .selectFrom('signing_keys')
        .selectAll()
        .orderBy('alg')
        .orderBy('generation')
        .execute();
      return rows.map((row) => ({
        kid: row.kid,
        alg: row.alg,
        generation: row.generation,
        publicJwk: row.public_jwk,
        privateJwkSealed: row.private_jwk_sealed,
        createdAt: row.created_at,
        activatedAt: row.activated_at,
        retiredAt: row.retired_at,
      }));
    },

    async latestGeneration(alg: string): Promise<number> {
      const row = await db
        .selectFrom('signing_keys')
        .select((eb) => eb.fn.max('generation').as('generation'))
        .where('alg', '=', alg)
        .executeTakeFirst();
      return row?.generation ?? 0;
    },

    /** Inserts the key unless its (alg, generation) is taken; returns whether it was inserted. */
    async insertIfGenerationFree(row: SigningKeyRow): Promise<boolean> {
      const result = await db
        .insertInto('signing_keys')
        .values({
          kid: row.kid,
          alg: row.alg,
          generation: row.generation,
          public_jwk: row.publicJwk,
          private_jwk_sealed: row.privateJwkSealed,
          created_at: row.createdAt,
          activated_at: row.activatedAt,
          retired_at: row.retiredAt,
        })
        .onConflict((conflict) => conflict.columns(['alg', 'generation']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /** Marks a key retired unless it already is; returns whether this call retired it. */
    async retire(kid: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('signing_keys')
        .set({ retired_at: at })
        .where('kid', '=', kid)
        .where('retired_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type SigningKeyRepository = ReturnType<typeof createSigningKeyRepository>;
