import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  describeEachDatabase,
  migratedDatabases,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { tempDir } from '../../../test/helpers/env.ts';
import { createManualClock } from '../../lib/clock.ts';
import { randomIds } from '../../lib/ids.ts';
import { createBlobStore, type BlobStore } from '../../storage/blobs.ts';
import type { Database } from '../../storage/database.ts';
import { createDocumentEvidence } from './documents.ts';
import { insertUser, insertVerification, sampleUpload as upload } from './fixtures.test-support.ts';
import type { CheckedUpload } from './upload-check.ts';

describeEachDatabase('document evidence', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;
  beforeEach(async () => {
    database = await databases.fresh();
  });

  describe.each(['database', 'local'] as const)('with the %s blob store', (kind) => {
    let folder: string;
    let blobs: BlobStore;
    const clock = createManualClock(new Date('2026-04-01T09:00:00Z'));
    const evidence = (store: BlobStore = blobs) =>
      createDocumentEvidence({ db: database.db, blobs: store, ids: randomIds, clock });

    beforeEach(() => {
      folder = join(tempDir(), 'blobs');
      const blobStore = kind === 'database' ? { kind } : { kind, folder };
      blobs = createBlobStore({ blobStore }, database.db, randomBytes(32));
    });

    /** The ciphertext as it lies in the table or the folder. */
    async function rawBlob(key: string): Promise<Buffer | undefined> {
      if (kind === 'local') return readFile(join(folder, key)).catch(() => undefined);
      const row = await database.db
        .selectFrom('blobs')
        .select('data')
        .where('key', '=', key)
        .executeTakeFirst();
      return row === undefined ? undefined : Buffer.from(row.data);
    }

    async function blobCount(): Promise<number> {
      if (kind === 'local') return (await readdir(folder).catch(() => [])).length;
      return (await database.db.selectFrom('blobs').select('key').execute()).length;
    }

    it('stores, lists (front before back) and reads documents back, encrypted at rest', async () => {
      const documents = evidence();
      const userId = await insertUser(database.db);
      const verificationId = await insertVerification(database.db, userId);
      const [backUpload, frontUpload] = [await upload(1, 'jpeg'), await upload(2)];
      const back = await documents.store({
        verificationId,
        userId,
        documentType: 'dd214',
        side: 'back',
        upload: backUpload,
      });
      clock.advance(1000);
      const front = await documents.store({
        verificationId,
        userId,
        documentType: 'dd214',
        side: 'front',
        upload: frontUpload,
      });
      expect(front).toEqual({
        id: expect.any(String),
        verificationId,
        userId,
        side: 'front',
        documentType: 'dd214',
        contentType: 'image/png',
        width: 240,
        height: 220,
        byteSize: frontUpload.bytes.length,
        contentHash: frontUpload.contentHash,
        createdAt: clock.now(),
        purgedAt: null,
      });
      expect(await documents.listForVerification(verificationId)).toEqual([front, back]);
      expect(await documents.findById(back.id)).toEqual(back);
      expect(await documents.findById('nope')).toBeUndefined();
      expect(await documents.read(front.id)).toEqual({ document: front, bytes: frontUpload.bytes });
      expect((await documents.read(back.id))?.bytes).toEqual(backUpload.bytes);
      expect(await documents.read('nope')).toBeUndefined();

      const stored = (await rawBlob(front.id)) ?? Buffer.alloc(0);
      expect(stored.length).toBe(frontUpload.bytes.length + 1 + 12 + 16);
      expect(stored.includes(frontUpload.bytes.subarray(0, 16))).toBe(false);
      await expect(sharp(stored).metadata()).rejects.toThrow();
    });

    it("refuses a verification that does not exist or is someone else's, writing no blob", async () => {
      const documents = evidence();
      const [owner, other] = [await insertUser(database.db), await insertUser(database.db)];
      const verificationId = await insertVerification(database.db, owner);
      const input = { documentType: 'dd214', side: 'front' as const, upload: await upload(3) };
      await expect(documents.store({ ...input, verificationId, userId: other })).rejects.toMatchObject({
        code: 'evidence.unknown_verification',
        status: 404,
      });
      await expect(
        documents.store({ ...input, verificationId: 'missing', userId: owner }),
      ).rejects.toMatchObject({ code: 'evidence.unknown_verification' });
      expect(await blobCount()).toBe(0);
    });

    it('deletes the blob when the row cannot be inserted', async () => {
      const userId = await insertUser(database.db);
      const verificationId = await insertVerification(database.db, userId);
      // The verification disappears between the ownership check and the insert.
      const racing: BlobStore = {
        ...blobs,
        async put(key, data) {
          await blobs.put(key, data);
          await database.db.deleteFrom('verifications').where('id', '=', verificationId).execute();
        },
      };
      await expect(
        evidence(racing).store({
          verificationId,
          userId,
          documentType: 'dd214',
          side: 'front',
          upload: await upload(4),
        }),
      ).rejects.toMatchObject({ code: 'evidence.unknown_verification' });
      expect(await blobCount()).toBe(0);
      expect(await database.db.selectFrom('documents').select('id').execute()).toEqual([]);
    });

    it('finds the same document in other accounts, not in the same account', async () => {
      const documents = evidence();
      const [first, second, third] = [
        await insertUser(database.db),
        await insertUser(database.db),
        await insertUser(database.db),
      ];
      const [firstOld, firstNew] = [
        await insertVerification(database.db, first),
        await insertVerification(database.db, first),
      ];
      const secondVerification = await insertVerification(database.db, second);
      const thirdVerification = await insertVerification(database.db, third);
      const shared = await upload(5);
      const store = (verificationId: string, userId: string, side: 'front' | 'back', image: CheckedUpload) =>
        documents.store({ verificationId, userId, documentType: 'dd214', side, upload: image });

      const original = await store(firstOld, first, 'front', shared);
      clock.advance(60_000);
      await store(firstNew, first, 'front', shared);
      await store(firstNew, first, 'back', await upload(6));
      clock.advance(60_000);
      const copy = await store(secondVerification, second, 'front', shared);
      await store(thirdVerification, third, 'front', await upload(7));

      expect(await documents.duplicatesOf(firstNew)).toEqual([
        {
          documentId: copy.id,
          userId: second,
          verificationId: secondVerification,
          createdAt: copy.createdAt,
          sameAs: expect.any(String),
        },
      ]);
      const found = await documents.duplicatesOf(secondVerification);
      expect(found.map(({ userId, sameAs }) => [userId, sameAs])).toEqual([
        [first, copy.id],
        [first, copy.id],
      ]);
      expect(found[0]).toMatchObject({ documentId: original.id, verificationId: firstOld });
      expect(await documents.duplicatesOf(thirdVerification)).toEqual([]);
    });

    it('deletes the documents of a verification and of a user, blobs and rows', async () => {
      const documents = evidence();
      const [userId, otherUser] = [await insertUser(database.db), await insertUser(database.db)];
      const [doomed, kept] = [
        await insertVerification(database.db, userId),
        await insertVerification(database.db, userId),
      ];
      const otherVerification = await insertVerification(database.db, otherUser);
      const uploads = [await upload(8), await upload(9), await upload(10)];
      const store = (verificationId: string, user: string, index: number) =>
        documents.store({
          verificationId,
          userId: user,
          documentType: 'dd214',
          side: 'front',
          upload: uploads[index]!,
        });
      const gone = await store(doomed, userId, 0);
      const stays = await store(kept, userId, 1);
      const others = await store(otherVerification, otherUser, 2);

      await documents.deleteForVerification(doomed);
      await documents.deleteForVerification(doomed);
      expect(await documents.listForVerification(doomed)).toEqual([]);
      expect(await rawBlob(gone.id)).toBeUndefined();
      expect(await documents.read(stays.id)).toBeDefined();

      await documents.deleteForUser(userId);
      expect(await documents.findById(stays.id)).toBeUndefined();
      expect(await rawBlob(stays.id)).toBeUndefined();
      expect(await blobCount()).toBe(1);
      expect((await documents.read(others.id))?.bytes).toEqual(uploads[2]!.bytes);
    });

    it('purges the bytes and keeps the row', async () => {
      const documents = evidence();
      const userId = await insertUser(database.db);
      const verificationId = await insertVerification(database.db, userId);
      const document = await documents.store({
        verificationId,
        userId,
        documentType: 'dd214',
        side: 'front',
        upload: await upload(11),
      });
      const at = new Date('2026-10-01T00:00:00Z');
      await documents.purge(document.id, at);
      await documents.purge(document.id, new Date('2027-01-01T00:00:00Z'));
      await documents.purge('missing', at);
      expect(await documents.findById(document.id)).toEqual({ ...document, purgedAt: at });
      expect(await documents.read(document.id)).toBeUndefined();
      expect(await rawBlob(document.id)).toBeUndefined();
      expect(await documents.listForVerification(verificationId)).toHaveLength(1);
    });
  });
});
