import { randomBytes, randomUUID } from 'node:crypto';

/** Generates identifiers; injected so tests can make them predictable. */
export interface IdGenerator {
  /** A random UUID (v4) for rows. */
  uuid(): string;
  /** A short random token for request ids and the like (base64url, 16 bytes). */
  token(bytes?: number): string;
}

export const randomIds: IdGenerator = {
  uuid: () => randomUUID(),
  token: (bytes = 16) => randomBytes(bytes).toString('base64url'),
};
