import { createHmac, createSecretKey } from 'node:crypto';
import { secretsEqual } from '../lib/constant-time.ts';
import { deriveKey } from './secret-box.ts';

/**
 * Hashes high-entropy secrets (client secrets, API tokens, one-time codes) for storage: HMAC-SHA-256 with a
 * key derived from the master key. A slow password KDF would add nothing for 256-bit random values and would
 * cost the token endpoint two orders of magnitude; passwords use Argon2id instead.
 */
export interface TokenHasher {
  hash(value: string): string;
  /** Constant-time comparison of `value` against a stored hash. */
  matches(value: string, storedHash: string): boolean;
}

export function createTokenHasher(masterKey: Buffer, purpose = 'token-hash'): TokenHasher {
  // A KeyObject made once: passing raw bytes makes Node import the key on every call.
  const key = createSecretKey(deriveKey(masterKey, purpose));
  const hash = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest('hex');
  return {
    hash,
    matches: (value, storedHash) => secretsEqual(hash(value), storedHash),
  };
}
