import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { ApiCallsTable } from '../storage/tables/partners.ts';
import type { ApiCall } from './api-calls.ts';

/** The `api_calls` table: each application's recent partner API calls, newest first by (`at`, `id`). */
export function createApiCallRepository(db: Kysely<Schema>) {
  return {
    async insert(call: ApiCall): Promise<void> {
      await db
        .insertInto('api_calls')
        .values({
          id: call.id,
          client_id: call.clientId,
          at: call.at.getTime(),
          method: call.method,
          endpoint: call.endpoint,
          status: call.status,
          latency_ms: call.latencyMs,
          error_code: call.errorCode,
        })
        .execute();
    },

    /** Deletes all but the `keep` newest calls of a client; resolves with how many were deleted. */
    async trim(clientId: string, keep: number): Promise<number> {
      const oldestKept = await db
        .selectFrom('api_calls')
        .select(['at', 'id'])
        .where('client_id', '=', clientId)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .offset(keep - 1)
        .executeTakeFirst();
      if (oldestKept === undefined) return 0;
      const result = await db
        .deleteFrom('api_calls')
        .where('client_id', '=', clientId)
        .where((eb) =>
          eb.or([
            eb('at', '<', oldestKept.at),
            eb.and([eb('at', '=', oldestKept.at), eb('id', '<', oldestKept.id)]),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Newest first. */
    async list(clientId: string, page: { limit: number; offset: number }): Promise<ApiCall[]> {
      const rows = await db
        .selectFrom('api_calls')
        .selectAll()
        .where('client_id', '=', clientId)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(toApiCall);
    },

    async count(clientId: string): Promise<number> {
      const row = await db
        .selectFrom('api_calls')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('calls'))
        .where('client_id', '=', clientId)
        .executeTakeFirstOrThrow();
      return Number(row.calls);
    },

    async deleteForClient(clientId: string): Promise<number> {
      const result = await db.deleteFrom('api_calls').where('client_id', '=', clientId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type ApiCallRepository = ReturnType<typeof createApiCallRepository>;

function toApiCall(row: Selectable<ApiCallsTable>): ApiCall {
  return {
    id: row.id,
    clientId: row.client_id,
    at: new Date(row.at),
    method: row.method,
    endpoint: row.endpoint,
    status: row.status,
    latencyMs: row.latency_ms,
    errorCode: row.error_code,
  };
}
