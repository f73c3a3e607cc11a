import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

export interface TestUserRow {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  testPersona: string | null;
  /** The name the account's owner agreed to show when accepting an invitation; null for personas */
  shownName: string | null;
  addedAt: Date;
}

/** An application the account is a test user of. */
export interface TestingRow {
  clientId: string;
  shownName: string | null;
  addedAt: Date;
}

/** The test users of sandbox applications, besides the shared personas (application_test_users). */
export function createTestUserRepository(db: Kysely<Schema>) {
  return {
    /** Adds the user; false when they were already one. */
    async insert(applicationId: string, userId: string, at: number): Promise<boolean> {
      const result = await db
        .insertInto('application_test_users')
        .values({ application_id: applicationId, user_id: userId, created_at: at, shown_name: null })
        .onConflict((oc) => oc.columns(['application_id', 'user_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async delete(applicationId: string, userId: string): Promise<boolean> {
      const result = await db
        .deleteFrom('application_test_users')
        .where('application_id', '=', applicationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    async isTester(applicationId: string, userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('application_test_users')
        .select('user_id')
        .where('application_id', '=', applicationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The application's own test users, oldest first. */
    async list(applicationId: string): Promise<TestUserRow[]> {
      const rows = await db
        .selectFrom('application_test_users')
        .innerJoin('users', 'users.id', 'application_test_users.user_id')
        .select([
          'users.id',
          'users.email',
          'users.first_name',
          'users.last_name',
          'users.test_persona',
          'application_test_users.shown_name',
          'application_test_users.created_at',
        ])
        .where('application_test_users.application_id', '=', applicationId)
        .orderBy('application_test_users.created_at')
        .orderBy('users.id')
        .execute();
      return rows.map((row) => ({
        userId: row.id,
        email: row.email,
        firstName: row.first_name,
        lastName: row.last_name,
        testPersona: row.test_persona,
        shownName: row.shown_name,
        addedAt: new Date(row.created_at),
      }));
    },

    /** The sandbox applications the account is a test user of (not the personas' shared access), oldest first. */
    async listForUser(userId: string): Promise<TestingRow[]> {
      const rows = await db
        .selectFrom('application_test_users')
        .innerJoin('applications', 'applications.id', 'application_test_users.application_id')
        .select([
          'applications.client_id',
          'application_test_users.shown_name',
          'application_test_users.created_at',
        ])
        .where('application_test_users.user_id', '=', userId)
        .orderBy('application_test_users.created_at')
        .orderBy('applications.client_id')
        .execute();
      return rows.map((row) => ({
        clientId: row.client_id,
        shownName: row.shown_name,
        addedAt: new Date(row.created_at),
      }));
    },
  };
}

export type TestUserRepository = ReturnType<typeof createTestUserRepository>;
