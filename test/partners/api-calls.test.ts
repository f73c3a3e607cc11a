import { beforeAll, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { createApiCallRepository } from '../../src/partners/api-call-repository.ts';
import { API_CALLS_KEPT, createApiCallService, type ApiCallInput } from '../../src/partners/api-calls.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../helpers/databases.ts';

const call = (clientId: string, index: number): ApiCallInput => ({
  clientId,
  method: 'get',
  endpoint: '/api/public/v3/attributes.json',
  status: index % 10 === 0 ? 401 : 200,
  latencyMs: 12.6,
  errorCode: index % 10 === 0 ? 'invalid_token' : null,
});

describeEachDatabase('api call activity', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;
  const clock = createManualClock();
  let service: ReturnType<typeof createApiCallService>;
  let repository: ReturnType<typeof createApiCallRepository>;

  beforeAll(async () => {
    database = await databases.fresh();
    repository = createApiCallRepository(database.db);
    service = createApiCallService({ repository, clock, ids: randomIds, trimEvery: 50 });
  });

  async function recordMany(clientId: string, count: number, from = 0) {
    for (let index = from; index < from + count; index += 1) {
      clock.advance(1);
      await service.record(call(clientId, index));
    }
  }

  it('stores a call with its id and time, normalised', async () => {
    const at = clock.now();
    await service.record({ ...call('solo', 0), method: 'post', latencyMs: -3 });
    const { items, total } = await service.list('solo');
    expect(total).toBe(1);
    expect(items).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
        clientId: 'solo',
        at,
        method: 'POST',
        endpoint: '/api/public/v3/attributes.json',
        status: 401,
        latencyMs: 0,
        errorCode: 'invalid_token',
      },
    ]);
  });

  it('keeps the newest 500 calls of a client, trimming every 50th insert, and lists them newest first', async () => {
    await recordMany('busy', 600);
    await recordMany('quiet', 3);
    expect(await repository.count('busy')).toBe(API_CALLS_KEPT);
    expect(await repository.count('quiet')).toBe(3);

    const first = await service.list('busy', { limit: 100 });
    expect(first.total).toBe(500);
    expect(first.items).toHaveLength(100);
    const times = first.items.map((item) => item.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const newest = first.items[0]?.at.getTime() ?? 0;
    const last = await service.list('busy', { limit: 100, offset: 400 });
    expect(last.items).toHaveLength(100);
    // The 100 oldest went: the oldest kept is the 101st call.
    expect(last.items.at(-1)?.at.getTime()).toBe(newest - 499);
    expect(first.items.every((item) => item.clientId === 'busy')).toBe(true);
  });

  it('shows at most the newest 500 between trims, and pages within them', async () => {
    await recordMany('busy', 20, 600);
    expect(await repository.count('busy')).toBe(520);
    const page = await service.list('busy', { limit: 50, offset: 480 });
    expect(page.total).toBe(500);
    expect(page.items).toHaveLength(20);
    expect(await service.list('busy', { offset: 500 })).toEqual({ items: [], total: 500 });
    expect((await service.list('busy', { limit: 1000 })).items).toHaveLength(100);
  });

  it('trims exactly even when calls share a millisecond', async () => {
    for (let index = 0; index < 7; index += 1)
      await repository.insert({
        ...call('same-ms', index),
        id: `id-${index}`,
        at: new Date(5),
        errorCode: null,
        method: 'GET',
        latencyMs: 12,
      });
    expect(await repository.trim('same-ms', 3)).toBe(4);
    expect((await repository.list('same-ms', { limit: 10, offset: 0 })).map((item) => item.id)).toEqual([
      'id-6',
      'id-5',
      'id-4',
    ]);
    expect(await repository.trim('nobody', 3)).toBe(0);
  });

  it('deletes a client’s calls and no other’s', async () => {
    await service.deleteForClient('busy');
    expect(await service.list('busy')).toEqual({ items: [], total: 0 });
    expect((await service.list('quiet')).total).toBe(3);
  });
});
