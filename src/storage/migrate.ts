import { Migrator, type Migration, type MigrationResult } from 'kysely/migration';
import type { Database } from './database.ts';
import { foundation } from './migrations/0001-foundation.ts';
import { accounts } from './migrations/0002-accounts.ts';
import { oidc } from './migrations/0003-oidc.ts';
import { verifications } from './migrations/0004-verifications.ts';
import { verificationEngine } from './migrations/0005-verification-engine.ts';
import { partners } from './migrations/0006-partners.ts';
import { consoleColumns } from './migrations/0007-console.ts';
import { documentPassback } from './migrations/0008-document-passback.ts';
import { testUserInvitations } from './migrations/0009-test-user-invitations.ts';
import { signUpDecoys } from './migrations/0010-sign-up-decoys.ts';
import { clientAuthFailures } from './migrations/0011-client-auth-failures.ts';
import { setupCodes } from './migrations/0012-setup-codes.ts';
import { partnerNotices } from './migrations/0014-partner-notices.ts';

/** Every migration's name, in order. Names never change once released. */
export const migrationNames = [
  '0001-foundation',
  '0002-accounts',
  '0003-oidc',
  '0004-verifications',
  '0005-verification-engine',
  '0006-partners',
  '0007-console',
  '0008-document-passback',
  '0009-test-user-invitations',
  '0010-sign-up-decoys',
  '0011-client-auth-failures',
  '0012-setup-codes',
  '0014-partner-notices',
] as const;

/** Every migration, in order. */
function migrations(database: Database): Record<string, Migration> {
  return {
    '0001-foundation': foundation(database.dialect),
    '0002-accounts': accounts,
    '0003-oidc': oidc,
    '0004-verifications': verifications,
    '0005-verification-engine': verificationEngine(database.dialect),
    '0006-partners': partners,
    '0007-console': consoleColumns,
    '0008-document-passback': documentPassback,
    '0009-test-user-invitations': testUserInvitations,
    '0010-sign-up-decoys': signUpDecoys,
    '0011-client-auth-failures': clientAuthFailures,
    '0012-setup-codes': setupCodes,
    '0014-partner-notices': partnerNotices,
  };
}

function migrator(database: Database): Migrator {
  return new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(migrations(database)) },
    migrationTableName: 'vetted_migrations',
    migrationLockTableName: 'vetted_migrations_lock',
    // Without it Kysely would find the migration table of another schema in the same database.
    ...(database.schema === undefined ? {} : { migrationTableSchema: database.schema }),
  });
}

export class MigrationError extends Error {
  constructor(migration: string | undefined, cause: unknown) {
    super(
      `migration ${migration ?? '(setup)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'MigrationError';
  }
}

/** Applies pending migrations (safe to run from several instances at once) and returns the ones applied. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const { error, results } = await migrator(database).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result: MigrationResult) => result.status === 'Error');
    throw new MigrationError(failed?.migrationName, error);
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/** Names of migrations not yet applied to this database. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const all = await migrator(database).getMigrations();
  return all.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}
