import type { Kysely } from 'kysely';

/**
 * Test users by invitation (issue 13, point 4): a partner adding an existing account as a test user invites
 * it; the account's owner accepts (choosing the name the partner sees) or declines. Test users added before
 * this migration keep their rows (`shown_name` null: the partner was already shown the account's name).
 */
export const testUserInvitations = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('test_user_invitations')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('application_id', 'text', (col) =>
        col.notNull().references('applications.id').onDelete('cascade'),
      )
      .addColumn('email_normalized', 'text', (col) => col.notNull())
      // The account the address belonged to when invited; null when none did (nothing was mailed then).
      // A deleted account leaves the row in place, so that the partner's list does not change with it.
      .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('set null'))
      // HMAC of the token mailed to the address (purpose `test-user-invitations`), hex
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('invited_by', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      // Set once, when the owner accepted or declined (single use)
      .addColumn('consumed_at', 'bigint')
      // `accepted` or `declined`
      .addColumn('outcome', 'text')
      // The partner removed the invitation: its link stops working, it leaves the partner's list
      .addColumn('withdrawn_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('test_user_invitations_application')
      .on('test_user_invitations')
      .columns(['application_id', 'email_normalized'])
      .execute();
    await db.schema
      .createIndex('test_user_invitations_expires_at')
      .on('test_user_invitations')
      .column('expires_at')
      .execute();

    // The name the owner agreed to show the partner; null for personas and for rows older than invitations.
    await db.schema.alterTable('application_test_users').addColumn('shown_name', 'text').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('application_test_users').dropColumn('shown_name').execute();
    await db.schema.dropTable('test_user_invitations').execute();
  },
};
