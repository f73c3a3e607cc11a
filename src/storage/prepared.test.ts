import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { openDatabase, type Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { prepareQuery } from './prepared.ts';

describe('prepared queries', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase(loadConfig({ VETTED_DATABASE_URL: 'sqlite::memory:' }).database);
    await migrateToLatest(database);
  });
  afterAll(() => database.close());

  it('bind call-time values in the right places and keep fixed ones', async () => {
    const byAlgAndGeneration = prepareQuery<{ generation: number; alg: string }, { kid: string }>(
      database.db,
      (param) =>
        database.db
          .selectFrom('signing_keys')
          .select('kid')
          .where('alg', '=', param('alg'))
          .where('generation', '=', param('generation'))
          .where('retired_at', 'is', null)
          .where('public_jwk', '!=', 'fixed'),
    );
    for (const [kid, alg, generation] of [
      ['a', 'RS256', 1],
      ['b', 'ES256', 1],
      ['c', 'RS256', 2],
    ] as const) {
      await database.db
        .insertInto('signing_keys')
        .values({
          kid,
          alg,
          generation,
          public_jwk: '{}',
          private_jwk_sealed: 'x',
          created_at: 1,
          activated_at: 1,
          retired_at: null,
        })
        .execute();
    }
    expect(await byAlgAndGeneration({ alg: 'RS256', generation: 2 })).toEqual([{ kid: 'c' }]);
    expect(await byAlgAndGeneration({ generation: 1, alg: 'ES256' })).toEqual([{ kid: 'b' }]);
    expect(await byAlgAndGeneration({ generation: 3, alg: 'ES256' })).toEqual([]);
  });
});
