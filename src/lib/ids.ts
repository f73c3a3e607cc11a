import { randomBytes, randomUUID } from 'node:crypto';

/** Generates identifiers; injected so tests can make them predictable. */
export interface IdGenerator {
  /** A random UUID (v4) for rows. */
  uuid(): string;
  /** A short random token for request ids and the like (base64url, 16 bytes). */
  token(bytes?: number): string;
}

// Random bytes drawn in blocks: one call to the CSPRNG per 256 tokens instead of one per request.
let pool = Buffer.alloc(0);
let offset = 0;

function pooledRandomBytes(size: number): Buffer {
  if (offset + size > pool.length) {
    pool = randomBytes(Math.max(4096, size));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}

export const randomIds: IdGenerator = {
  uuid: () => randomUUID(),
  token: (bytes = 16) => pooledRandomBytes(bytes).toString('base64url'),
};
