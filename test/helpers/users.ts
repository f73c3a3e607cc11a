import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../../src/storage/schema.ts';

/**
 * A users row written straight to the database, for suites that test one repository or service and only need
 * the row for a foreign key (no password, email unconfirmed). Returns its id.
 */
export async function insertTestUser(
  db: Kysely<Schema>,
  names: { firstName?: string; lastName?: string; birthDate?: string | null } = {},
): Promise<string> {
  const id = randomBytes(16).toString('hex');
  await db
    .insertInto('users')
    .values({
      id,
      email: `${id}@example.com`,
      email_normalized: `${id}@example.com`,
      password_hash: null,
      first_name: names.firstName ?? 'Sean',
      last_name: names.lastName ?? 'Moen',
      postal_code: null,
      birth_date: names.birthDate ?? null,
      email_verified_at: null,
      created_at: 0,
      updated_at: 0,
      test_persona: null,
    })
    .execute();
  return id;
}
