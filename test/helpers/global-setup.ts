import pg from 'pg';
import { POSTGRES_SKIP_REASON, postgresUrl } from './databases.ts';

/**
 * Runs once before the suites: says out loud which service-backed suites will be skipped, and fails fast
 * when a configured service cannot be reached (a configured database must never turn into a silent skip).
 */
export default async function globalSetup(): Promise<void> {
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
