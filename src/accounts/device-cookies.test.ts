import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDeviceCookies, DEVICE_COOKIE_MAX_AGE_MS } from './device-cookies.ts';

describe('device cookies', () => {
  const account = 'a'.repeat(32);

  it('reads back what it issued, with a new nonce each time', () => {
    let now = 1_700_000_000_000;
    const cookies = createDeviceCookies(randomBytes(32), () => now);
    const first = cookies.issue(account);
    const second = cookies.issue(account);
    expect(cookies.read(first)).toEqual({ accountId: account, nonce: expect.any(String), issuedAt: now });
    expect(cookies.read(second)?.nonce).not.toBe(cookies.read(first)?.nonce);
    now += DEVICE_COOKIE_MAX_AGE_MS - 1;
    expect(cookies.read(first)).toBeDefined();
    now += 1;
    expect(cookies.read(first)).toBeUndefined();
  });

  it('refuses anything altered, made with another key, or malformed', () => {
    const cookies = createDeviceCookies(randomBytes(32), () => 1_700_000_000_000);
    const other = createDeviceCookies(randomBytes(32), () => 1_700_000_000_000);
    const value = cookies.issue(account);
    const parts = value.split('.');
    expect(cookies.read(other.issue(account))).toBeUndefined();
    expect(cookies.read([parts[0], 'b'.repeat(32), ...parts.slice(2)].join('.'))).toBeUndefined();
    expect(cookies.read(`${value}A`)).toBeUndefined();
    expect(cookies.read(value.slice(0, -1))).toBeUndefined();
    for (const junk of [undefined, '', 'v1', 'v1.....', 'x'.repeat(500), value.replace('v1', 'v2')]) {
      expect(cookies.read(junk)).toBeUndefined();
    }
  });
});
