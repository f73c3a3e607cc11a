import type { Kysely } from 'kysely';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { BlobStore } from '../../storage/blobs.ts';
import type { Schema } from '../../storage/schema.ts';
import { createDocumentRepository, type DocumentRecord } from './document-repository.ts';
import { evidenceErrors } from './errors.ts';
import type { CheckedUpload } from './upload-check.ts';

export type DocumentSide = 'front' | 'back';

/** One uploaded side of an identity document; its bytes are an encrypted blob. */
export interface StoredDocument {
  id: string;
  verificationId: string;
  userId: string;
  side: DocumentSide;
  /** A handle of the community's document types, e.g. `dd214` */
  documentType: string;
  contentType: string;
  width: number | null;
  height: number | null;
  /** Of the normalized bytes (before encryption) */
  byteSize: number;
  contentHash: string;
  createdAt: Date;
  /** When retention deleted the bytes; the row stays for the audit trail */
  purgedAt: Date | null;
}

/** Another account's document with the same content: a signal for reviewers, not a verdict. */
export interface DuplicateDocument {
  documentId: string;
  userId: string;
  verificationId: string;
  createdAt: Date;
  /** Which document of the verification asked about it matches. */
  sameAs: string;
}

export interface DocumentEvidenceDeps {
  db: Kysely<Schema>;
  blobs: BlobStore;
  ids: IdGenerator;
  clock: Clock;
}

/** The documents of verifications: checked uploads stored as encrypted blobs with a row each. */
export function createDocumentEvidence(deps: DocumentEvidenceDeps) {
  const { blobs, ids, clock } = deps;
  const repository = createDocumentRepository(deps.db);

  /** Blobs first, then rows: a failure part-way leaves rows to retry with, never rows without cleanup. */
  async function deleteRecords(records: readonly DocumentRecord[]): Promise<void> {
    for (const { blobKey } of records) await blobs.delete(blobKey);
    await repository.deleteByIds(records.map(({ document }) => document.id));
  }

  return {
    /**
     * Stores a checked upload as a side of `verificationId`, which must be `userId`'s verification
     * (`evidence.unknown_verification` otherwise). The blob is written first and removed if the row is not.
     */
    async store(input: {
      verificationId: string;
      userId: string;
      documentType: string;
      side: DocumentSide;
      upload: CheckedUpload;
    }): Promise<StoredDocument> {
      const { verificationId, userId } = input;
      if ((await repository.findVerificationOwner(verificationId)) !== userId) {
        throw evidenceErrors.unknownVerification({ verificationId, userId });
      }
      const { upload } = input;
      const document: StoredDocument = {
        id: ids.uuid(),
        verificationId: input.verificationId,
        userId: input.userId,
        side: input.side,
        documentType: input.documentType,
        contentType: upload.contentType,
        width: upload.width,
        height: upload.height,
        byteSize: upload.bytes.length,
        contentHash: upload.contentHash,
        createdAt: clock.now(),
        purgedAt: null,
      };
      const blobKey = document.id;
      await blobs.put(blobKey, upload.bytes);
      try {
        await repository.insert({ document, blobKey });
      } catch (error) {
        // The row's error is the one worth reporting; a blob left behind is only unreferenced ciphertext.
        await blobs.delete(blobKey).catch(() => undefined);
        throw error;
      }
      return document;
    },

    /** A verification's documents, front before back. */
    async listForVerification(verificationId: string): Promise<StoredDocument[]> {
      return (await repository.listForVerification(verificationId)).map(({ document }) => document);
    },

    async findById(id: string): Promise<StoredDocument | undefined> {
      return (await repository.findById(id))?.document;
    },

    /** A document and its decrypted bytes; undefined when there is no such document or it was purged. */
    async read(id: string): Promise<{ document: StoredDocument; bytes: Buffer } | undefined> {
      const record = await repository.findById(id);
      if (record === undefined || record.document.purgedAt !== null) return undefined;
      const bytes = await blobs.get(record.blobKey);
      return bytes === undefined ? undefined : { document: record.document, bytes };
    },

    /** Documents of other users with the same content as one of the verification's documents. */
    async duplicatesOf(verificationId: string): Promise<DuplicateDocument[]> {
      return repository.listDuplicates(verificationId);
    },

    /** These documents, blobs first (an upload that could not be completed). */
    async deleteDocuments(ids: readonly string[]): Promise<void> {
      const records = await Promise.all(ids.map((id) => repository.findById(id)));
      await deleteRecords(records.filter((record) => record !== undefined));
    },

    async deleteForVerification(verificationId: string): Promise<void> {
      await deleteRecords(await repository.listForVerification(verificationId));
    },

    /** Every document of a user, e.g. before the account is deleted (rows would cascade, blobs would not). */
    async deleteForUser(userId: string): Promise<void> {
      await deleteRecords(await repository.listForUser(userId));
    },

    /** Deletes a document's bytes and keeps its row, marked purged at `at` (retention). */
    async purge(id: string, at: Date): Promise<void> {
      const record = await repository.findById(id);
      if (record === undefined) return;
      await blobs.delete(record.blobKey);
      await repository.markPurged(id, at.getTime());
    },
  };
}

export type DocumentEvidence = ReturnType<typeof createDocumentEvidence>;
