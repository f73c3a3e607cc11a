import { sql, type Kysely } from 'kysely';

/**
 * What the consoles (issue 5) need besides 0006: the name users see, the implicit flow as an administrator's
 * switch, the first token response (the production checklist), API keys found by their hash, and an
 * administrator's lock on an account.
 */
export const consoleColumns = {
  async up(db: Kysely<unknown>): Promise<void> {
    // What users see (consent page, Connected apps); `name` stays the partner's own label.
    await db.schema.alterTable('applications').addColumn('display_name', 'text').execute();
    await db.schema
      .alterTable('applications')
      .addColumn('implicit_flow', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    // Applications registered before this switch existed keep the front-channel response types they have.
    await sql`UPDATE applications SET implicit_flow = 1 WHERE response_types <> '["code"]'`.execute(db);
    await db.schema.alterTable('applications').addColumn('first_authorized_at', 'bigint').execute();
    await db.schema.createIndex('api_keys_key_hash').on('api_keys').column('key_hash').unique().execute();
    // An administrator's lock: the account cannot sign in, and its sessions and grants end.
    await db.schema.alterTable('users').addColumn('locked_at', 'bigint').execute();
    await db.schema.alterTable('users').addColumn('locked_reason', 'text').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').dropColumn('locked_reason').execute();
    await db.schema.alterTable('users').dropColumn('locked_at').execute();
    await db.schema.dropIndex('api_keys_key_hash').execute();
    for (const column of ['first_authorized_at', 'implicit_flow', 'display_name']) {
      await db.schema.alterTable('applications').dropColumn(column).execute();
    }
  },
};
