import { sql, type Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

/** The `client_auth_failures` table: per application, endpoint and UTC hour, how many authentications failed. */
export function createAuthFailureRepository(db: Kysely<Schema>) {
  return {
    /** Adds one to the counter of (client, endpoint, hour) in one statement, safe across instances. */
    async increment(clientId: string, endpoint: string, hour: number): Promise<void> {
      await db
        .insertInto('client_auth_failures')
        .values({ client_id: clientId, endpoint, hour, failures: 1 })
        .onConflict((conflict) =>
          conflict.columns(['client_id', 'endpoint', 'hour']).doUpdateSet({
            failures: sql<number>`${sql.ref('client_auth_failures.failures')} + 1`,
          }),
        )
        .execute();
    },

    /** Failures per endpoint in the hours starting at or after `since`, with the earliest such hour. */
    async totals(
      clientId: string,
      since: number,
    ): Promise<{ endpoint: string; failures: number; firstHour: number }[]> {
      const rows = await db
        .selectFrom('client_auth_failures')
        .select((eb) => [
          'endpoint',
          eb.fn.sum('failures').as('failures'),
          eb.fn.min<number | string | bigint>('hour').as('first_hour'),
        ])
        .where('client_id', '=', clientId)
        .where('hour', '>=', since)
        .groupBy('endpoint')
        .orderBy('endpoint')
        .execute();
      return rows.map((row) => ({
        endpoint: row.endpoint,
        failures: Number(row.failures),
        firstHour: Number(row.first_hour),
      }));
    },

    /** Deletes the counters of hours that started before `before`; resolves with how many rows went. */
    async deleteOlderThan(before: number): Promise<number> {
      const result = await db
        .deleteFrom('client_auth_failures')
        .where('hour', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteForClient(clientId: string): Promise<number> {
      const result = await db
        .deleteFrom('client_auth_failures')
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type AuthFailureRepository = ReturnType<typeof createAuthFailureRepository>;
