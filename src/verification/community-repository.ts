import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { CommunitiesTable } from '../storage/tables/verifications.ts';
import type { Community } from './types.ts';

export function createCommunityRepository(db: Kysely<Schema>) {
  return {
    /** Every community, in display order. */
    async list(): Promise<Community[]> {
      const rows = await db
        .selectFrom('communities')
        .selectAll()
        .orderBy('position')
        .orderBy('handle')
        .execute();
      return rows.map(toCommunity);
    },

    async findByHandle(handle: string): Promise<Community | undefined> {
      const row = await db
        .selectFrom('communities')
        .selectAll()
        .where('handle', '=', handle)
        .executeTakeFirst();
      return row === undefined ? undefined : toCommunity(row);
    },
  };
}

export type CommunityRepository = ReturnType<typeof createCommunityRepository>;

function toCommunity(row: Selectable<CommunitiesTable>): Community {
  return {
    handle: row.handle,
    name: row.name,
    subgroups: parseStringArray(row.subgroups),
    validityDays: row.validity_days,
  };
}

/** A JSON array of strings from a text column; anything else is a corrupt row and fails loudly. */
export function parseStringArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`expected a JSON array of strings, got ${text.slice(0, 100)}`);
  }
  return value;
}
