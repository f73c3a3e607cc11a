import { Redis } from 'ioredis';
import pg from 'pg';
import { POSTGRES_SKIP_REASON, postgresUrl } from './databases.ts';
import { REDIS_SKIP_REASON, redisUrl } from './redis.ts';

/**
 * Runs once before the suites: says out loud which service-backed suites will be skipped, and fails fast
 * when a configured service cannot be reached (a configured database must never turn into a silent skip).
 */
export default async function globalSetup(): Promise<void> {
  await checkPostgres();
  await checkRedis();
}

async function checkPostgres(): Promise<void> {
  if (postgresUrl === undefined || postgresUrl === '') {
    process.stderr.write(`\n[postgres] suites ${POSTGRES_SKIP_REASON}\n\n`);
    return;
  }
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `VETTED_TEST_DATABASE_URL is set but PostgreSQL cannot be reached: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(): Promise<void> {
  if (redisUrl === undefined) {
    process.stderr.write(`\n[redis] suites ${REDIS_SKIP_REASON}\n\n`);
    return;
  }
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED…) arrives as an event; connect() only says the connection closed.
  let socketError: Error | undefined;
  client.on('error', (error: Error) => (socketError = error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const reason = (socketError ?? (error as Error)).message;
    throw new Error(`VETTED_TEST_REDIS_URL is set but Redis cannot be reached: ${reason}`, { cause: error });
  } finally {
    client.disconnect();
  }
}
