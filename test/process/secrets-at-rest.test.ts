import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMasterKey } from '../../src/keys/master-key.ts';
import { createSecretBox } from '../../src/keys/secret-box.ts';
import { describeEachDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testEnv } from '../helpers/env.ts';
import { runVetted, startVettedProcess, stopProcess } from '../helpers/process.ts';

interface RawKeyRow {
  kid: string;
  public_jwk: string;
  private_jwk_sealed: string;
}

/** Reads signing_keys straight from the database, the way an attacker with a backup would. */
async function rawKeyRows(databaseUrl: string): Promise<RawKeyRow[]> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new SqliteDatabase(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare('select * from signing_keys').all() as RawKeyRow[];
    } finally {
      db.close();
    }
  }
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<RawKeyRow>(`select * from "${schema}".signing_keys`)).rows;
  } finally {
    await client.end();
  }
}

/** Every file of a SQLite database (main file, WAL, shared memory), concatenated. */
function sqliteFiles(databaseUrl: string): string {
  const file = databaseUrl.slice('sqlite:'.length);
  const folder = join(file, '..');
  return readdirSync(folder)
    .filter((name) => name.startsWith('vetted.db'))
    .map((name) => readFileSync(join(folder, name)).toString('latin1'))
    .join('');
}

describeEachDatabase('secrets at rest', (target: TestDatabase) => {
  afterAll(() => target.dropAll());

  it('stores private keys only sealed, and never writes them or the master key to the logs', async () => {
    const databaseUrl = await target.create();
    const env = testEnv({ VETTED_LOG_LEVEL: 'trace', VETTED_DATABASE_URL: databaseUrl });
    const running = await startVettedProcess(env);
    let logs: string;
    try {
      await fetch(`${running.url}/oidc/.well-known/jwks`);
      await fetch(`${running.url}/readyz`);
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
      await stopProcess(running);
      logs = running.stdout() + running.stderr();
    }
    const rotate = await runVetted(['keys', 'rotate', '--json'], { ...env, VETTED_LOG_LEVEL: 'trace' });
    expect(rotate.code, rotate.stderr).toBe(0);
    logs += rotate.stdout + rotate.stderr;

    const rows = await rawKeyRows(databaseUrl);
    expect(rows).toHaveLength(4);
    const box = createSecretBox(decodeMasterKey(env.VETTED_MASTER_KEY!, 'test'), 'signing-keys');
    const privateParts: string[] = [];
    for (const row of rows) {
      const raw = JSON.stringify(row);
      expect(raw).not.toMatch(/"d"\s*:/);
      expect(row.private_jwk_sealed).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
      const opened = JSON.parse(
        box.open(row.private_jwk_sealed, `signing_keys:${row.kid}`).toString(),
      ) as Record<string, string>;
      for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        if (opened[part] !== undefined) privateParts.push(opened[part]);
    }
    expect(privateParts.length).toBeGreaterThanOrEqual(4 + 2 * 5);

    const stored = databaseUrl.startsWith('sqlite:') ? sqliteFiles(databaseUrl) : JSON.stringify(rows);
    for (const part of privateParts) {
      expect(stored).not.toContain(part);
      expect(logs).not.toContain(part);
    }
    const masterKey = env.VETTED_MASTER_KEY!;
    expect(stored).not.toContain(masterKey);
    expect(logs).not.toContain(masterKey);
    expect(logs).not.toContain(decodeMasterKey(masterKey, 'test').toString('hex'));
  });
});

describe('secrets at rest: the generated development key', () => {
  it('is never logged', async () => {
    const env = testEnv({ VETTED_LOG_LEVEL: 'trace', VETTED_MASTER_KEY: undefined });
    const running = await startVettedProcess(env);
    running.child.kill('SIGTERM');
    await running.exited;
    const key = readFileSync(join(env.VETTED_DATA_DIR!, 'master.key'), 'utf8').trim();
    expect(running.stdout() + running.stderr()).not.toContain(key);
  });
});
