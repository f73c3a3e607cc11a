import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

/** Statuses after which a verification's evidence is not looked at again (a new attempt is a new row). */
const DECIDED = ['verified', 'expired', 'revoked', 'rejected'];

/** The documents whose images retention says to delete (documents/retention.ts). */
export function createRetentionRepository(db: Kysely<Schema>) {
  return {
    /**
     * Unpurged documents of verifications decided at or before `decidedBefore` (a retention period is set),
     * or, when it is undefined, of verifications no longer valid at `now` (expired or revoked). At most
     * `limit`, oldest decision first.
     */
    async listDue(options: { now: number; decidedBefore: number | undefined; limit: number }) {
      let query = db
        .selectFrom('documents')
        .innerJoin('verifications', 'verifications.id', 'documents.verification_id')
        .select(['documents.id as id', 'documents.user_id as user_id', 'documents.verification_id as vid'])
        .where('documents.purged_at', 'is', null);
      if (options.decidedBefore !== undefined) {
        const before = options.decidedBefore;
        query = query
          .where('verifications.status', 'in', DECIDED)
          .where('verifications.decided_at', 'is not', null)
          .where('verifications.decided_at', '<=', before);
      } else {
        query = query.where((eb) =>
          eb.or([
            eb('verifications.status', 'in', ['expired', 'revoked']),
            eb.and([
              eb('verifications.status', '=', 'verified'),
              eb('verifications.expires_at', 'is not', null),
              eb('verifications.expires_at', '<=', options.now),
            ]),
          ]),
        );
      }
      const rows = await query
        .orderBy('verifications.decided_at')
        .orderBy('documents.id')
        .limit(options.limit)
        .execute();
      return rows.map((row) => ({ documentId: row.id, userId: row.user_id, verificationId: row.vid }));
    },
  };
}

export type RetentionRepository = ReturnType<typeof createRetentionRepository>;
