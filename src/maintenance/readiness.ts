import type { Database } from '../storage/database.ts';
import { pendingMigrations } from '../storage/migrate.ts';

/** How long `/readyz` waits for Redis's PING: a load balancer's probe must not hang on a dead connection. */
const REDIS_PING_TIMEOUT_MS = 1_000;

/** The Redis connection as readiness sees it (an ioredis client). */
export interface PingableRedis {
  /** ioredis's connection state: `ready` once connected, `connecting`/`reconnecting` in between. */
  readonly status: string;
  ping(): Promise<unknown>;
}

/**
 * Whether this instance should receive traffic: not shutting down, the database reachable with its schema
 * current, and Redis reachable when one is configured (the limits it holds refuse every request without
 * it). `check` resolves with what is wrong (`database_unreachable`, `migrations_pending`,
 * `redis_unreachable`, several joined by commas) or undefined when ready. Nothing is cached: a dependency
 * that comes back makes the next check pass (ioredis reconnects by itself).
 */
export function createReadiness(deps: { database: Database; redis?: PingableRedis | undefined }) {
  let draining = false;

  async function databaseProblem(): Promise<string | undefined> {
    try {
      await deps.database.ping();
    } catch {
      return 'database_unreachable';
    }
    const pending = await pendingMigrations(deps.database).catch(() => ['(unknown)']);
    return pending.length === 0 ? undefined : 'migrations_pending';
  }

  async function redisProblem(redis: PingableRedis): Promise<string | undefined> {
    // While ioredis reconnects, a command would wait in its offline queue: that is already an answer.
    if (redis.status !== 'ready') return 'redis_unreachable';
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), REDIS_PING_TIMEOUT_MS);
    });
    try {
      const answer = await Promise.race([redis.ping(), timedOut]);
      return answer === 'timeout' ? 'redis_unreachable' : undefined;
    } catch {
      return 'redis_unreachable';
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    isDraining: () => draining,
    startDraining() {
      draining = true;
    },
    async check(): Promise<string | undefined> {
      if (draining) return 'shutting_down';
      const problems = await Promise.all([
        databaseProblem(),
        deps.redis === undefined ? undefined : redisProblem(deps.redis),
      ]);
      const found = problems.filter((problem) => problem !== undefined);
      return found.length === 0 ? undefined : found.join(',');
    },
  };
}
