import type { Kysely } from 'kysely';

/**
 * Sign-ups for an address that already has an account (issue 13): the visitor gets the same code page as for
 * a new address, and this row stands behind it, with the attempts and expiry of a real code but no code that
 * could ever match.
 */
export const signUpDecoys = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sign_up_decoys')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('address', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('sign_up_decoys_expires_at')
      .on('sign_up_decoys')
      .column('expires_at')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('sign_up_decoys').execute();
  },
};
