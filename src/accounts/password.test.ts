import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher, owaspArgon2id, passwordLength } from './password.ts';

describe('password hasher', () => {
  const passwords = createPasswordHasher();

  it('hashes with Argon2id at the OWASP parameters and a fresh salt each time', async () => {
    const first = await passwords.hash('correct horse battery');
    const second = await passwords.hash('correct horse battery');
    expect(first).not.toBe(second);
    const [, algorithm, version, parameters, salt] = first.split('$');
    expect([algorithm, version, parameters]).toEqual(['argon2id', 'v=19', 'm=19456,t=2,p=1']);
    expect(Buffer.from(salt ?? '', 'base64').length).toBeGreaterThanOrEqual(16);
    expect(parseOptions(first)).toMatchObject(owaspArgon2id);
    expect(passwords.needsRehash(first)).toBe(false);
  });

  it('verifies, treating canonically equivalent spellings alike and malformed hashes as no match', async () => {
    const stored = await passwords.hash('caf\u00e9 au lait');
    expect(await passwords.verify(stored, 'caf\u00e9 au lait')).toBe(true);
    expect(await passwords.verify(stored, 'cafe\u0301 au lait')).toBe(true);
    expect(await passwords.verify(stored, 'cafe au lait')).toBe(false);
    expect(await passwords.verify('not a hash', 'anything')).toBe(false);
    expect(await passwords.verifyNothing('anything')).toBe(false);
  });

  it('asks for a rehash of weaker or foreign hashes', async () => {
    const weak = await createPasswordHasher({ memoryCost: 4096, timeCost: 2, parallelism: 1 }).hash('pw');
    expect(passwords.needsRehash(weak)).toBe(true);
    const fewerPasses = await createPasswordHasher({ ...owaspArgon2id, timeCost: 1 }).hash('pw');
    expect(passwords.needsRehash(fewerPasses)).toBe(true);
    expect(passwords.needsRehash('$2b$10$abcdefghijklmnopqrstuu')).toBe(true);
  });

  it('counts length in characters, not UTF-16 units', () => {
    expect(passwordLength('abc')).toBe(3);
    expect(passwordLength('🔑🔑🔑🔑')).toBe(4);
  });
});
