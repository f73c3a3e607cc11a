import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

export interface ApiTokenRecord {
  clientId: string;
  tokenHash: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** `passback_api_tokens`: at most one API token per application, stored as its hash. */
export function createApiTokenRepository(db: Kysely<Schema>) {
  return {
    /** Sets the application's token, replacing the previous one in the same statement (rotation). */
    async upsert(record: { clientId: string; tokenHash: string; createdBy: string | null; createdAt: Date }) {
      const values = {
        client_id: record.clientId,
        token_hash: record.tokenHash,
        created_by: record.createdBy,
        created_at: record.createdAt.getTime(),
        last_used_at: null,
      };
      await db
        .insertInto('passback_api_tokens')
        .values(values)
        .onConflict((conflict) =>
          conflict.column('client_id').doUpdateSet({
            token_hash: values.token_hash,
            created_by: values.created_by,
            created_at: values.created_at,
            last_used_at: null,
          }),
        )
        .execute();
    },

    async findByClientId(clientId: string): Promise<ApiTokenRecord | undefined> {
      const row = await db
        .selectFrom('passback_api_tokens')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
      const row = await db
        .selectFrom('passback_api_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async touch(clientId: string, at: Date): Promise<void> {
      await db
        .updateTable('passback_api_tokens')
        .set({ last_used_at: at.getTime() })
        .where('client_id', '=', clientId)
        .execute();
    },

    /** True when there was a token to delete. */
    async delete(clientId: string): Promise<boolean> {
      const result = await db
        .deleteFrom('passback_api_tokens')
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type ApiTokenRepository = ReturnType<typeof createApiTokenRepository>;

function toRecord(row: {
  client_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
}): ApiTokenRecord {
  return {
    clientId: row.client_id,
    tokenHash: row.token_hash,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
  };
}
