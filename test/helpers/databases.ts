import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { openDatabase, type Database } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { tempDir } from './env.ts';
import { join } from 'node:path';

/** One database a suite can run against: a fresh SQLite file, or a fresh schema on the test PostgreSQL. */
export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** A VETTED_DATABASE_URL for a new, empty database. */
  create(): Promise<string>;
  /** Drops what create() made. */
  dropAll(): Promise<void>;
}

export const postgresUrl = process.env.VETTED_TEST_DATABASE_URL;
export const POSTGRES_SKIP_REASON =
  'skipped: PostgreSQL is not configured (set VETTED_TEST_DATABASE_URL=postgres://…, as .ci/run does)';

export function sqliteDatabase(): TestDatabase {
  return {
    name: 'sqlite',
    create: () => Promise.resolve(`sqlite:${join(tempDir(), 'vetted.db')}`),
    dropAll: () => Promise.resolve(),
  };
}

export function postgresDatabase(url: string): TestDatabase {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    create() {
      const schema = `vetted_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      const withSchema = new URL(url);
      withSchema.searchParams.set('schema', schema);
      return Promise.resolve(withSchema.toString());
    },
    async dropAll() {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas.splice(0))
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Declares `suite` once per database: always on SQLite, and on PostgreSQL when VETTED_TEST_DATABASE_URL is set.
 * Without it the PostgreSQL suite is reported as skipped with the reason, never silently passed.
 */
export function describeEachDatabase(title: string, suite: (database: TestDatabase) => void): void {
  describe(`${title} [sqlite]`, () => {
    suite(sqliteDatabase());
  });
  if (postgresUrl === undefined || postgresUrl === '') {
    describe.skip(`${title} [postgres] (${POSTGRES_SKIP_REASON})`, () => {
      suite(sqliteDatabase());
    });
  } else {
    describe(`${title} [postgres]`, () => {
      suite(postgresDatabase(postgresUrl));
    });
  }
}

/** Fresh migrated databases on `target`, closed and dropped after the suite. */
export function migratedDatabases(target: TestDatabase): { fresh(): Promise<Database> } {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
    await target.dropAll();
  });
  return {
    async fresh() {
      const url = await target.create();
      const database = await openDatabase(loadConfig({ VETTED_DATABASE_URL: url }).database);
      opened.push(database);
      await migrateToLatest(database);
      return database;
    },
  };
}
