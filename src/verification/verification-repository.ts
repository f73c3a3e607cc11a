import type { Kysely, Selectable } from 'kysely';
import { prepareQuery } from '../storage/prepared.ts';
import type { Schema } from '../storage/schema.ts';
import type { VerificationsTable } from '../storage/tables/verifications.ts';
import { parseStringArray } from './community-repository.ts';
import { verificationErrors } from './errors.ts';
import {
  verificationStatuses,
  type JsonObject,
  type Verification,
  type VerificationStatus,
} from './types.ts';

/** SQLite's and PostgreSQL's codes for a foreign key violation. */
const FOREIGN_KEY_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);

export function createVerificationRepository(db: Kysely<Schema>) {
  // Read on every attributes call: prepared once (storage/prepared.ts).
  const currentOfUser = prepareQuery<{ userId: string; now: number }, Selectable<VerificationsTable>>(
    db,
    (param) =>
      db
        .selectFrom('verifications')
        .selectAll()
        .where('user_id', '=', param('userId'))
        .where('status', '=', 'verified')
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', param('now'))])),
  );

  return {
    /** Inserts a verification; a user that does not exist is `verification.unknown_user`. */
    async insert(verification: Verification): Promise<void> {
      try {
        await db
          .insertInto('verifications')
          .values({
            id: verification.id,
            user_id: verification.userId,
            community: verification.community,
            subgroups: JSON.stringify(verification.subgroups),
            status: verification.status,
            method: verification.method,
            attributes: JSON.stringify(verification.attributes),
            verified_at: verification.verifiedAt?.getTime() ?? null,
            expires_at: verification.expiresAt?.getTime() ?? null,
            created_at: verification.createdAt.getTime(),
            updated_at: verification.updatedAt.getTime(),
          })
          .execute();
      } catch (error) {
        if (FOREIGN_KEY_VIOLATIONS.has((error as { code?: string }).code ?? '')) {
          throw verificationErrors.unknownUser(verification.userId, error);
        }
        throw error;
      }
    },

    async findById(id: string): Promise<Verification | undefined> {
      const row = await db.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toVerification(row);
    },

    /** A user's verifications, newest first; only of `communities` when given. */
    async listForUser(userId: string, communities?: readonly string[]): Promise<Verification[]> {
      if (communities?.length === 0) return [];
      let query = db
        .selectFrom('verifications')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc');
      if (communities !== undefined) query = query.where('community', 'in', [...communities]);
      return (await query.execute()).map(toVerification);
    },

    /**
     * A user's `verified` verifications of `communities` that have not expired at `now`, the most recently
     * verified first.
     */
    async listCurrent(userId: string, communities: readonly string[], now: number): Promise<Verification[]> {
      if (communities.length === 0) return [];
      const wanted = new Set(communities);
      const rows = await currentOfUser({ userId, now });
      // Filtered and sorted (newest first) here: a user has a handful of rows, and SQLite's sorter for an
      // ORDER BY cost several times more than the indexed lookup itself.
      return rows
        .filter((row) => wanted.has(row.community))
        .sort(newestFirst)
        .map(toVerification);
    },
  };
}

export type VerificationRepository = ReturnType<typeof createVerificationRepository>;

function newestFirst(a: Selectable<VerificationsTable>, b: Selectable<VerificationsTable>): number {
  return (
    (b.verified_at ?? 0) - (a.verified_at ?? 0) ||
    b.created_at - a.created_at ||
    (b.id < a.id ? -1 : b.id > a.id ? 1 : 0)
  );
}

function toVerification(row: Selectable<VerificationsTable>): Verification {
  return {
    id: row.id,
    userId: row.user_id,
    community: row.community,
    subgroups: parseStringArray(row.subgroups),
    status: parseStatus(row.status),
    method: row.method,
    attributes: parseObject(row.attributes),
    verifiedAt: row.verified_at === null ? null : new Date(row.verified_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function parseStatus(value: string): VerificationStatus {
  const status = verificationStatuses.find((candidate) => candidate === value);
  if (status === undefined) throw new Error(`unknown verification status ${JSON.stringify(value)}`);
  return status;
}

function parseObject(text: string): JsonObject {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object, got ${text.slice(0, 100)}`);
  }
  return value as JsonObject;
}
