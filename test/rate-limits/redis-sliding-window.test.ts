import { expect, it } from 'vitest';
import { AppError } from '../../src/lib/app-error.ts';
import { createLogger } from '../../src/lib/logger.ts';
import {
  closeRedisClient,
  createRedisClient,
  createRedisSlidingWindow,
} from '../../src/rate-limits/redis-sliding-window.ts';
import { describeWithRedis, redisClients } from '../helpers/redis.ts';
import { slidingWindowContract } from './sliding-window-contract.ts';

describeWithRedis('Redis sliding window', (url) => {
  const redis = redisClients(url);

  // Every instance its own client (connection), as separate processes would have.
  slidingWindowContract(() => ({
    instance: (clock) =>
      createRedisSlidingWindow(redis.client(), { prefix: redis.prefix, now: () => clock.now().getTime() }),
  }));

  it('uses the Redis server clock when no clock is given, and expires the key with the window', async () => {
    const client = redis.client();
    const limiter = createRedisSlidingWindow(client, { prefix: redis.prefix });
    const limit = { max: 2, windowMs: 60_000 };
    expect(await limiter.hit('server-clock', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await limiter.hit('server-clock', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
    const refused = await limiter.hit('server-clock', limit);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(55_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    const ttl = await client.pttl(`${redis.prefix}server-clock`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await client.zcard(`${redis.prefix}server-clock`)).toBe(2);
  });

  it('forgets a key once its window has passed', async () => {
    const client = redis.client();
    const limiter = createRedisSlidingWindow(client, { prefix: redis.prefix });
    await limiter.hit('short', { max: 1, windowMs: 50 });
    expect((await limiter.hit('short', { max: 1, windowMs: 50 })).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await client.exists(`${redis.prefix}short`)).toBe(0);
    expect((await limiter.hit('short', { max: 1, windowMs: 50 })).allowed).toBe(true);
  });

  it('loads its script again when the server has forgotten it', async () => {
    const client = redis.client();
    const limiter = createRedisSlidingWindow(client, { prefix: redis.prefix });
    await limiter.hit('flushed', { max: 5, windowMs: 60_000 });
    await client.script('FLUSH');
    expect((await limiter.hit('flushed', { max: 5, windowMs: 60_000 })).allowed).toBe(true);
    expect(await client.zcard(`${redis.prefix}flushed`)).toBe(2);
  });

  it('refuses (503 rate_limit.unavailable) when Redis cannot be reached, within seconds', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const unreachable = createRedisClient('redis://127.0.0.1:1', createLogger('silent'));
    try {
      const limiter = createRedisSlidingWindow(unreachable, { prefix: redis.prefix });
      const started = Date.now();
      const error = await limiter.hit('down', { max: 2, windowMs: 60_000 }).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'rate_limit.unavailable', status: 503, expose: true });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await closeRedisClient(unreachable);
    }
  });

  it('refuses every event under max 0, and rejects windows that are not whole milliseconds', async () => {
    const limiter = createRedisSlidingWindow(redis.client(), { prefix: redis.prefix });
    expect(await limiter.hit('none', { max: 0, windowMs: 60_000 })).toEqual({
      allowed: false,
      retryAfterMs: 60_000,
    });
    await expect(limiter.hit('bad', { max: 1, windowMs: 0.5 })).rejects.toThrow(/not a sliding-window limit/);
    await expect(limiter.hit('bad', { max: 1.5, windowMs: 1_000 })).rejects.toThrow(
      /not a sliding-window limit/,
    );
  });
});
