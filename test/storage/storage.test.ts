import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/audit/audit-repository.ts';
import { createAuditService } from '../../src/audit/audit-service.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSecretBox } from '../../src/keys/secret-box.ts';
import { createSigningKeyRepository, type SigningKeyRow } from '../../src/keys/signing-key-repository.ts';
import { createSigningKeyService } from '../../src/keys/signing-keys.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { openDatabase, type Database } from '../../src/storage/database.ts';
import { migrateToLatest, migrationNames, pendingMigrations } from '../../src/storage/migrate.ts';
import {
  describeEachDatabase,
  POSTGRES_SKIP_REASON,
  postgresDatabase,
  postgresUrl,
  sqliteDatabase,
  type TestDatabase,
} from '../helpers/databases.ts';
import { testEnv } from '../helpers/env.ts';
import { runVetted } from '../helpers/process.ts';

async function open(url: string): Promise<Database> {
  return openDatabase(loadConfig({ VETTED_DATABASE_URL: url }).database);
}

/** Tables, columns and nullability: what must be the same on both dialects. */
async function structureOf(db: Database) {
  return (await tablesOf(db))
    .map((table) => ({
      table: table.name,
      columns: table.columns.map((column) => `${column.name}${column.isNullable ? '?' : ''}`),
    }))
    .sort((a, b) => a.table.localeCompare(b.table));
}

