import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { inCI } from './requirements.ts';

/** The test Redis server (`redis://127.0.0.1:6379` in .ci/run); suites that need it are skipped without it. */
export const redisUrl =
  process.env.VETTED_TEST_REDIS_URL === '' ? undefined : process.env.VETTED_TEST_REDIS_URL;
export const REDIS_SKIP_REASON =
  'skipped: Redis is not configured (set VETTED_TEST_REDIS_URL=redis://127.0.0.1:6379, as .ci/run does)';

/**
 * Declares a suite that runs against the test Redis. Without VETTED_TEST_REDIS_URL it is reported as skipped
 * with the reason (title and stderr), never silently passed; in CI, where .ci/run sets it, a missing URL fails
 * the suite instead (as test/helpers/requirements.ts does for missing programs). `suite` gets the URL and must
 * connect only inside hooks and tests: a skipped suite is still collected, with a placeholder URL.
 */
export function describeWithRedis(title: string, suite: (url: string) => void): void {
  if (redisUrl === undefined) {
    if (!inCI) {
      process.stderr.write(`\n[${title}] ${REDIS_SKIP_REASON}\n`);
      describe.skip(`${title} (${REDIS_SKIP_REASON})`, () => suite('redis://unset.invalid:6379'));
      return;
    }
    describe(title, () => {
      beforeAll(() => {
        throw new Error('Redis is not configured: VETTED_TEST_REDIS_URL is unset; .ci/run sets it in CI');
      });
      suite('redis://unset.invalid:6379');
    });
    return;
  }
  describe(title, () => suite(redisUrl));
}

/**
 * Clients on the test Redis for one suite, and a key prefix of its own: after the suite every key under the
 * prefix is deleted and every client closed, so suites share one server without seeing each other.
 */
export function redisClients(url: string): { prefix: string; client(): Redis } {
  const prefix = `vetted-test:${randomBytes(6).toString('hex')}:`;
  const opened: Redis[] = [];
  afterAll(async () => {
    const [first] = opened;
    if (first !== undefined) {
      let cursor = '0';
      do {
        const [next, keys] = await first.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await first.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    await Promise.all(opened.splice(0).map((client) => client.quit()));
  });
  return {
    prefix,
    client() {
      const client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
      opened.push(client);
      return client;
    },
  };
}
