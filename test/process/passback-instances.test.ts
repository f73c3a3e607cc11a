import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Database } from '../../src/storage/database.ts';
import { fetchDocument, imageUpload, passbackThroughRunningServer } from '../documents/support.ts';
import { POSTGRES_SKIP_REASON, postgresDatabase, postgresUrl } from '../helpers/databases.ts';
import { randomMasterKey, testEnv } from '../helpers/env.ts';
import { freePort } from '../helpers/oidc.ts';
import { startVettedProcess, stopProcess, type VettedProcess } from '../helpers/process.ts';
import { describeWithRedis } from '../helpers/redis.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * Issue 6: the document rate limit (2 fetches a minute per document) holds across instances — two `vetted
 * serve` processes on one PostgreSQL, counting in one Redis: the third fetch within the minute, made at the
 * other instance, is refused.
 */
describeWithRedis('document passback across two instances on PostgreSQL and Redis', (redisUrl) => {
  const processes: VettedProcess[] = [];
  const database = postgresDatabase(postgresUrl ?? '');
  let setup: Database | undefined;
  let services: { close(): Promise<void> } | undefined;

  afterAll(async () => {
    for (const running of processes) await stopProcess(running);
    await services?.close();
    await setup?.close();
    await database.dropAll();
  });

  it.skipIf(postgresUrl === undefined)(
    `refuses the third fetch of a document within a minute at the other instance${postgresUrl === undefined ? ` (${POSTGRES_SKIP_REASON})` : ''}`,
    async () => {
      const shared = {
        VETTED_DATABASE_URL: await database.create(),
        VETTED_MASTER_KEY: randomMasterKey(),
        VETTED_BLOB_STORE: 'database',
        VETTED_REDIS_URL: redisUrl,
        VETTED_LOG_LEVEL: 'info',
      };
      const instances = [];
      for (let index = 0; index < 2; index++) {
        const port = await freePort();
        const env = testEnv({
          ...shared,
          VETTED_PORT: String(port),
          VETTED_BASE_URL: `http://127.0.0.1:${port}`,
        });
        const running = await startVettedProcess(env);
        processes.push(running);
        instances.push({ running, env });
      }
      const [first, second] = instances as [(typeof instances)[0], (typeof instances)[0]];

      // The partner's and the user's data, written through the same database and master key.
      const written = await passbackThroughRunningServer(loadConfig(first.env), await imageUpload(500, 400));
      ({ services, database: setup } = written);
      const { apiToken, front } = written;
      expect(front).not.toBe('');

      const at = (instance: typeof first) => ({ config: { baseUrl: instance.running.url } }) as TestServer;
      expect((await fetchDocument(at(first), front, { apiToken, size: '300x200' })).status).toBe(200);
      expect((await fetchDocument(at(second), front, { apiToken })).status).toBe(200);
      const third = await fetchDocument(at(first), front, { apiToken });
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(third.json).toMatchObject({ error: expect.any(String) });
      const fourth = await fetchDocument(at(second), front, { apiToken });
      expect(fourth.status).toBe(429);

      // The access logs name the route, never the document token or the API token.
      const served = await first.running.waitForLog(
        (line) => line.msg === 'request' && line.path === '/api/public/v3/documents/:document_token',
      );
      expect(served.status).toBe(200);
      for (const instance of instances) {
        expect(instance.running.stdout()).not.toContain(front);
        expect(instance.running.stdout()).not.toContain(apiToken);
      }

      // The count lives in Redis, not in the database: both instances read the same key.
      const redis = new Redis(redisUrl);
      try {
        expect(await redis.zcard(`vetted:sliding:passback:document:${written.documentId}`)).toBe(2);
      } finally {
        redis.disconnect();
      }
    },
    60_000,
  );
});
