import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.ts';

describe('secret box', () => {
  const masterKey = randomBytes(32);
  const box = createSecretBox(masterKey, 'signing-keys');

  it('round-trips and never repeats a ciphertext', () => {
    const first = box.seal('a private key', 'row:1');
    const second = box.seal('a private key', 'row:1');
    expect(first).not.toBe(second);
    expect(first).not.toContain('a private key');
    expect(box.open(first, 'row:1').toString()).toBe('a private key');
  });

  it('refuses a ciphertext moved to another context, opened for another purpose, or tampered with', () => {
    const sealed = box.seal('secret', 'row:1');
    expect(() => box.open(sealed, 'row:2')).toThrow();
    expect(() => createSecretBox(masterKey, 'documents').open(sealed, 'row:1')).toThrow();
    expect(() => createSecretBox(randomBytes(32), 'signing-keys').open(sealed, 'row:1')).toThrow();
    const [version, iv, body] = sealed.split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open(`${version}.${iv}.${flipped.toString('base64url')}`, 'row:1')).toThrow();
    expect(() => box.open('not sealed', 'row:1')).toThrow(/not a sealed value/);
  });
});
