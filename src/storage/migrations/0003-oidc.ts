import { sql, type Kysely } from 'kysely';

export const oidc = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('oidc_models')
      .addColumn('model', 'text', (col) => col.notNull())
      .addColumn('id', 'text', (col) => col.notNull())
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('uid', 'text')
      .addColumn('user_code', 'text')
      .addColumn('expires_at', 'bigint')
      .addColumn('consumed_at', 'bigint')
      .addPrimaryKeyConstraint('oidc_models_pk', ['model', 'id'])
      .execute();
    // Partial indexes (SQLite and PostgreSQL both have them): most rows have no uid or user code, and every
    // token write would otherwise maintain index entries for NULLs nobody looks up.
    await db.schema
      .createIndex('oidc_models_grant_id')
      .on('oidc_models')
      .column('grant_id')
      .where(sql.ref('grant_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('oidc_models_uid')
      .on('oidc_models')
      .column('uid')
      .where(sql.ref('uid'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('oidc_models_user_code')
      .on('oidc_models')
      .column('user_code')
      .where(sql.ref('user_code'), 'is not', null)
      .execute();
    await db.schema.createIndex('oidc_models_expires_at').on('oidc_models').column('expires_at').execute();

    await db.schema
      .createTable('applications')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('client_id', 'text', (col) => col.notNull().unique())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('redirect_uris', 'text', (col) => col.notNull())
      .addColumn('post_logout_redirect_uris', 'text', (col) => col.notNull())
      .addColumn('allowed_scopes', 'text', (col) => col.notNull())
      .addColumn('response_types', 'text', (col) => col.notNull())
      .addColumn('grant_types', 'text', (col) => col.notNull())
      .addColumn('client_type', 'text', (col) => col.notNull())
      .addColumn('mode', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('id_token_signed_response_alg', 'text', (col) => col.notNull())
      .addColumn('userinfo_signed_response_alg', 'text')
      .addColumn('access_token_ttl', 'integer')
      .addColumn('refresh_token_ttl', 'integer')
      .addColumn('code_ttl', 'integer')
      .addColumn('single_use_access_tokens', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('released_attributes', 'text', (col) => col.notNull())
      .addColumn('logo_url', 'text')
      .addColumn('organization_id', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('updated_at', 'bigint', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('application_secrets')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('application_id', 'text', (col) =>
        col.notNull().references('applications.id').onDelete('cascade'),
      )
      .addColumn('secret_hash', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('expires_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('application_secrets_application_id')
      .on('application_secrets')
      .column('application_id')
      .execute();

    await db.schema
      .createTable('grant_contexts')
      .addColumn('grant_id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('eid', 'text')
      .addColumn('updated_at', 'bigint', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('consents')
      .addColumn('account_id', 'text', (col) => col.notNull())
      .addColumn('client_id', 'text', (col) => col.notNull())
      .addColumn('grant_id', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'bigint', (col) => col.notNull())
      .addPrimaryKeyConstraint('consents_pk', ['account_id', 'client_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'consents',
      'grant_contexts',
      'application_secrets',
      'applications',
      'oidc_models',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
