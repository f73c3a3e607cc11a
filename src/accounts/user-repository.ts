import { sql, type Kysely, type Selectable } from 'kysely';
import { prepareQuery } from '../storage/prepared.ts';
import type { Schema } from '../storage/schema.ts';
import type { UsersTable } from '../storage/tables/accounts.ts';

export interface UserRow {
  id: string;
  email: string;
  emailNormalized: string;
  /** Argon2id PHC string; null when the account has no password. */
  passwordHash: string | null;
  firstName: string;
  lastName: string;
  postalCode: string | null;
  birthDate: string | null;
  emailVerifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** A sandbox test persona's `<community>:<outcome>`; null for real users. */
  testPersona: string | null;
  /** When an administrator locked the account (it cannot sign in); null or absent: not locked. */
  lockedAt?: number | null;
  lockedReason?: string | null;
}

/** `text` as a LIKE pattern matching it anywhere, its wildcards taken literally (with ESCAPE backslash). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function createUserRepository(db: Kysely<Schema>) {
  // Read on every token issuance and attributes call: prepared once (storage/prepared.ts).
  const lookup = (column: 'id' | 'email_normalized') =>
    prepareQuery<{ value: string }, Selectable<UsersTable>>(db, (param) =>
      db.selectFrom('users').selectAll().where(column, '=', param('value')),
    );
  const byColumn = { id: lookup('id'), email_normalized: lookup('email_normalized') };

  async function findBy(column: 'id' | 'email_normalized', value: string): Promise<UserRow | undefined> {
    const [row] = await byColumn[column]({ value });
    return row === undefined ? undefined : fromRow(row);
  }

  return {
    /** Inserts the user unless the normalized email is taken; returns whether it was inserted. */
    async insertIfEmailFree(user: UserRow): Promise<boolean> {
      const result = await db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email,
          email_normalized: user.emailNormalized,
          password_hash: user.passwordHash,
          first_name: user.firstName,
          last_name: user.lastName,
          postal_code: user.postalCode,
          birth_date: user.birthDate,
          email_verified_at: user.emailVerifiedAt,
          created_at: user.createdAt,
          updated_at: user.updatedAt,
          test_persona: user.testPersona,
        })
        .onConflict((conflict) => conflict.column('email_normalized').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    findById: (id: string) => findBy('id', id),

    findByEmailNormalized: (emailNormalized: string) => findBy('email_normalized', emailNormalized),

    async updatePasswordHash(id: string, passwordHash: string, at: number): Promise<void> {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: at })
        .where('id', '=', id)
        .execute();
    },

    /**
     * Users whose normalized email contains `email`, or whose "first last" name contains `name` (lower case),
     * newest first; with the number of all matches.
     */
    async search(filter: {
      email: string;
      name: string;
      limit: number;
      offset: number;
    }): Promise<{ rows: UserRow[]; total: number }> {
      const emailPattern = containsPattern(filter.email);
      const namePattern = containsPattern(filter.name);
      // lower() on both dialects: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
      const matching = db
        .selectFrom('users')
        .where(
          sql<boolean>`(email_normalized LIKE ${emailPattern} ESCAPE '\\' OR lower(first_name || ' ' || last_name) LIKE ${namePattern} ESCAPE '\\')`,
        );
      const [rows, count] = await Promise.all([
        matching
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        matching.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(fromRow), total: Number(count.count) };
    },

    /** Sets or clears (`lockedAt` null) an administrator's lock; returns whether the user exists. */
    async updateLock(
      id: string,
      lockedAt: number | null,
      reason: string | null,
      at: number,
    ): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set({ locked_at: lockedAt, locked_reason: reason, updated_at: at })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Deletes the user's row (rows referencing it cascade); returns whether there was one. */
    async deleteById(id: string): Promise<boolean> {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /** Marks the email verified if it is not yet; returns whether this call did. */
    async markEmailVerified(id: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set({ email_verified_at: at, updated_at: at })
        .where('id', '=', id)
        .where('email_verified_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;

function fromRow(row: Selectable<UsersTable>): UserRow {
  return {
    id: row.id,
    email: row.email,
    emailNormalized: row.email_normalized,
    passwordHash: row.password_hash,
    firstName: row.first_name,
    lastName: row.last_name,
    postalCode: row.postal_code,
    birthDate: row.birth_date,
    emailVerifiedAt: row.email_verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    testPersona: row.test_persona,
    lockedAt: row.locked_at,
    lockedReason: row.locked_reason,
  };
}
