import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../../test/helpers/databases.ts';
import { tempDir } from '../../test/helpers/env.ts';
import {
  BlobIntegrityError,
  createBlobStore,
  createDatabaseBlobStore,
  createEncryptedBlobStore,
  createLocalBlobStore,
  type BlobStore,
} from './blobs.ts';
import type { Database } from './database.ts';

const BAD_KEYS = ['', '../etc/passwd', 'a/b', 'a.b', '.hidden', 'x'.repeat(129), 'é', 'a b'];

/** What every store, plain or encrypted, promises. */
function storeContract(make: () => BlobStore) {
  it('round-trips bytes, replaces on put, and answers undefined for a missing key', async () => {
    const store = make();
    const data = randomBytes(4096);
    await store.put('doc_1-A', data);
    expect(await store.get('doc_1-A')).toEqual(data);
    await store.put('doc_1-A', Buffer.from('second'));
    expect((await store.get('doc_1-A'))?.toString()).toBe('second');
    expect(await store.get('missing')).toBeUndefined();
    await store.put('empty', Buffer.alloc(0));
    expect(await store.get('empty')).toEqual(Buffer.alloc(0));
  });

  it('deletes idempotently', async () => {
    const store = make();
    await store.put('gone', Buffer.from('x'));
    await store.delete('gone');
    await store.delete('gone');
    await store.delete('never-there');
    expect(await store.get('gone')).toBeUndefined();
  });

  it.each(BAD_KEYS.map((key) => [key]))('refuses the key %j', async (key) => {
    const store = make();
    await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/invalid key/);
    await expect(store.get(key)).rejects.toThrow(/invalid key/);
    await expect(store.delete(key)).rejects.toThrow(/invalid key/);
  });
}

async function samplePng(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
}

describe('local blob store', () => {
  storeContract(() => createLocalBlobStore(join(tempDir(), 'blobs')));

  it('creates the folder 0700 and files 0600, leaving no temporary files', async () => {
    const folder = join(tempDir(), 'nested', 'blobs');
    const store = createLocalBlobStore(folder);
    await store.put('one', Buffer.from('1'));
    await store.put('one', Buffer.from('2'));
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(join(folder, 'one'))).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual(['one']);
  });
});

describe('encrypted local blob store', () => {
  const masterKey = randomBytes(32);
  let folder: string;
  let store: BlobStore;
  beforeEach(() => {
    folder = join(tempDir(), 'blobs');
    store = createEncryptedBlobStore(createLocalBlobStore(folder), masterKey);
  });

  storeContract(() => createEncryptedBlobStore(createLocalBlobStore(join(tempDir(), 'b')), masterKey));

  it('writes ciphertext an image decoder cannot read, with a fresh IV every put', async () => {
    const png = await samplePng();
    await store.put('image', png);
    const first = await readFile(join(folder, 'image'));
    expect(first.includes(png.subarray(0, 8))).toBe(false);
    expect(first.length).toBe(png.length + 1 + 12 + 16);
    expect(first[0]).toBe(1);
    await expect(sharp(first).metadata()).rejects.toThrow();
    await store.put('image', png);
    expect((await readFile(join(folder, 'image'))).equals(first)).toBe(false);
    expect(await store.get('image')).toEqual(png);
  });

  it('refuses a tampered blob, one moved to another key, and one sealed with another master key', async () => {
    await store.put('a', Buffer.from('identity document'));
    const sealed = await readFile(join(folder, 'a'));

    const flipped = Buffer.from(sealed);
    flipped[20] = (flipped[20] ?? 0) ^ 0x01;
    await writeFile(join(folder, 'tampered'), flipped);
    await expect(store.get('tampered')).rejects.toThrow(BlobIntegrityError);

    await writeFile(join(folder, 'b'), sealed);
    await expect(store.get('b')).rejects.toThrow(/cannot be opened: authentication failed/);

    const other = createEncryptedBlobStore(createLocalBlobStore(folder), randomBytes(32));
    await expect(other.get('a')).rejects.toThrow(BlobIntegrityError);

    await writeFile(join(folder, 'short'), sealed.subarray(0, 10));
    await expect(store.get('short')).rejects.toThrow(/too short/);
    const versioned = Buffer.from(sealed);
    versioned[0] = 2;
    await writeFile(join(folder, 'versioned'), versioned);
    await expect(store.get('versioned')).rejects.toThrow(/unknown version 2/);

    expect((await store.get('a'))?.toString()).toBe('identity document');
  });
});

describeEachDatabase('database blob store', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;
  beforeEach(async () => {
    database = await databases.fresh();
  });

  storeContract(() => createDatabaseBlobStore(database.db));

  const rawRow = (key: string) =>
    database.db.selectFrom('blobs').selectAll().where('key', '=', key).executeTakeFirst();

  it('stores ciphertext in the blobs table when encrypted, and refuses a key swap', async () => {
    const masterKey = randomBytes(32);
    const store = createBlobStore({ blobStore: { kind: 'database' } }, database.db, masterKey);
    const png = await samplePng();
    await store.put('front', png);
    await store.put('back', Buffer.from('other'));
    const row = await rawRow('front');
    expect(row).toBeDefined();
    const stored = Buffer.from(row!.data);
    expect(stored.includes(png.subarray(0, 8))).toBe(false);
    await expect(sharp(stored).metadata()).rejects.toThrow();
    expect(await store.get('front')).toEqual(png);

    // Swap the two ciphertexts: each now sits under the other's key.
    const back = Buffer.from((await rawRow('back'))!.data);
    await database.db.updateTable('blobs').set({ data: back }).where('key', '=', 'front').execute();
    await expect(store.get('front')).rejects.toThrow(BlobIntegrityError);
  });

  it('builds an encrypted local store from the configuration', async () => {
    const folder = join(tempDir(), 'configured');
    const masterKey = randomBytes(32);
    const store = createBlobStore({ blobStore: { kind: 'local', folder } }, database.db, masterKey);
    await store.put('k', Buffer.from('plain text'));
    expect((await readFile(join(folder, 'k'))).includes(Buffer.from('plain text'))).toBe(false);
    expect((await store.get('k'))?.toString()).toBe('plain text');
    expect(await rawRow('k')).toBeUndefined();
  });
});
