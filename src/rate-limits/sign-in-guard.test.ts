import { describe, expect, it } from 'vitest';
import { backoffMs } from './rate-limiter.ts';
import { clientNetwork, defaultSignInPolicy } from './sign-in-guard.ts';

describe('sign-in policy', () => {
  it('locks from the fifth failure for 1, 2, 4 … minutes, at most an hour', () => {
    const minutes = [4, 5, 6, 7, 8, 10, 11, 12, 50, 5000].map(
      (failures) => backoffMs(failures, defaultSignInPolicy.account) / 60_000,
    );
    expect(minutes).toEqual([0, 1, 2, 4, 8, 32, 60, 60, 60, 60]);
    expect(defaultSignInPolicy.ip).toEqual({ limit: 20, windowMs: 600_000 });
  });

  it('limits IPv4 addresses one by one and IPv6 by /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64');
    expect(clientNetwork('2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('unknown')).toBe('unknown');
  });
});
