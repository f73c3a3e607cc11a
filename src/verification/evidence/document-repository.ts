import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../storage/schema.ts';
import type { DocumentsTable } from '../../storage/tables/verifications.ts';
import type { DocumentSide, DuplicateDocument, StoredDocument } from './documents.ts';
import { evidenceErrors } from './errors.ts';

/** SQLite's and PostgreSQL's codes for a foreign key violation. */
const FOREIGN_KEY_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);

/** A document row as the service sees it: the public fields and where its bytes are in the blob store. */
export interface DocumentRecord {
  document: StoredDocument;
  blobKey: string;
}

/** The `documents` table: metadata of uploaded document sides (the bytes are blobs). */
export function createDocumentRepository(db: Kysely<Schema>) {
  return {
    /** Inserts a document; an unknown verification or user is `evidence.unknown_verification`. */
    async insert(record: DocumentRecord): Promise<void> {
      try {
        await db.insertInto('documents').values(toRow(record)).execute();
      } catch (error) {
        if (FOREIGN_KEY_VIOLATIONS.has((error as { code?: string }).code ?? '')) {
          const { verificationId, userId } = record.document;
          throw evidenceErrors.unknownVerification({ verificationId, userId }, error);
        }
        throw error;
      }
    },

    /** Whose verification `verificationId` is, or undefined when there is none. */
    async findVerificationOwner(verificationId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('verifications')
        .select('user_id')
        .where('id', '=', verificationId)
        .executeTakeFirst();
      return row?.user_id;
    },

    async findById(id: string): Promise<DocumentRecord | undefined> {
      const row = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    /** A verification's documents: front before back, then in upload order. */
    async listForVerification(verificationId: string): Promise<DocumentRecord[]> {
      const rows = await db
        .selectFrom('documents')
        .selectAll()
        .where('verification_id', '=', verificationId)
        .execute();
      // Sorted here: a verification has a handful of documents, and `side` has no portable sort order.
      return rows.sort(frontFirst).map(toRecord);
    },

    async listForUser(userId: string): Promise<DocumentRecord[]> {
      const rows = await db.selectFrom('documents').selectAll().where('user_id', '=', userId).execute();
      return rows.sort(frontFirst).map(toRecord);
    },

    /**
     * Documents of other users with the same content hash as one of `verificationId`'s documents, oldest
     * first: the same picture sent from several accounts is a signal for reviewers.
     */
    async listDuplicates(verificationId: string): Promise<DuplicateDocument[]> {
      const rows = await db
        .selectFrom('documents as mine')
        .innerJoin('documents as other', 'other.content_hash', 'mine.content_hash')
        .select([
          'mine.id as same_as',
          'other.id',
          'other.user_id',
          'other.verification_id',
          'other.created_at',
        ])
        .where('mine.verification_id', '=', verificationId)
        .whereRef('other.user_id', '!=', 'mine.user_id')
        .orderBy('other.created_at')
        .orderBy('other.id')
        .orderBy('mine.id')
        .execute();
      return rows.map((row) => ({
        documentId: row.id,
        userId: row.user_id,
        verificationId: row.verification_id,
        createdAt: new Date(row.created_at),
        sameAs: row.same_as,
      }));
    },

    async deleteByIds(ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const result = await db
        .deleteFrom('documents')
        .where('id', 'in', [...ids])
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Marks a document purged at `at` unless it already is; true when this call did it. */
    async markPurged(id: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('documents')
        .set({ purged_at: at })
        .where('id', '=', id)
        .where('purged_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type DocumentRepository = ReturnType<typeof createDocumentRepository>;

const SIDE_ORDER: Record<string, number> = { front: 0, back: 1 };

function frontFirst(a: Selectable<DocumentsTable>, b: Selectable<DocumentsTable>): number {
  return (
    (SIDE_ORDER[a.side] ?? 2) - (SIDE_ORDER[b.side] ?? 2) ||
    a.created_at - b.created_at ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function toRow({ document, blobKey }: DocumentRecord): Selectable<DocumentsTable> {
  return {
    id: document.id,
    verification_id: document.verificationId,
    user_id: document.userId,
    side: document.side,
    document_type: document.documentType,
    content_type: document.contentType,
    width: document.width,
    height: document.height,
    byte_size: document.byteSize,
    content_hash: document.contentHash,
    blob_key: blobKey,
    created_at: document.createdAt.getTime(),
    purged_at: document.purgedAt?.getTime() ?? null,
  };
}

function toSide(side: string): DocumentSide {
  if (side !== 'front' && side !== 'back') throw new Error(`unknown document side ${JSON.stringify(side)}`);
  return side;
}

function toRecord(row: Selectable<DocumentsTable>): DocumentRecord {
  return {
    blobKey: row.blob_key,
    document: {
      id: row.id,
      verificationId: row.verification_id,
      userId: row.user_id,
      side: toSide(row.side),
      documentType: row.document_type,
      contentType: row.content_type,
      width: row.width,
      height: row.height,
      byteSize: row.byte_size,
      contentHash: row.content_hash,
      createdAt: new Date(row.created_at),
      purgedAt: row.purged_at === null ? null : new Date(row.purged_at),
    },
  };
}
