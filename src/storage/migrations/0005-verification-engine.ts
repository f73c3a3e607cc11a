import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { communityDefinitions, seedEmailDomainRules } from './0005-community-definitions.ts';

/**
 * The verification engine (issue 4): how each community is proven, the lifecycle of a verification with its
 * evidence and review, documents (encrypted blobs), authoritative sources (rosters, HTTP registries), roles
 * for reviewers and administrators, and browser sessions for Vetted's own pages.
 */
export function verificationEngine(dialect: Dialect) {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('communities')
        .addColumn('methods', 'text', (col) => col.notNull().defaultTo('[]'))
        .execute();
      for (const column of ['document_types', 'attribute_definitions'] as const) {
        await db.schema
          .alterTable('communities')
          .addColumn(column, 'text', (col) => col.notNull().defaultTo('[]'))
          .execute();
      }
      await db.schema
        .alterTable('communities')
        .addColumn('subgroup_validity_days', 'text', (col) => col.notNull().defaultTo('{}'))
        .execute();
      for (const [handle, definition] of Object.entries(communityDefinitions)) {
        await db
          .updateTable('communities' as never)
          .set({
            methods: JSON.stringify(definition.methods),
            document_types: JSON.stringify(definition.documentTypes),
            attribute_definitions: JSON.stringify(definition.attributes),
            subgroup_validity_days: JSON.stringify(definition.subgroupValidityDays),
          } as never)
          .where('handle' as never, '=', handle as never)
          .execute();
      }

      // The lifecycle (verification/state.ts): `pending` was 0004's name for a verification awaiting review.
      for (const column of ['reason_code', 'note', 'reviewer_id', 'source_reference', 'application_id']) {
        await db.schema.alterTable('verifications').addColumn(column, 'text').execute();
      }
      for (const column of ['submitted_at', 'decided_at']) {
        await db.schema.alterTable('verifications').addColumn(column, 'bigint').execute();
      }
      await db
        .updateTable('verifications' as never)
        .set({ status: 'in_review' } as never)
        .where('status' as never, '=', 'pending' as never)
        .execute();
      await db.schema
        .createIndex('verifications_status_submitted')
        .on('verifications')
        .columns(['status', 'submitted_at'])
        .execute();
      await db.schema
        .createIndex('verifications_expiring')
        .on('verifications')
        .columns(['status', 'expires_at'])
        .execute();

      await db.schema
        .createTable('verification_evidence')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('verification_id', 'text', (col) =>
          col.notNull().references('verifications.id').onDelete('cascade'),
        )
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('details', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('verification_evidence_verification')
        .on('verification_evidence')
        .column('verification_id')
        .execute();

      await db.schema
        .createTable('documents')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('verification_id', 'text', (col) =>
          col.notNull().references('verifications.id').onDelete('cascade'),
        )
        .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('side', 'text', (col) => col.notNull())
        .addColumn('document_type', 'text', (col) => col.notNull())
        .addColumn('content_type', 'text', (col) => col.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('byte_size', 'integer', (col) => col.notNull())
        .addColumn('content_hash', 'text', (col) => col.notNull())
        .addColumn('blob_key', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('purged_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('documents_verification')
        .on('documents')
        .column('verification_id')
        .execute();
      await db.schema.createIndex('documents_content_hash').on('documents').column('content_hash').execute();
      await db.schema.createIndex('documents_user').on('documents').column('user_id').execute();

      // The database blob store (storage/blobs.ts), for several instances; a local folder by default.
      await db.schema
        .createTable('blobs')
        .addColumn('key', 'text', (col) => col.primaryKey().notNull())
        .addColumn('data', bytes, (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();

      await db.schema
        .createTable('email_domain_rules')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('community', 'text', (col) =>
          col.notNull().references('communities.handle').onDelete('cascade'),
        )
        .addColumn('subgroup', 'text', (col) => col.notNull())
        .addColumn('pattern', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addUniqueConstraint('email_domain_rules_unique', ['community', 'pattern'])
        .execute();
      const now = Date.now();
      await db
        .insertInto('email_domain_rules' as never)
        .values(
          seedEmailDomainRules.map((rule, index) => ({
            id: `seed-${String(index + 1).padStart(2, '0')}`,
            ...rule,
            created_at: now,
          })),
        )
        .execute();

      await db.schema
        .createTable('rosters')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('community', 'text', (col) =>
          col.notNull().references('communities.handle').onDelete('cascade'),
        )
        .addColumn('organization', 'text', (col) => col.notNull())
        .addColumn('entry_count', 'integer', (col) => col.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createTable('roster_entries')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('roster_id', 'text', (col) => col.notNull().references('rosters.id').onDelete('cascade'))
        .addColumn('email_normalized', 'text')
        .addColumn('member_id', 'text')
        .addColumn('first_name_normalized', 'text', (col) => col.notNull())
        .addColumn('last_name_normalized', 'text', (col) => col.notNull())
        .addColumn('subgroup', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('roster_entries_roster').on('roster_entries').column('roster_id').execute();
      await db.schema
        .createIndex('roster_entries_email')
        .on('roster_entries')
        .column('email_normalized')
        .execute();
      await db.schema.createIndex('roster_entries_member').on('roster_entries').column('member_id').execute();

      await db.schema
        .createTable('registry_sources')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('community', 'text', (col) =>
          col.notNull().references('communities.handle').onDelete('cascade'),
        )
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('url_template', 'text', (col) => col.notNull())
        // Sealed with the master key (keys/secret-box.ts): it is a credential for the registry.
        .addColumn('auth_header_sealed', 'text')
        .addColumn('response_mapping', 'text', (col) => col.notNull())
        .addColumn('timeout_ms', 'integer', (col) => col.notNull())
        .addColumn('retries', 'integer', (col) => col.notNull())
        .addColumn('enabled', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();

      await db.schema
        .createTable('user_roles')
        .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
        .execute();

      // Sandbox test personas (verification/sources/sandbox.ts): `<community>:<outcome>`, null for real users.
      await db.schema.alterTable('users').addColumn('test_persona', 'text').execute();

      await db.schema
        .createTable('web_sessions')
        .addColumn('id_hash', 'text', (col) => col.primaryKey().notNull())
        .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('web_sessions_user').on('web_sessions').column('user_id').execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'web_sessions',
        'user_roles',
        'registry_sources',
        'roster_entries',
        'rosters',
        'email_domain_rules',
        'blobs',
        'documents',
        'verification_evidence',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
