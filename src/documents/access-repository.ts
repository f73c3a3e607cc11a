import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

/** One request for a document image, allowed or refused. */
export interface DocumentAccess {
  id: string;
  at: Date;
  /** The application whose API token made the request; null when it was missing or invalid. */
  clientId: string | null;
  /** The application the document token was issued to; null when the document token is unknown. */
  tokenClientId: string | null;
  userId: string | null;
  documentId: string | null;
  side: string | null;
  size: string | null;
  outcome: string;
  status: number;
  ip: string | null;
  requestId: string | null;
}

/** `document_accesses`: what users see as "Who accessed my documents". */
export function createAccessRepository(db: Kysely<Schema>) {
  return {
    async insert(access: DocumentAccess): Promise<void> {
      await db
        .insertInto('document_accesses')
        .values({
          id: access.id,
          at: access.at.getTime(),
          client_id: access.clientId,
          token_client_id: access.tokenClientId,
          user_id: access.userId,
          document_id: access.documentId,
          side: access.side,
          size: access.size,
          outcome: access.outcome,
          status: access.status,
          ip: access.ip,
          request_id: access.requestId,
        })
        .execute();
    },

    /** A user's accesses, newest first. */
    async listForUser(
      userId: string,
      page: { limit: number; offset: number },
    ): Promise<{ items: DocumentAccess[]; total: number }> {
      const [rows, count] = await Promise.all([
        db
          .selectFrom('document_accesses')
          .selectAll()
          .where('user_id', '=', userId)
          .orderBy('at', 'desc')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        db
          .selectFrom('document_accesses')
          .select((eb) => eb.fn.countAll<number | string>().as('total'))
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow(),
      ]);
      return {
        total: Number(count.total),
        items: rows.map((row) => ({
          id: row.id,
          at: new Date(row.at),
          clientId: row.client_id,
          tokenClientId: row.token_client_id,
          userId: row.user_id,
          documentId: row.document_id,
          side: row.side,
          size: row.size,
          outcome: row.outcome,
          status: row.status,
          ip: row.ip,
          requestId: row.request_id,
        })),
      };
    },
  };
}

export type AccessRepository = ReturnType<typeof createAccessRepository>;