const describeBoth = postgresUrl ? describe : describe.skip;
describeBoth(`schema${postgresUrl ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  it('is the same on SQLite and PostgreSQL: tables, columns, nullability', async () => {
    const postgres = postgresDatabase(postgresUrl ?? '');
    const [onSqlite, onPostgres] = await Promise.all([
      open(await sqliteDatabase().create()),
      open(await postgres.create()),
    ]);
    try {
      await migrateToLatest(onSqlite);
      await migrateToLatest(onPostgres);
      const sqliteStructure = await structureOf(onSqlite);
      expect(sqliteStructure.map((entry) => entry.table)).toContain('users');
      expect(await structureOf(onPostgres)).toEqual(sqliteStructure);
    } finally {
      await onSqlite.close();
      await onPostgres.close();
      await postgres.dropAll();
    }
  });
});

/** The tables of this database (of its own schema, on PostgreSQL). */
async function tablesOf(db: Database) {
  const tables = await db.db.introspection.getTables();
  return tables.filter((table) => db.schema === undefined || table.schema === db.schema);
}

function keyRow(overrides: Partial<SigningKeyRow> = {}): SigningKeyRow {
  return {
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    generation: 1,
    publicJwk: '{}',
    privateJwkSealed: 'v1.x.y',
    createdAt: Date.UTC(2026, 0, 1),
    activatedAt: Date.UTC(2026, 0, 1),
    retiredAt: null,
    ...overrides,
  };
}

describeEachDatabase('storage', (target: TestDatabase) => {
  let database: Database;
  const opened: Database[] = [];

  async function fresh(): Promise<Database> {
    const db = await open(await target.create());
    opened.push(db);
    await migrateToLatest(db);
    return db;
  }

  beforeEach(async () => {
    database = await fresh();
  });

  afterAll(async () => {
    for (const db of opened) await db.close();
    await target.dropAll();
  });

  describe('migrations', () => {
    it('bring an empty database to the current schema, once', async () => {
      const db = await open(await target.create());
      opened.push(db);
      expect(await pendingMigrations(db)).toEqual([...migrationNames]);
      expect(await migrateToLatest(db)).toEqual([...migrationNames]);
      expect(await migrateToLatest(db)).toEqual([]);
      expect(await pendingMigrations(db)).toEqual([]);
      const tables = (await tablesOf(db)).map((table) => table.name).sort();
      expect(tables).toEqual(expect.arrayContaining(['audit_events', 'signing_keys', 'vetted_migrations']));
    });

    it('are safe when several processes migrate the same database at once', async () => {
      const env = testEnv({ VETTED_DATABASE_URL: await target.create() });
      const runs = await Promise.all([1, 2, 3].map(() => runVetted(['migrate', '--json'], env)));
      for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
      const applied = runs.flatMap((run) => (JSON.parse(run.stdout) as { applied: string[] }).applied);
      expect(applied).toEqual([...migrationNames]);
    });
  });

  describe('signing key repository', () => {
    it('round-trips rows with millisecond times as numbers', async () => {
      const repository = createSigningKeyRepository(database.db);
      const row = keyRow({ createdAt: 1_790_000_000_123, activatedAt: 1_790_000_000_456 });
      expect(await repository.insertIfGenerationFree(row)).toBe(true);
      expect(await repository.list()).toEqual([row]);
      expect(await repository.latestGeneration('RS256')).toBe(1);
      expect(await repository.latestGeneration('ES256')).toBe(0);
    });

    it('refuses a second key for the same algorithm and generation without throwing', async () => {
      const repository = createSigningKeyRepository(database.db);
      expect(await repository.insertIfGenerationFree(keyRow())).toBe(true);
      expect(await repository.insertIfGenerationFree(keyRow())).toBe(false);
      expect(await repository.insertIfGenerationFree(keyRow({ alg: 'ES256' }))).toBe(true);
      expect(await repository.list()).toHaveLength(2);
    });

    it('retires a key once', async () => {
      const repository = createSigningKeyRepository(database.db);
      const row = keyRow();
      await repository.insertIfGenerationFree(row);
      expect(await repository.retire(row.kid, 5)).toBe(true);
      expect(await repository.retire(row.kid, 6)).toBe(false);
      expect((await repository.list())[0]?.retiredAt).toBe(5);
    });
  });

  describe('signing key service', () => {
    const box = createSecretBox(randomBytes(32), 'signing-keys');

    function service(db: Database, clock = createManualClock(), cacheSeconds = 30) {
      const audit = createAuditService({ repository: createAuditRepository(db.db), clock, ids: randomIds });
      const keys = createSigningKeyService({
        repository: createSigningKeyRepository(db.db),
        box,
        clock,
        audit,
        cacheSeconds,
      });
      return { keys, audit, clock };
    }

    it('creates exactly one key per algorithm even when instances start together', async () => {
      const url = await target.create();
      const instances = await Promise.all([open(url), open(url)]);
      opened.push(...instances);
      await migrateToLatest(instances[0]);
      await Promise.all(instances.map((db) => service(db).keys.ensureKeys()));
      const keys = await service(instances[0]).keys.list();
      expect(keys.map((key) => [key.alg, key.generation, key.status]).sort()).toEqual([
        ['ES256', 1, 'active'],
        ['RS256', 1, 'active'],
      ]);
      const events = await service(instances[0]).audit.list();
      expect(events.map((event) => event.event)).toEqual(['signing_key.created', 'signing_key.created']);
    });

    it('keeps serving a cached key set until it expires, then sees a rotation made elsewhere', async () => {
      const clock = createManualClock();
      const reader = service(database, clock, 30);
      await reader.keys.ensureKeys();
      const before = await reader.keys.publicJwks();
      const writer = createSigningKeyService({
        repository: createSigningKeyRepository(database.db),
        box,
        clock,
        audit: reader.audit,
        cacheSeconds: 30,
      });
      const rotated = await writer.rotate('ES256', { type: 'operator' });
      expect(await reader.keys.publicJwks()).toEqual(before);
      clock.advance(30_000);
      const after = await reader.keys.publicJwks();
      expect(after.keys.map((key) => key.kid)).toContain(rotated.kid);
      expect(after.keys).toHaveLength(3);
    });

    it('rotates concurrently without losing or duplicating a generation', async () => {
      const { keys } = service(database);
      await keys.ensureKeys();
      const rotated = await Promise.all([
        keys.rotate('RS256', { type: 'operator' }),
        keys.rotate('RS256', { type: 'operator' }),
      ]);
      expect(rotated.map((key) => key.generation).sort()).toEqual([2, 3]);
      const list = await keys.list();
      expect(list.filter((key) => key.alg === 'RS256').map((key) => [key.generation, key.status])).toEqual([
        [1, 'verifying'],
        [2, 'verifying'],
        [3, 'active'],
      ]);
    });

    it('signs with the newest key, publishes old ones until retired, and refuses to retire the active one', async () => {
      const { keys, audit } = service(database);
      await keys.ensureKeys();
      const [first] = (await keys.list()).filter((key) => key.alg === 'RS256');
      const second = await keys.rotate('RS256', { type: 'operator', id: 'ops@example.com' });
      const active = await keys.activeSigningKeys();
      expect(active.find((key) => key.alg === 'RS256')?.kid).toBe(second.kid);
      expect(active.find((key) => key.alg === 'RS256')?.privateJwk.d).toEqual(expect.any(String));
      expect((await keys.publicJwks()).keys.map((key) => key.kid)).toContain(first!.kid);

      await expect(keys.retire(second.kid, { type: 'operator' })).rejects.toMatchObject({
        code: 'keys.active',
      });
      await expect(keys.retire('nope', { type: 'operator' })).rejects.toMatchObject({
        code: 'keys.not_found',
      });
      await keys.retire(first!.kid, { type: 'operator' });
      await expect(keys.retire(first!.kid, { type: 'operator' })).rejects.toMatchObject({
        code: 'keys.already_retired',
      });
      expect((await keys.publicJwks()).keys.map((key) => key.kid)).not.toContain(first!.kid);
      const events = await audit.list({ subjectType: 'signing_key' });
      expect(events[0]).toMatchObject({ event: 'signing_key.retired', subjectId: first!.kid });
      expect(events[1]).toMatchObject({
        event: 'signing_key.rotated',
        actorType: 'operator',
        actorId: 'ops@example.com',
        data: { alg: 'RS256', generation: 2 },
      });
    });
  });

  describe('audit log', () => {
    it('lists newest first, filters by subject and pages backwards', async () => {
      const clock = createManualClock();
      const audit = createAuditService({
        repository: createAuditRepository(database.db),
        clock,
        ids: randomIds,
      });
      for (let index = 0; index < 5; index++) {
        await audit.record('signing_key.rotated', {
          actor: { type: 'system' },
          subject: { type: 'signing_key', id: index % 2 === 0 ? 'even' : 'odd' },
          origin: { requestId: `req-${index}`, ip: '127.0.0.1' },
          data: { index },
        });
      }
      const all = await audit.list();
      expect(all.map((event) => event.data.index)).toEqual([4, 3, 2, 1, 0]);
      expect(all[0]).toMatchObject({
        requestId: 'req-4',
        ip: '127.0.0.1',
        occurredAt: clock.now().getTime(),
      });
      const even = await audit.list({ subjectType: 'signing_key', subjectId: 'even' });
      expect(even.map((event) => event.data.index)).toEqual([4, 2, 0]);
      const page = await audit.list({ beforeSeq: all[1]!.seq, limit: 2 });
      expect(page.map((event) => event.data.index)).toEqual([2, 1]);
    });
  });

  it('reports an unreachable database through ping', async () => {
    const db = await fresh();
    await db.ping();
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    await expect(db.ping()).rejects.toThrow();
    await expect(sql`select 1`.execute(db.db)).rejects.toThrow();
  });
});
