import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

export interface TestInvitationRow {
  id: string;
  applicationId: string;
  email: string;
  userId: string | null;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
  outcome: 'accepted' | 'declined' | null;
  withdrawnAt: Date | null;
}

type Row = Schema['test_user_invitations'];

function toInvitation(row: Row): TestInvitationRow {
  return {
    id: row.id,
    applicationId: row.application_id,
    email: row.email_normalized,
    userId: row.user_id,
    invitedBy: row.invited_by,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    consumedAt: row.consumed_at === null ? null : new Date(row.consumed_at),
    outcome: row.outcome === 'accepted' || row.outcome === 'declined' ? row.outcome : null,
    withdrawnAt: row.withdrawn_at === null ? null : new Date(row.withdrawn_at),
  };
}

/**
 * Invitations of existing accounts to be test users (test_user_invitations). What the partner sees is the same
 * for an address without an account and for an invitation its owner declined: both are "pending" until expiry.
 */
export function createTestInvitationRepository(db: Kysely<Schema>) {
  return {
    async insert(invitation: TestInvitationRow, tokenHash: string): Promise<void> {
      await db
        .insertInto('test_user_invitations')
        .values({
          id: invitation.id,
          application_id: invitation.applicationId,
          email_normalized: invitation.email,
          user_id: invitation.userId,
          token_hash: tokenHash,
          invited_by: invitation.invitedBy,
          created_at: invitation.createdAt.getTime(),
          expires_at: invitation.expiresAt.getTime(),
          consumed_at: null,
          outcome: null,
          withdrawn_at: null,
        })
        .execute();
    },

    /** What the partner lists: not withdrawn and not accepted (an accepted one is a test user), newest first. */
    async listShown(applicationId: string, limit: number): Promise<TestInvitationRow[]> {
      const rows = await db
        .selectFrom('test_user_invitations')
        .selectAll()
        .where('application_id', '=', applicationId)
        .where('withdrawn_at', 'is', null)
        .where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', '!=', 'accepted')]))
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toInvitation);
    },

    /** Invitations of the address by the application since `since`, withdrawn ones included. */
    async listForAddress(applicationId: string, email: string, since: number): Promise<TestInvitationRow[]> {
      const rows = await db
        .selectFrom('test_user_invitations')
        .selectAll()
        .where('application_id', '=', applicationId)
        .where('email_normalized', '=', email)
        .where('created_at', '>=', since)
        .execute();
      return rows.map(toInvitation);
    },

    /** The invitation of a mailed token, with its application's client_id. */
    async findByTokenHash(
      tokenHash: string,
    ): Promise<(TestInvitationRow & { clientId: string }) | undefined> {
      const row = await db
        .selectFrom('test_user_invitations')
        .innerJoin('applications', 'applications.id', 'test_user_invitations.application_id')
        .selectAll('test_user_invitations')
        .select('applications.client_id')
        .where('test_user_invitations.token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row === undefined ? undefined : { ...toInvitation(row), clientId: row.client_id };
    },

    /** The partner removes an invitation they still see (pending or expired); false when there is none. */
    async withdraw(applicationId: string, id: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('test_user_invitations')
        .set({ withdrawn_at: at })
        .where('id', '=', id)
        .where('application_id', '=', applicationId)
        .where('withdrawn_at', 'is', null)
        .where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', '!=', 'accepted')]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /**
     * Answers the invitation once: `UPDATE … WHERE consumed_at IS NULL` (and not withdrawn, not expired), and,
     * when accepted, makes the account a test user showing `shownName`, in one transaction. False when the
     * invitation was answered, withdrawn or expired meanwhile.
     */
    async consume(
      invitation: TestInvitationRow,
      answer: { outcome: 'accepted'; userId: string; shownName: string } | { outcome: 'declined' },
      at: number,
    ): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const consumed = await trx
          .updateTable('test_user_invitations')
          .set({ consumed_at: at, outcome: answer.outcome })
          .where('id', '=', invitation.id)
          .where('consumed_at', 'is', null)
          .where('withdrawn_at', 'is', null)
          .where('expires_at', '>', at)
          .executeTakeFirst();
        if (Number(consumed.numUpdatedRows) !== 1) return false;
        if (answer.outcome === 'accepted') {
          await trx
            .insertInto('application_test_users')
            .values({
              application_id: invitation.applicationId,
              user_id: answer.userId,
              created_at: at,
              shown_name: answer.shownName,
            })
            .onConflict((oc) =>
              oc.columns(['application_id', 'user_id']).doUpdateSet({ shown_name: answer.shownName }),
            )
            .execute();
        }
        return true;
      });
    },

    /** Forgets invitations that expired before `before` (the sweeper). */
    async deleteExpired(before: number): Promise<number> {
      const result = await db
        .deleteFrom('test_user_invitations')
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type TestInvitationRepository = ReturnType<typeof createTestInvitationRepository>;
