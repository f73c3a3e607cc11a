import type { Kysely } from 'kysely';

export const accounts = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('email_normalized', 'text', (col) => col.notNull().unique())
      .addColumn('password_hash', 'text')
      .addColumn('first_name', 'text', (col) => col.notNull())
      .addColumn('last_name', 'text', (col) => col.notNull())
      .addColumn('postal_code', 'text')
      .addColumn('birth_date', 'text')
      .addColumn('email_verified_at', 'bigint')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('updated_at', 'bigint', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('one_time_codes')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('purpose', 'text', (col) => col.notNull())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('address', 'text', (col) => col.notNull())
      .addColumn('code_hash', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .addColumn('consumed_at', 'bigint')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('one_time_codes_user_purpose')
      .on('one_time_codes')
      .columns(['user_id', 'purpose'])
      .execute();

    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (col) => col.primaryKey().notNull())
      .addColumn('hits', 'integer', (col) => col.notNull())
      .addColumn('window_started_at', 'bigint', (col) => col.notNull())
      .addColumn('blocked_until', 'bigint')
      .execute();

    await db.schema
      .createTable('outbox_messages')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('recipient', 'text', (col) => col.notNull())
      .addColumn('subject', 'text', (col) => col.notNull())
      .addColumn('text_body', 'text', (col) => col.notNull())
      .addColumn('html_body', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('outbox_messages_created_at')
      .on('outbox_messages')
      .column('created_at')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['outbox_messages', 'rate_limits', 'one_time_codes', 'users']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
