import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { ApiKeysTable } from '../storage/tables/partners.ts';
import type { ApiKey, ApiKeyScope } from './api-keys.ts';

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/** The row without its hash: nothing outside this file ever sees `key_hash` except `findByHash`'s caller. */
function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    // Written by this repository from a validated list.
    scopes: JSON.parse(row.scopes) as ApiKeyScope[],
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    lastUsedAt: date(row.last_used_at),
    revokedAt: date(row.revoked_at),
  };
}

export function createApiKeyRepository(db: Kysely<Schema>) {
  return {
    async insert(key: ApiKey, keyHash: string): Promise<void> {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          organization_id: key.organizationId,
          name: key.name,
          key_hash: keyHash,
          scopes: JSON.stringify(key.scopes),
          created_by: key.createdBy,
          created_at: key.createdAt.getTime(),
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    },

    async find(organizationId: string, id: string): Promise<ApiKey | undefined> {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', id)
        .where('organization_id', '=', organizationId)
        .executeTakeFirst();
      return row === undefined ? undefined : toApiKey(row);
    },

    /** The organization's keys, newest first, revoked ones included. */
    async listForOrganization(organizationId: string): Promise<ApiKey[]> {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toApiKey);
    },

    /** The key that is not revoked with this hash, and the stored hash (for a constant-time comparison). */
    async findActiveByHash(keyHash: string): Promise<{ key: ApiKey; keyHash: string } | undefined> {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row === undefined ? undefined : { key: toApiKey(row), keyHash: row.key_hash };
    },

    /** Revokes a key of the organization not yet revoked; false when there is none. */
    async revoke(organizationId: string, id: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('organization_id', '=', organizationId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Records a use at `at` unless one was recorded after `notAfter` (so at most one write per interval). */
    async touch(id: string, at: number, notAfter: number): Promise<void> {
      await db
        .updateTable('api_keys')
        .set({ last_used_at: at })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', notAfter)]))
        .execute();
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
