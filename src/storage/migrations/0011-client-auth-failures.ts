import type { Kysely } from 'kysely';

/**
 * Failed client authentications (issue 13): one counter per application, endpoint and UTC hour, incremented
 * in one upsert, never one row per failure, so a flood of wrong secrets costs a few rows at most.
 */
export const clientAuthFailures = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('client_auth_failures')
      .addColumn('client_id', 'text', (col) => col.notNull())
      // The route pattern (`/oauth/token`), as the Activity's API calls name it
      .addColumn('endpoint', 'text', (col) => col.notNull())
      // Start of the UTC hour, milliseconds since the epoch
      .addColumn('hour', 'bigint', (col) => col.notNull())
      .addColumn('failures', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('client_auth_failures_pk', ['client_id', 'endpoint', 'hour'])
      .execute();
    await db.schema
      .createIndex('client_auth_failures_hour')
      .on('client_auth_failures')
      .column('hour')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('client_auth_failures').execute();
  },
};
