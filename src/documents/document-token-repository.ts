import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { DocumentTokensTable } from '../storage/tables/documents.ts';

export interface DocumentTokenRecord {
  id: string;
  tokenHash: string;
  clientId: string;
  userId: string;
  documentId: string;
  side: string;
  grantId: string;
  createdAt: Date;
  expiresAt: Date;
  refreshedAt: Date | null;
}

/** `document_tokens`: the document tokens handed out, by the hash of their value. */
export function createDocumentTokenRepository(db: Kysely<Schema>) {
  return {
    async insertMany(records: readonly DocumentTokenRecord[]): Promise<void> {
      if (records.length === 0) return;
      await db.insertInto('document_tokens').values(records.map(toRow)).execute();
    },

    async findByHash(tokenHash: string): Promise<DocumentTokenRecord | undefined> {
      const row = await db
        .selectFrom('document_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    /** Marks a token exchanged by a refresh, once; true for the call that did it. */
    async consumeForRefresh(id: string, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('document_tokens')
        .set({ refreshed_at: at.getTime() })
        .where('id', '=', id)
        .where('refreshed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Deletes tokens issued before `before` (past any refresh); returns how many. */
    async deleteIssuedBefore(before: Date): Promise<number> {
      const result = await db
        .deleteFrom('document_tokens')
        .where('created_at', '<', before.getTime())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteForDocument(documentId: string): Promise<void> {
      await db.deleteFrom('document_tokens').where('document_id', '=', documentId).execute();
    },
  };
}

export type DocumentTokenRepository = ReturnType<typeof createDocumentTokenRepository>;

function toRow(record: DocumentTokenRecord): Selectable<DocumentTokensTable> {
  return {
    id: record.id,
    token_hash: record.tokenHash,
    client_id: record.clientId,
    user_id: record.userId,
    document_id: record.documentId,
    side: record.side,
    grant_id: record.grantId,
    created_at: record.createdAt.getTime(),
    expires_at: record.expiresAt.getTime(),
    refreshed_at: record.refreshedAt?.getTime() ?? null,
  };
}

function toRecord(row: Selectable<DocumentTokensTable>): DocumentTokenRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    clientId: row.client_id,
    userId: row.user_id,
    documentId: row.document_id,
    side: row.side,
    grantId: row.grant_id,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    refreshedAt: row.refreshed_at === null ? null : new Date(row.refreshed_at),
  };
}
