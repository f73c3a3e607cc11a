import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { CommunitiesTable } from '../storage/tables/verifications.ts';
import {
  verificationMethods,
  type AttributeDefinition,
  type Community,
  type DocumentType,
  type VerificationMethod,
} from './types.ts';

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

    /** Changes what administrators may edit of a community (not its handle: that is a scope partners use). */
    async update(
      handle: string,
      changes: Partial<
        Pick<Community, 'name' | 'subgroups' | 'validityDays' | 'subgroupValidityDays' | 'methods'>
      > &
        Partial<Pick<Community, 'documentTypes' | 'attributeDefinitions'>>,
    ): Promise<boolean> {
      const result = await db
        .updateTable('communities')
        .set({
          ...(changes.name === undefined ? {} : { name: changes.name }),
          ...(changes.subgroups === undefined ? {} : { subgroups: JSON.stringify(changes.subgroups) }),
          ...(changes.validityDays === undefined ? {} : { validity_days: changes.validityDays }),
          ...(changes.subgroupValidityDays === undefined
            ? {}
            : { subgroup_validity_days: JSON.stringify(changes.subgroupValidityDays) }),
          ...(changes.methods === undefined ? {} : { methods: JSON.stringify(changes.methods) }),
          ...(changes.documentTypes === undefined
            ? {}
            : { document_types: JSON.stringify(changes.documentTypes) }),
          ...(changes.attributeDefinitions === undefined
            ? {}
            : { attribute_definitions: JSON.stringify(changes.attributeDefinitions) }),
        })
        .where('handle', '=', handle)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
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
    subgroupValidityDays: parseValidityMap(row.subgroup_validity_days),
    methods: parseStringArray(row.methods).filter((method): method is VerificationMethod =>
      (verificationMethods as readonly string[]).includes(method),
    ),
    documentTypes: parseJsonArray(row.document_types) as DocumentType[],
    attributeDefinitions: parseJsonArray(row.attribute_definitions) as AttributeDefinition[],
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

function parseJsonArray(text: string): unknown[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) throw new Error(`expected a JSON array, got ${text.slice(0, 100)}`);
  return value;
}

function parseValidityMap(text: string): Record<string, number | null> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object, got ${text.slice(0, 100)}`);
  }
  for (const days of Object.values(value)) {
    if (days !== null && !(typeof days === 'number' && Number.isInteger(days) && days > 0)) {
      throw new Error(`expected whole days or null, got ${text.slice(0, 100)}`);
    }
  }
  return value as Record<string, number | null>;
}
