import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.ts';
import { createTtlCache } from './ttl-cache.ts';

describe('ttl cache', () => {
  it('loads once per key within the ttl, shares concurrent loads, reloads after it, forgets on demand', async () => {
    const clock = createManualClock();
    const cache = createTtlCache<number>({ clock, ttlMs: 1000 });
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    clock.advance(999);
    expect(await cache.get('a', load)).toBe(1);
    clock.advance(1);
    expect(await cache.get('a', load)).toBe(2);
    cache.forget('a');
    expect(await cache.get('a', load)).toBe(3);
    expect(await cache.get('b', load)).toBe(4);
  });

  it('does not keep failures, and stays bounded', async () => {
    const cache = createTtlCache<number>({ clock: createManualClock(), ttlMs: 1000, maxEntries: 2 });
    await expect(cache.get('x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('x', () => Promise.resolve(1))).toBe(1);
    await cache.get('y', () => Promise.resolve(2));
    await cache.get('z', () => Promise.resolve(3));
    expect(await cache.get('x', () => Promise.resolve(9))).toBe(9);
  });
});
