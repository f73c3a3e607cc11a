import type { Kysely, Selectable, Updateable } from 'kysely';
import { prepareQuery } from '../storage/prepared.ts';
import type { Schema } from '../storage/schema.ts';
import type { VerificationEvidenceTable, VerificationsTable } from '../storage/tables/verifications.ts';
import { parseStringArray } from './community-repository.ts';
import { verificationErrors } from './errors.ts';
import { awaitingReview, isVerificationStatus, type VerificationStatus } from './state.ts';
import {
  evidenceKinds,
  type Evidence,
  type EvidenceKind,
  type JsonObject,
  type Verification,
} from './types.ts';

/** Which applications a verification counts for: sandbox ones also take the sandbox's test outcomes. */
export type ApplicationMode = 'production' | 'sandbox';

/** SQLite's and PostgreSQL's codes for a foreign key violation. */
const FOREIGN_KEY_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);

/** Fields a transition may set besides the status. */
export type TransitionChanges = Partial<
  Pick<
    Verification,
    | 'subgroups'
    | 'attributes'
    | 'verifiedAt'
    | 'expiresAt'
    | 'submittedAt'
    | 'decidedAt'
    | 'reasonCode'
    | 'note'
    | 'reviewerId'
    | 'sourceReference'
  >
>;

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
        await db.insertInto('verifications').values(toRow(verification)).execute();
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

    /**
     * Moves a verification to `status` if it is still exactly as it was read (`expected` status and update
     * time), atomically: of two reviewers deciding at once, or a decision and a new upload, one wins and the
     * other gets false.
     */
    async transition(
      id: string,
      expected: { status: VerificationStatus; updatedAt: Date },
      status: VerificationStatus,
      changes: TransitionChanges,
      now: number,
    ): Promise<boolean> {
      const result = await db
        .updateTable('verifications')
        .set({ ...changesToRow(changes), status, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', expected.status)
        .where('updated_at', '=', expected.updatedAt.getTime())
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async deleteById(id: string): Promise<boolean> {
      const result = await db.deleteFrom('verifications').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
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
     * verified first. Sandbox verifications (test personas' fixed outcomes) count only for `sandbox` apps.
     */
    async listCurrent(
      userId: string,
      communities: readonly string[],
      now: number,
      mode: ApplicationMode = 'production',
    ): Promise<Verification[]> {
      if (communities.length === 0) return [];
      const wanted = new Set(communities);
      const rows = (await currentOfUser({ userId, now })).filter(
        (row) => mode === 'sandbox' || row.method !== 'sandbox',
      );
      // Filtered and sorted (newest first) here: a user has a handful of rows, and SQLite's sorter for an
      // ORDER BY cost several times more than the indexed lookup itself.
      return rows
        .filter((row) => wanted.has(row.community))
        .sort(newestFirst)
        .map(toVerification);
    },

    /**
     * The review queue: verifications waiting for a reviewer, oldest submission first. The sandbox's "goes to
     * review" personas wait forever by design and are not real people's evidence: they are left out.
     */
    async listAwaitingReview(page: { limit: number; offset: number }): Promise<Verification[]> {
      const rows = await db
        .selectFrom('verifications')
        .selectAll()
        .where('status', 'in', [...awaitingReview])
        .where('method', '!=', 'sandbox')
        .orderBy('submitted_at', 'asc')
        .orderBy('id', 'asc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(toVerification);
    },

    async countAwaitingReview(): Promise<number> {
      const row = await db
        .selectFrom('verifications')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('status', 'in', [...awaitingReview])
        .where('method', '!=', 'sandbox')
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** Verified verifications whose expiry has passed at `now` (the sweeper marks them expired). */
    async listDueToExpire(now: number, limit: number): Promise<Verification[]> {
      const rows = await db
        .selectFrom('verifications')
        .selectAll()
        .where('status', '=', 'verified')
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .limit(limit)
        .execute();
      return rows.map(toVerification);
    },

    async insertEvidence(evidence: Evidence): Promise<void> {
      await db
        .insertInto('verification_evidence')
        .values({
          id: evidence.id,
          verification_id: evidence.verificationId,
          kind: evidence.kind,
          details: JSON.stringify(evidence.details),
          created_at: evidence.createdAt.getTime(),
        })
        .execute();
    },

    async listEvidence(verificationId: string): Promise<Evidence[]> {
      const rows = await db
        .selectFrom('verification_evidence')
        .selectAll()
        .where('verification_id', '=', verificationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toEvidence);
    },

    /**
     * How many other users whose account email is at `domain` have a verification of `community` started
     * since `since`: many accounts of one organization proving one community at once deserve a second look.
     */
    async countOtherUsersOnDomain(input: {
      community: string;
      domain: string;
      exceptUserId: string;
      since: number;
    }): Promise<number> {
      const row = await db
        .selectFrom('verifications')
        .innerJoin('users', 'users.id', 'verifications.user_id')
        .select((eb) => eb.fn.count<number | string>('verifications.user_id').distinct().as('count'))
        .where('verifications.community', '=', input.community)
        .where('verifications.user_id', '!=', input.exceptUserId)
        .where('verifications.created_at', '>=', input.since)
        .where('users.email_normalized', 'like', `%@${input.domain.replace(/[%_\\]/g, '')}`)
        .executeTakeFirstOrThrow();
      return Number(row.count);
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

const time = (date: Date | null) => date?.getTime() ?? null;
const date = (ms: number | null) => (ms === null ? null : new Date(ms));

function toRow(verification: Verification): Selectable<VerificationsTable> {
  return {
    id: verification.id,
    user_id: verification.userId,
    community: verification.community,
    subgroups: JSON.stringify(verification.subgroups),
    status: verification.status,
    method: verification.method,
    attributes: JSON.stringify(verification.attributes),
    verified_at: time(verification.verifiedAt),
    expires_at: time(verification.expiresAt),
    created_at: verification.createdAt.getTime(),
    updated_at: verification.updatedAt.getTime(),
    submitted_at: time(verification.submittedAt),
    decided_at: time(verification.decidedAt),
    reason_code: verification.reasonCode,
    note: verification.note,
    reviewer_id: verification.reviewerId,
    source_reference: verification.sourceReference,
    application_id: verification.applicationId,
  };
}

function changesToRow(changes: TransitionChanges): Updateable<VerificationsTable> {
  const row: Updateable<VerificationsTable> = {};
  if (changes.subgroups !== undefined) row.subgroups = JSON.stringify(changes.subgroups);
  if (changes.attributes !== undefined) row.attributes = JSON.stringify(changes.attributes);
  if (changes.verifiedAt !== undefined) row.verified_at = time(changes.verifiedAt);
  if (changes.expiresAt !== undefined) row.expires_at = time(changes.expiresAt);
  if (changes.submittedAt !== undefined) row.submitted_at = time(changes.submittedAt);
  if (changes.decidedAt !== undefined) row.decided_at = time(changes.decidedAt);
  if (changes.reasonCode !== undefined) row.reason_code = changes.reasonCode;
  if (changes.note !== undefined) row.note = changes.note;
  if (changes.reviewerId !== undefined) row.reviewer_id = changes.reviewerId;
  if (changes.sourceReference !== undefined) row.source_reference = changes.sourceReference;
  return row;
}

function toVerification(row: Selectable<VerificationsTable>): Verification {
  if (!isVerificationStatus(row.status)) {
    throw new Error(`unknown verification status ${JSON.stringify(row.status)}`);
  }
  return {
    id: row.id,
    userId: row.user_id,
    community: row.community,
    subgroups: parseStringArray(row.subgroups),
    status: row.status,
    method: row.method,
    attributes: parseObject(row.attributes),
    verifiedAt: date(row.verified_at),
    expiresAt: date(row.expires_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    submittedAt: date(row.submitted_at),
    decidedAt: date(row.decided_at),
    reasonCode: row.reason_code,
    note: row.note,
    reviewerId: row.reviewer_id,
    sourceReference: row.source_reference,
    applicationId: row.application_id,
  };
}

function toEvidence(row: Selectable<VerificationEvidenceTable>): Evidence {
  const kind = evidenceKinds.find((candidate) => candidate === row.kind);
  if (kind === undefined) throw new Error(`unknown evidence kind ${JSON.stringify(row.kind)}`);
  return {
    id: row.id,
    verificationId: row.verification_id,
    kind: kind satisfies EvidenceKind,
    details: parseObject(row.details),
    createdAt: new Date(row.created_at),
  };
}

function parseObject(text: string): JsonObject {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object, got ${text.slice(0, 100)}`);
  }
  return value as JsonObject;
}
