import type { Kysely } from 'kysely';

/**
 * The partner console and the administrator console (issue 5): organizations with members, roles and
 * invitations; organization API keys for the management API; what an application asks for and shows
 * (requested communities, branding, policies' URLs, test users); production requests; and the recent API
 * calls of each application.
 */
export const partners = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('organizations')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('updated_at', 'bigint', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('organization_members')
      .addColumn('organization_id', 'text', (col) =>
        col.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addPrimaryKeyConstraint('organization_members_pk', ['organization_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('organization_members_user')
      .on('organization_members')
      .column('user_id')
      .execute();

    await db.schema
      .createTable('organization_invitations')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('organization_id', 'text', (col) =>
        col.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('email_normalized', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      // HMAC of the token mailed to the invitee
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('invited_by', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .addColumn('accepted_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('organization_invitations_organization')
      .on('organization_invitations')
      .column('organization_id')
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('organization_id', 'text', (col) =>
        col.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('key_hash', 'text', (col) => col.notNull())
      // JSON array of scopes, e.g. ["applications:read"]
      .addColumn('scopes', 'text', (col) => col.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('api_keys_organization').on('api_keys').column('organization_id').execute();

    for (const column of ['privacy_policy_url', 'terms_url', 'primary_color', 'logo_blob_key']) {
      await db.schema.alterTable('applications').addColumn(column, 'text').execute();
    }
    // JSON array: the communities the partner asked for (an administrator enables them in allowed_scopes).
    await db.schema
      .alterTable('applications')
      .addColumn('requested_scopes', 'text', (col) => col.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .alterTable('applications')
      .addColumn('document_passback', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('applications_organization')
      .on('applications')
      .column('organization_id')
      .execute();

    await db.schema
      .createTable('application_test_users')
      .addColumn('application_id', 'text', (col) =>
        col.notNull().references('applications.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addPrimaryKeyConstraint('application_test_users_pk', ['application_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('production_requests')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('application_id', 'text', (col) =>
        col.notNull().references('applications.id').onDelete('cascade'),
      )
      .addColumn('requested_by', 'text')
      .addColumn('requested_at', 'bigint', (col) => col.notNull())
      // JSON object: the checklist as it stood when asked
      .addColumn('checklist', 'text', (col) => col.notNull())
      // `pending`, `approved` or `declined`
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'bigint')
      .addColumn('note', 'text')
      .execute();
    await db.schema
      .createIndex('production_requests_status')
      .on('production_requests')
      .columns(['status', 'requested_at'])
      .execute();

    // The recent partner API calls of each application (the console's Activity), trimmed to the last 500.
    await db.schema
      .createTable('api_calls')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('client_id', 'text', (col) => col.notNull())
      .addColumn('at', 'bigint', (col) => col.notNull())
      .addColumn('method', 'text', (col) => col.notNull())
      .addColumn('endpoint', 'text', (col) => col.notNull())
      .addColumn('status', 'integer', (col) => col.notNull())
      .addColumn('latency_ms', 'integer', (col) => col.notNull())
      .addColumn('error_code', 'text')
      .execute();
    await db.schema.createIndex('api_calls_client_at').on('api_calls').columns(['client_id', 'at']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'api_calls',
      'production_requests',
      'application_test_users',
      'api_keys',
      'organization_invitations',
      'organization_members',
      'organizations',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
