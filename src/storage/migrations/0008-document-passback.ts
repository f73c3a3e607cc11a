import type { Kysely } from 'kysely';

/**
 * Document passback (issue 6): each application's API token (hashed), the document tokens handed out with
 * the attributes (hashed, bound to application, user, document side and grant), every access to a document
 * image (what users see as "Who accessed my documents"), and the events of sliding-window rate limits.
 */
export const documentPassback = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('passback_api_tokens')
      .addColumn('client_id', 'text', (col) =>
        col.primaryKey().notNull().references('applications.client_id').onDelete('cascade'),
      )
      // HMAC of the token (purpose `passback-api-tokens`), hex
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('last_used_at', 'bigint')
      .execute();

    await db.schema
      .createTable('document_tokens')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      // HMAC of the token (purpose `passback-document-tokens`), hex
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('client_id', 'text', (col) =>
        col.notNull().references('applications.client_id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      // A deleted document takes its tokens with it: they answer 404 from then on.
      .addColumn('document_id', 'text', (col) => col.notNull().references('documents.id').onDelete('cascade'))
      .addColumn('side', 'text', (col) => col.notNull())
      .addColumn('grant_id', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      // Set when a refresh exchanged it for a new token (single use)
      .addColumn('refreshed_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('document_tokens_document')
      .on('document_tokens')
      .column('document_id')
      .execute();
    await db.schema
      .createIndex('document_tokens_created_at')
      .on('document_tokens')
      .column('created_at')
      .execute();

    await db.schema
      .createTable('document_accesses')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('at', 'bigint', (col) => col.notNull())
      // The application whose API token made the request; null when the API token was missing or invalid
      .addColumn('client_id', 'text')
      // The application the document token was issued to; null when the document token is unknown
      .addColumn('token_client_id', 'text')
      .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('cascade'))
      // No foreign key: the record outlives the document
      .addColumn('document_id', 'text')
      .addColumn('side', 'text')
      .addColumn('size', 'text')
      .addColumn('outcome', 'text', (col) => col.notNull())
      .addColumn('status', 'integer', (col) => col.notNull())
      .addColumn('ip', 'text')
      .addColumn('request_id', 'text')
      .execute();
    await db.schema
      .createIndex('document_accesses_user_at')
      .on('document_accesses')
      .columns(['user_id', 'at'])
      .execute();
    await db.schema.createIndex('document_accesses_at').on('document_accesses').column('at').execute();

    // Serializes the hits of one key (an upsert locks the row on PostgreSQL until the transaction ends).
    await db.schema
      .createTable('sliding_window_keys')
      .addColumn('key', 'text', (col) => col.primaryKey().notNull())
      .addColumn('touched_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createTable('sliding_window_events')
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('at', 'bigint', (col) => col.notNull())
      .addColumn('hits', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('sliding_window_events_pk', ['key', 'at'])
      .execute();
    await db.schema
      .createIndex('sliding_window_events_at')
      .on('sliding_window_events')
      .column('at')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'sliding_window_events',
      'sliding_window_keys',
      'document_accesses',
      'document_tokens',
      'passback_api_tokens',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
