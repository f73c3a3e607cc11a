import { createCipheriv, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config/load.ts';
import { deriveKey } from '../keys/secret-box.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { Schema } from './schema.ts';

/**
 * Where identity-document images live: opaque bytes by key. The stores below keep whatever they are given;
 * createBlobStore() wraps one in createEncryptedBlobStore() so what reaches the disk or the database is
 * ciphertext bound to its key.
 */
export interface BlobStore {
  /** Stores `data` under `key`, replacing what was there. */
  put(key: string, data: Buffer): Promise<void>;
  /** The bytes under `key`, or undefined when there are none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Keys are file names in the local store: refusing anything else rules out path traversal. */
function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key)) {
    throw new Error(
      `blobs: invalid key ${JSON.stringify(key.slice(0, 200))} (expected ${KEY_PATTERN.source})`,
    );
  }
  return key;
}

function isMissingFile(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ENOENT';
}

/**
 * One file per key under `folder` (created 0700 when missing; files 0600). A put writes a temporary file,
 * syncs it and renames it over the key's file, so a reader sees the old bytes or the new ones, never half.
 */
export function createLocalBlobStore(folder: string): BlobStore {
  return {
    async put(key, data) {
      const target = join(folder, checkKey(key));
      await mkdir(folder, { recursive: true, mode: 0o700 });
      // A leading dot and a dot inside: never a valid key, so a temporary file cannot shadow a blob.
      const temporary = join(folder, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
        await handle.close();
        await rename(temporary, target);
      } catch (error) {
        await handle.close().catch(() => undefined);
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async get(key) {
      try {
        return await readFile(join(folder, checkKey(key)));
      } catch (error) {
        if (isMissingFile(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      await rm(join(folder, checkKey(key)), { force: true });
    },
  };
}

/** The `blobs` table (bytea on PostgreSQL, blob on SQLite): for several instances sharing one database. */
export function createDatabaseBlobStore(db: Kysely<Schema>, clock: Clock = systemClock): BlobStore {
  return {
    async put(key, data) {
      await db
        .insertInto('blobs')
        .values({ key: checkKey(key), data, created_at: clock.now().getTime() })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet((eb) => ({
            data: eb.ref('excluded.data'),
            created_at: eb.ref('excluded.created_at'),
          })),
        )
        .execute();
    },
    async get(key) {
      const row = await db
        .selectFrom('blobs')
        .select('data')
        .where('key', '=', checkKey(key))
        .executeTakeFirst();
      return row === undefined ? undefined : Buffer.from(row.data);
    },
    async delete(key) {
      await db.deleteFrom('blobs').where('key', '=', checkKey(key)).execute();
    },
  };
}

/** Layout of a sealed blob: version (1 byte) ‖ IV (12) ‖ AES-256-GCM ciphertext ‖ tag (16). */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;

/** Thrown by an encrypted store's get() when a blob does not open: tampered, moved, or another master key. */
export class BlobIntegrityError extends Error {
  constructor(key: string, reason: string, cause?: unknown) {
    super(`blobs: the blob ${JSON.stringify(key)} cannot be opened: ${reason}`, { cause });
    this.name = 'BlobIntegrityError';
  }
}

/** The associated data: the format version and the key, so a ciphertext only opens under its own key. */
function associatedData(key: string): Buffer {
  return Buffer.concat([Buffer.from([VERSION]), Buffer.from(`vetted/blob/${key}`, 'utf8')]);
}

/**
 * Encrypts every blob with AES-256-GCM under a key derived from the master key for the purpose `blobs`,
 * with a fresh random IV per put and the blob's key as associated data.
 */
export function createEncryptedBlobStore(inner: BlobStore, masterKey: Buffer): BlobStore {
  const key = deriveKey(masterKey, 'blobs');
  const subtleKey = webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
  return {
    async put(blobKey, data) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(associatedData(checkKey(blobKey)));
      const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
      await inner.put(blobKey, Buffer.concat([Buffer.from([VERSION]), iv, body]));
    },
    async get(blobKey) {
      const sealed = await inner.get(checkKey(blobKey));
      if (sealed === undefined) return undefined;
      if (sealed.length < HEADER_BYTES + TAG_BYTES) throw new BlobIntegrityError(blobKey, 'too short');
      if (sealed[0] !== VERSION) throw new BlobIntegrityError(blobKey, `unknown version ${sealed[0]}`);
      try {
        // WebCrypto decrypts on libuv's thread pool: a document of several megabytes does not hold up the
        // event loop (node:crypto's decipher is synchronous). Same AES-256-GCM, tag after the ciphertext.
        const plain = await webcrypto.subtle.decrypt(
          {
            name: 'AES-GCM',
            iv: sealed.subarray(1, HEADER_BYTES),
            additionalData: associatedData(blobKey),
            tagLength: TAG_BYTES * 8,
          },
          await subtleKey,
          sealed.subarray(HEADER_BYTES),
        );
        return Buffer.from(plain);
      } catch (error) {
        throw new BlobIntegrityError(
          blobKey,
          'authentication failed (altered, copied from another key, or sealed with another master key)',
          error,
        );
      }
    },
    delete: (blobKey) => inner.delete(blobKey),
  };
}

/** The configured store (a local folder or the database), encrypted with the master key. */
export function createBlobStore(
  config: Pick<Config, 'blobStore'>,
  db: Kysely<Schema>,
  masterKey: Buffer,
  clock: Clock = systemClock,
): BlobStore {
  const inner =
    config.blobStore.kind === 'local'
      ? createLocalBlobStore(config.blobStore.folder)
      : createDatabaseBlobStore(db, clock);
  return createEncryptedBlobStore(inner, masterKey);
}
