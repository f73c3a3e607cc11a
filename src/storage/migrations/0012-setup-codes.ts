import type { Kysely } from 'kysely';

/**
 * First-run setup codes (issue 14): while no account holds the admin role, each starting instance adds one
 * code and prints it; any unconsumed code creates the first administrator. Only the HMAC is stored.
 */
export const setupCodes = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('setup_codes')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      // HMAC-SHA-256 of the normalized code with a key derived from the master key, hex
      .addColumn('code_hash', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('consumed_at', 'bigint')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('setup_codes').execute();
  },
};
