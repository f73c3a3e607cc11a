import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createManualClock, type Clock } from '../../src/lib/clock.ts';
import type { SlidingWindowLimiter } from '../../src/rate-limits/sliding-window.ts';

/** One store several instances share (a Redis server, a database), as the contract sees it. */
export interface SlidingWindowStore {
  /** A limiter as one more instance would have it: its own connection where the store has connections. */
  instance(clock: Clock): SlidingWindowLimiter | Promise<SlidingWindowLimiter>;
}

const SECOND = 1_000;
const perMinute = (max: number) => ({ max, windowMs: 60 * SECOND });

/**
 * What every SlidingWindowLimiter must do, declared as tests inside the caller's describe. Each test uses keys
 * of its own, so `store` may be shared by all of them.
 */
export function slidingWindowContract(store: () => SlidingWindowStore): void {
  const key = (name: string) => `${name}:${randomBytes(6).toString('hex')}`;
  const setup = async () => {
    const clock = createManualClock();
    return { clock, limiter: await store().instance(clock) };
  };

  it('allows max events, then refuses with the time until the oldest leaves the window', async () => {
    const { clock, limiter } = await setup();
    const document = key('document');
    expect(await limiter.hit(document, perMinute(2))).toEqual({ allowed: true, retryAfterMs: 0 });
    clock.advance(10 * SECOND);
    expect(await limiter.hit(document, perMinute(2))).toEqual({ allowed: true, retryAfterMs: 0 });
    clock.advance(10 * SECOND);
    expect(await limiter.hit(document, perMinute(2))).toEqual({ allowed: false, retryAfterMs: 40 * SECOND });
    clock.advance(40 * SECOND - 1);
    expect(await limiter.hit(document, perMinute(2))).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect((await limiter.hit(document, perMinute(2))).allowed).toBe(true);
  });

  it('slides: each event leaves the window on its own, not with a fixed window', async () => {
    const { clock, limiter } = await setup();
    const document = key('document');
    expect((await limiter.hit(document, perMinute(2))).allowed).toBe(true); // t = 0
    clock.advance(30 * SECOND);
    expect((await limiter.hit(document, perMinute(2))).allowed).toBe(true); // t = 30 s
    clock.advance(29 * SECOND);
    expect(await limiter.hit(document, perMinute(2))).toEqual({ allowed: false, retryAfterMs: SECOND }); // 59 s
    clock.advance(SECOND + 1);
    // t = 60.001 s: the event at 0 is gone, the one at 30 s is not.
    expect((await limiter.hit(document, perMinute(2))).allowed).toBe(true);
    clock.advance(999);
    // t = 61 s: the events at 30 s and 60.001 s are in the window; a fixed window restarted at 60 s would allow.
    expect(await limiter.hit(document, perMinute(2))).toEqual({ allowed: false, retryAfterMs: 29 * SECOND });
    clock.advance(29 * SECOND + 1);
    expect((await limiter.hit(document, perMinute(2))).allowed).toBe(true); // t = 90.001 s
  });

  it('does not count refused events', async () => {
    const { clock, limiter } = await setup();
    const document = key('document');
    await limiter.hit(document, perMinute(1));
    for (let i = 0; i < 5; i++) {
      clock.advance(10 * SECOND);
      expect((await limiter.hit(document, perMinute(1))).allowed).toBe(false);
    }
    clock.advance(10 * SECOND);
    expect(await limiter.hit(document, perMinute(1))).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('shares the count between instances', async () => {
    const clock = createManualClock();
    const [first, second] = await Promise.all([store().instance(clock), store().instance(clock)]);
    const document = key('document');
    expect((await first.hit(document, perMinute(2))).allowed).toBe(true);
    clock.advance(SECOND);
    expect((await second.hit(document, perMinute(2))).allowed).toBe(true);
    clock.advance(SECOND);
    expect(await first.hit(document, perMinute(2))).toEqual({ allowed: false, retryAfterMs: 58 * SECOND });
    expect(await second.hit(document, perMinute(2))).toEqual({ allowed: false, retryAfterMs: 58 * SECOND });
  });

  it('keeps keys apart', async () => {
    const { limiter } = await setup();
    const [a, b] = [key('document-a'), key('document-b')];
    await limiter.hit(a, perMinute(1));
    expect((await limiter.hit(a, perMinute(1))).allowed).toBe(false);
    expect((await limiter.hit(b, perMinute(1))).allowed).toBe(true);
    expect((await limiter.hit(`${a}x`, perMinute(1))).allowed).toBe(true);
  });

  it('lets exactly max of many concurrent events through, across instances', async () => {
    const clock = createManualClock();
    const instances = await Promise.all([store().instance(clock), store().instance(clock)]);
    const document = key('document');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => instances[i % 2]!.hit(document, perMinute(2))),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(2);
    for (const refused of results.filter((result) => !result.allowed)) {
      expect(refused.retryAfterMs).toBe(60 * SECOND);
    }
  });
}
