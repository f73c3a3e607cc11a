import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** The interface of `keygrip`, which Koa's and oidc-provider's cookie code call to sign and verify. */
export interface CookieSigner {
  sign(data: string): string;
  verify(data: string, digest: string): boolean;
  /** The index of the key that made `digest`, or -1. */
  index(data: string, digest: string): number;
}

/**
 * Signs cookies with HMAC-SHA-256 (the first key signs; any key verifies, so keys can be rotated by
 * prepending). keygrip does the same with SHA-1 by default, and compares by HMAC-ing both sides once more
 * with a random key (tsscmp); every request with a session cookie paid for that several times over. Here a
 * digest of the wrong length is refused outright (the length of a SHA-256 digest is no secret) and one of
 * the right length is compared with `timingSafeEqual`.
 */
/** keygrip's default signature (HMAC-SHA-1, base64 made URL-safe), which cookies had before this signer. */
function keygripDigest(key: KeyObject, data: string): string {
  return createHmac('sha1', key)
    .update(data, 'utf8')
    .digest('base64')
    .replace(/\//g, '_')
    .replace(/\+/g, '-')
    .replace(/=/g, '');
}

export function createCookieSigner(keys: readonly string[]): CookieSigner {
  if (keys.length === 0) throw new Error('cookie signing needs at least one key');
  const keyObjects: KeyObject[] = keys.map((key) => createSecretKey(Buffer.from(key, 'utf8')));
  const digestOf = (key: KeyObject, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
  const DIGEST_BYTES = 32;
  const LEGACY_DIGEST_LENGTH = 27;

  /**
   * A cookie signed before this signer (keygrip, SHA-1) still verifies, as if by an older key: the cookies
   * library then signs it again with the first key, so sessions outlive the change. To be dropped later.
   */
  function legacyIndex(data: string, digest: string): number {
    if (digest.length !== LEGACY_DIGEST_LENGTH) return -1;
    let found = -1;
    keyObjects.forEach((key, position) => {
      const expected = Buffer.from(keygripDigest(key, data));
      if (timingSafeEqual(expected, Buffer.from(digest)) && found === -1)
        found = keyObjects.length + position;
    });
    return found;
  }

  function index(data: string, digest: string): number {
    const given = Buffer.from(digest, 'base64url');
    // base64url decoding is lenient: only the canonical spelling of a 32-byte digest is accepted.
    if (given.length !== DIGEST_BYTES || given.toString('base64url') !== digest)
      return legacyIndex(data, digest);
    let found = -1;
    keyObjects.forEach((key, position) => {
      if (timingSafeEqual(digestOf(key, data), given) && found === -1) found = position;
    });
    return found;
  }

  return {
    sign: (data) => digestOf(keyObjects[0] as KeyObject, data).toString('base64url'),
    verify: (data, digest) => index(data, digest) !== -1,
    index,
  };
}
