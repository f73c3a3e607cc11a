import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenHasher } from './token-hasher.ts';

describe('token hasher', () => {
  it('hashes deterministically per key and purpose, and matches only the right value', () => {
    const masterKey = randomBytes(32);
    const hasher = createTokenHasher(masterKey);
    const stored = hasher.hash('s3cret');
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(hasher.hash('s3cret')).toBe(stored);
    expect(hasher.matches('s3cret', stored)).toBe(true);
    expect(hasher.matches('s3cret ', stored)).toBe(false);
    expect(createTokenHasher(masterKey, 'other').hash('s3cret')).not.toBe(stored);
    expect(createTokenHasher(randomBytes(32)).matches('s3cret', stored)).toBe(false);
  });
});
