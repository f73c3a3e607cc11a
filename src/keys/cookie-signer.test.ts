import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCookieSigner } from './cookie-signer.ts';

describe('cookie signer', () => {
  const signer = createCookieSigner(['new-key', 'old-key']);

  it('signs with the first key (HMAC-SHA-256, base64url) and verifies what it signed', () => {
    const digest = signer.sign('vetted_session=abc');
    expect(digest).toBe(createHmac('sha256', 'new-key').update('vetted_session=abc').digest('base64url'));
    expect(signer.verify('vetted_session=abc', digest)).toBe(true);
    expect(signer.index('vetted_session=abc', digest)).toBe(0);
  });

  it('verifies a cookie signed with an older key, telling which one (so it can be re-signed)', () => {
    const older = createCookieSigner(['old-key']).sign('vetted_session=abc');
    expect(signer.index('vetted_session=abc', older)).toBe(1);
  });

  it('refuses other data, other keys, truncated, padded or non-canonical digests', () => {
    const digest = signer.sign('vetted_session=abc');
    expect(signer.verify('vetted_session=abd', digest)).toBe(false);
    expect(createCookieSigner(['another']).verify('vetted_session=abc', digest)).toBe(false);
    expect(signer.index('vetted_session=abc', digest.slice(0, -1))).toBe(-1);
    expect(signer.index('vetted_session=abc', `${digest}=`)).toBe(-1);
    expect(signer.index('vetted_session=abc', Buffer.from(digest, 'base64url').toString('base64'))).toBe(
      digest.includes('-') || digest.includes('_') ? -1 : 0,
    );
    expect(signer.index('vetted_session=abc', '')).toBe(-1);
    expect(signer.index('vetted_session=abc', 'not base64 at all!')).toBe(-1);
  });

  it('still verifies a cookie keygrip signed (SHA-1) before, as an older key, so it gets signed again', () => {
    const legacy = createHmac('sha1', 'new-key')
      .update('vetted_session=abc')
      .digest('base64')
      .replace(/\//g, '_')
      .replace(/\+/g, '-')
      .replace(/=/g, '');
    expect(signer.index('vetted_session=abc', legacy)).toBe(2);
    expect(signer.index('vetted_session=abd', legacy)).toBe(-1);
  });

  it('needs a key', () => {
    expect(() => createCookieSigner([])).toThrow(/at least one key/);
  });
});
