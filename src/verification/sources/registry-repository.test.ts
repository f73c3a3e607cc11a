import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  describeEachDatabase,
  migratedDatabases,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { createSecretBox } from '../../keys/secret-box.ts';
import type { Database } from '../../storage/database.ts';
import { military, person, student } from './fixtures.test-support.ts';
import {
  createRegistrySourceRepository,
  REGISTRY_SECRET_PURPOSE,
  type NewRegistrySource,
  type RegistrySourceRepository,
} from './registry-repository.ts';

const HEADER = 'X-Api-Key: k3y-that-must-stay-secret';
const CREATED = new Date('2026-03-01T12:00:00Z');

describeEachDatabase('registry source repository', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;
  let repository: RegistrySourceRepository;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // Answers `active` to anyone presenting the key, 401 otherwise.
    server = createServer((request, response) => {
      const ok = request.headers['x-api-key'] === 'k3y-that-must-stay-secret';
      response.writeHead(ok ? 200 : 401).end(JSON.stringify({ status: ok ? 'active' : 'denied', id: 'R-1' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    database = await databases.fresh();
    repository = createRegistrySourceRepository(
      database.db,
      createSecretBox(randomBytes(32), REGISTRY_SECRET_PURPOSE),
    );
  });

  const registry = (overrides: Partial<NewRegistrySource> = {}): NewRegistrySource => ({
    id: 'dod',
    name: 'Defense registry',
    community: military,
    urlTemplate: `${base}/members/{member_id}`,
    authHeader: HEADER,
    mapping: {
      verifiedPath: 'status',
      verifiedValues: ['active'],
      defaultSubgroup: 'veteran',
      referencePath: 'id',
    },
    timeoutMs: 2_000,
    retries: 0,
    createdAt: CREATED,
    ...overrides,
  });

  it('stores a registry with its auth header sealed, and never returns the header', async () => {
    const record = await repository.insert(registry());
    expect(record).toEqual({
      id: 'dod',
      community: 'military',
      name: 'Defense registry',
      urlTemplate: `${base}/members/{member_id}`,
      hasAuthHeader: true,
      mapping: {
        verifiedPath: 'status',
        verifiedValues: ['active'],
        defaultSubgroup: 'Veteran',
        referencePath: 'id',
      },
      timeoutMs: 2_000,
      retries: 0,
      enabled: true,
      createdAt: CREATED,
    });
    expect(await repository.find('dod')).toEqual(record);
    expect(await repository.list('military')).toEqual([record]);
    expect(await repository.list('student')).toEqual([]);
    const row = await database.db.selectFrom('registry_sources').selectAll().executeTakeFirstOrThrow();
    expect(row.auth_header_sealed).toMatch(/^v1\./);
    expect(row.auth_header_sealed).not.toContain('k3y');
    expect(Buffer.from(row.auth_header_sealed ?? '', 'base64url').toString('latin1')).not.toContain('k3y');
    expect(JSON.stringify(await repository.list())).not.toContain('k3y');
  });

  it('builds working sources of enabled registries, opening the header', async () => {
    await repository.insert(registry());
    await repository.insert(registry({ id: 'open', name: 'Open registry', authHeader: null }));
    await repository.insert(registry({ id: 'off', name: 'Off', enabled: false }));
    const sources = await repository.toSources([military, student]);
    expect(sources.map((source) => [source.kind, source.id])).toEqual([
      ['registry', 'dod'],
      ['registry', 'open'],
    ]);
    const ask = (index: number) => sources[index]!.verify({ person, community: military, memberId: '7' });
    expect(await ask(0)).toEqual({
      outcome: 'verified',
      subgroups: ['Veteran'],
      reference: 'registry:dod:R-1',
    });
    expect(await ask(1)).toMatchObject({ outcome: 'unavailable', reason: 'The registry answered 401.' });
    expect(await repository.toSources([student])).toEqual([]);

    expect(await repository.updateEnabled('dod', false)).toBe(true);
    expect(await repository.updateEnabled('open', false)).toBe(true);
    expect(await repository.updateEnabled('off', true)).toBe(true);
    expect(await repository.updateEnabled('nope', true)).toBe(false);
    expect((await repository.toSources([military])).map((source) => source.id)).toEqual(['off']);
  });

  it('binds the sealed header to its row', async () => {
    await repository.insert(registry());
    await repository.insert(registry({ id: 'copy', name: 'Copy', authHeader: null }));
    const { auth_header_sealed: sealed } = await database.db
      .selectFrom('registry_sources')
      .select('auth_header_sealed')
      .where('id', '=', 'dod')
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('registry_sources')
      .set({ auth_header_sealed: sealed })
      .where('id', '=', 'copy')
      .execute();
    await expect(repository.toSources([military])).rejects.toThrow();
  });

  it('refuses invalid configurations', async () => {
    const invalid = { code: 'verification.registry_invalid', status: 400 };
    await expect(repository.insert(registry({ mapping: { verifiedPath: 'status' } }))).rejects.toMatchObject({
      ...invalid,
      message: expect.stringContaining('verifiedValues'),
    });
    await expect(
      repository.insert(registry({ mapping: { verifiedPath: 'status', verifiedValues: [1], extra: true } })),
    ).rejects.toMatchObject(invalid);
    await expect(
      repository.insert(registry({ mapping: { verifiedPath: 'status', verifiedValues: ['active'] } })),
    ).rejects.toMatchObject({ ...invalid, message: expect.stringContaining('defaultSubgroup') });
    await expect(
      repository.insert(
        registry({
          mapping: {
            verifiedPath: 'a',
            verifiedValues: [true],
            subgroupPath: 'b',
            subgroupMap: { x: 'Pilot' },
          },
        }),
      ),
    ).rejects.toMatchObject({ ...invalid, message: '"Pilot" is not a subgroup of Military.' });
    await expect(repository.insert(registry({ urlTemplate: 'file:///etc/passwd' }))).rejects.toMatchObject(
      invalid,
    );
    await expect(repository.insert(registry({ authHeader: 'X-Key: a\r\nX-Other: b' }))).rejects.toMatchObject(
      invalid,
    );
    await expect(repository.insert(registry({ timeoutMs: 10 }))).rejects.toMatchObject(invalid);
    await expect(repository.insert(registry({ retries: 9 }))).rejects.toMatchObject(invalid);
    await expect(
      repository.insert(
        registry({ community: { ...military, handle: 'astronaut', subgroups: ['Veteran'] } }),
      ),
    ).rejects.toMatchObject({ code: 'verification.unknown_community' });
    await repository.insert(registry());
    await expect(repository.insert(registry())).rejects.toMatchObject(invalid);
    expect((await repository.list()).map((record) => record.id)).toEqual(['dod']);
  });

  it('deletes', async () => {
    await repository.insert(registry());
    expect(await repository.delete('dod')).toBe(true);
    expect(await repository.delete('dod')).toBe(false);
    expect(await repository.find('dod')).toBeUndefined();
  });
});
