import { describe, expect, it } from 'vitest';
import { validateRedirectUri } from './redirect-uris.ts';

const confidential = { clientType: 'confidential', mode: 'production' } as const;
const sandbox = { clientType: 'confidential', mode: 'sandbox' } as const;
const native = { clientType: 'public', mode: 'production' } as const;

describe('redirect URI rules', () => {
  it('accepts https anywhere and http on loopback', () => {
    for (const uri of [
      'https://shop.example/cb',
      'http://localhost:8080/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:3000/cb',
    ]) {
      expect(validateRedirectUri(uri, confidential)).toBe(uri);
    }
  });

  it('allows plain http elsewhere only in sandbox', () => {
    expect(validateRedirectUri('http://staging.shop.example/cb', sandbox)).toBe(
      'http://staging.shop.example/cb',
    );
    expect(() => validateRedirectUri('http://shop.example/cb', confidential)).toThrow(/use https/);
  });

  it('accepts reverse-domain private-use schemes for public (native) apps only (RFC 8252 §7.1)', () => {
    expect(validateRedirectUri('com.example.app:/oauth2redirect', native)).toBe(
      'com.example.app:/oauth2redirect',
    );
    expect(() => validateRedirectUri('com.example.app:/oauth2redirect', confidential)).toThrow(
      /public \(native\)/,
    );
    expect(() => validateRedirectUri('myapp:/callback', native)).toThrow(/reverse domain/);
  });

  it('refuses relative URIs, fragments and dangerous schemes with a code', () => {
    for (const uri of [
      '/callback',
      'https://shop.example/cb#x',
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
    ]) {
      expect(() => validateRedirectUri(uri, native)).toThrow(
        expect.objectContaining({ code: 'partners.redirect_uri_invalid', status: 400 }),
      );
    }
  });
});
