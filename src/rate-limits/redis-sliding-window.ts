import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.ts';
import { rateLimitErrors } from './errors.ts';
import type { SlidingWindowLimiter } from './sliding-window.ts';

/**
 * One sorted set per key: a member per event, scored with the event's time in ms. The whole check runs in
 * Redis as one script, so instances hitting the same key concurrently can never both take the last place.
 *
 * KEYS[1] the key · ARGV[1] max · ARGV[2] windowMs · ARGV[3] now in ms, or '' for the Redis server's clock ·
 * ARGV[4] a random suffix that keeps two events in the same millisecond apart.
 * Returns {1, 0} when the event is counted, {0, retryAfterMs} when refused.
 */
const HIT_SCRIPT = `
local key = KEYS[1]
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < max then
  redis.call('ZADD', key, now, now .. ':' .. ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local retry = window
if oldest[2] then retry = tonumber(oldest[2]) + window - now end
if retry < 1 then retry = 1 end
return {0, retry}
`;
const HIT_SHA = createHash('sha1').update(HIT_SCRIPT).digest('hex');

export interface RedisSlidingWindowOptions {
  /** Prepended to every key; default `vetted:sliding:`. */
  prefix?: string;
  /**
   * The time of an event in ms. Default: the Redis server's clock (`TIME`), one clock for every instance.
   * When given (the composition root passes the injected clock, so tests can move time), instances stamp
   * events with their own clocks, which must then be in sync (NTP): a skew of s ms shifts a window by s ms.
   * Either way Redis expires a key `windowMs` after its newest event by its own clock.
   */
  now?: () => number;
}

/** The sliding-window limit on Redis, shared by every instance that uses the same server and prefix. */
export function createRedisSlidingWindow(
  redis: Redis,
  options: RedisSlidingWindowOptions = {},
): SlidingWindowLimiter {
  const prefix = options.prefix ?? 'vetted:sliding:';
  const now = options.now;

  async function run(key: string, args: string[]): Promise<unknown> {
    try {
      return await redis.evalsha(HIT_SHA, 1, key, ...args);
    } catch (error) {
      // A server that has not seen the script yet (or was restarted, or flushed its scripts) gets its text.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(HIT_SCRIPT, 1, key, ...args);
    }
  }

  return {
    async hit(key, limit) {
      // A programming error, not an outage: PEXPIRE takes whole milliseconds.
      if (!Number.isInteger(limit.max) || !Number.isInteger(limit.windowMs) || limit.windowMs < 1) {
        throw new Error(`not a sliding-window limit: ${JSON.stringify(limit)}`);
      }
      const args = [
        String(limit.max),
        String(limit.windowMs),
        now === undefined ? '' : String(Math.floor(now())),
        randomBytes(8).toString('hex'),
      ];
      let reply: unknown;
      try {
        reply = await run(`${prefix}${key}`, args);
      } catch (error) {
        // Fail closed: without the shared count nothing bounds how much one client takes.
        throw rateLimitErrors.unavailable(error);
      }
      if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
        throw rateLimitErrors.unavailable(new Error(`unexpected reply from Redis: ${JSON.stringify(reply)}`));
      }
      return { allowed: reply[0] === 1, retryAfterMs: reply[1] };
    },
  };
}

/**
 * A Redis client for shared counters. It connects at once (a wrong URL shows in the log at start-up, not at
 * the first limited request) and keeps reconnecting, but a command waits at most about two seconds: a rate
 * limit that cannot answer refuses the request (`rate_limit.unavailable`) instead of holding it. Close it with
 * `closeRedisClient` on shutdown, or the open socket keeps the process alive.
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    connectionName: 'vetted',
    connectTimeout: 5_000,
    // Commands issued while (re)connecting wait in the offline queue, bounded by commandTimeout.
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // One line per outage, not one per reconnection attempt.
  let healthy = true;
  client.on('error', (error: Error) => {
    if (healthy) logger.error({ err: error, redis: redactedUrl(url) }, 'redis unreachable; limits refuse');
    else logger.debug({ err: error }, 'redis still unreachable');
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.info({ redis: redactedUrl(url) }, 'redis reachable again');
    healthy = true;
  });
  return client;
}

/** Sends QUIT when connected (replies still in flight arrive first), else just drops the socket. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Falls through to disconnect.
    }
  }
  client.disconnect();
}

function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
