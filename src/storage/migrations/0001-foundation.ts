import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

export function foundation(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'text', (col) => col.primaryKey().notNull())
        .addColumn('alg', 'text', (col) => col.notNull())
        .addColumn('generation', 'integer', (col) => col.notNull())
        .addColumn('public_jwk', 'text', (col) => col.notNull())
        .addColumn('private_jwk_sealed', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('activated_at', 'bigint', (col) => col.notNull())
        .addColumn('retired_at', 'bigint')
        .addUniqueConstraint('signing_keys_alg_generation_unique', ['alg', 'generation'])
        .execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('seq', dialect === 'postgres' ? 'bigint' : 'integer', (col) =>
          dialect === 'postgres'
            ? col.primaryKey().generatedAlwaysAsIdentity()
            : col.primaryKey().autoIncrement().notNull(),
        )
        .addColumn('id', 'text', (col) => col.notNull().unique())
        .addColumn('occurred_at', 'bigint', (col) => col.notNull())
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('actor_type', 'text', (col) => col.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('subject_type', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('request_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('data', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('audit_events_occurred_at')
        .on('audit_events')
        .column('occurred_at')
        .execute();
      await db.schema
        .createIndex('audit_events_subject')
        .on('audit_events')
        .columns(['subject_type', 'subject_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('audit_events').execute();
      await db.schema.dropTable('signing_keys').execute();
    },
  };
}
