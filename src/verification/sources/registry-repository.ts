import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../keys/secret-box.ts';
import type { Schema } from '../../storage/schema.ts';
import type { RegistrySourcesTable } from '../../storage/tables/verifications.ts';
import { verificationErrors } from '../errors.ts';
import type { Community } from '../types.ts';
import { sourceErrors } from './errors.ts';
import { createHttpRegistrySource, type HttpRegistryDeps } from './http-registry.ts';
import {
  registryMappingSchema,
  validateRegistryConfig,
  type RegistryConfig,
  type RegistryMapping,
} from './registry-config.ts';
import type { VerificationSource } from './source.ts';

/** The secret box purpose for registries' auth headers: `createSecretBox(masterKey, REGISTRY_SECRET_PURPOSE)`. */
export const REGISTRY_SECRET_PURPOSE = 'registry-auth-header';

const FOREIGN_KEY_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);
const UNIQUE_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE', '23505']);

/** A configured registry as administrators see it: whether it has an auth header, never the header. */
export interface RegistrySourceRecord {
  id: string;
  community: string;
  name: string;
  urlTemplate: string;
  hasAuthHeader: boolean;
  mapping: RegistryMapping;
  timeoutMs: number;
  retries: number;
  enabled: boolean;
  createdAt: Date;
}

/** A registry to add: its configuration, with the mapping as received (validated here). */
export type NewRegistrySource = Omit<RegistryConfig, 'mapping'> & {
  mapping: unknown;
  enabled?: boolean;
  createdAt: Date;
};

/**
 * The `registry_sources` rows. The auth header is sealed with `box` (bound to the row's id) and opened only to
 * build the sources that send it (`toSources`).
 */
export function createRegistrySourceRepository(db: Kysely<Schema>, box: SecretBox) {
  return {
    /** Validates (registry-config.ts) and stores a registry; `verification.registry_invalid` when it is not valid. */
    async insert(input: NewRegistrySource): Promise<RegistrySourceRecord> {
      const config = validateRegistryConfig(input);
      const row: Selectable<RegistrySourcesTable> = {
        id: config.id,
        community: config.community.handle,
        name: config.name.trim(),
        url_template: config.urlTemplate,
        auth_header_sealed: config.authHeader === null ? null : box.seal(config.authHeader, config.id),
        response_mapping: JSON.stringify(config.mapping),
        timeout_ms: config.timeoutMs,
        retries: config.retries,
        enabled: input.enabled === false ? 0 : 1,
        created_at: input.createdAt.getTime(),
      };
      try {
        await db.insertInto('registry_sources').values(row).execute();
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (FOREIGN_KEY_VIOLATIONS.has(code)) throw verificationErrors.unknownCommunity(row.community);
        if (UNIQUE_VIOLATIONS.has(code))
          throw sourceErrors.registryInvalid(`There is already a registry ${row.id}.`);
        throw error;
      }
      return toRecord(row);
    },

    /** Registries by name; only of `community` when given. */
    async list(community?: string): Promise<RegistrySourceRecord[]> {
      let query = db.selectFrom('registry_sources').selectAll().orderBy('name').orderBy('id');
      if (community !== undefined) query = query.where('community', '=', community);
      return (await query.execute()).map(toRecord);
    },

    async find(id: string): Promise<RegistrySourceRecord | undefined> {
      const row = await db.selectFrom('registry_sources').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    /** Turns a registry on or off; false when there is no such registry. */
    async updateEnabled(id: string, enabled: boolean): Promise<boolean> {
      const result = await db
        .updateTable('registry_sources')
        .set({ enabled: enabled ? 1 : 0 })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async delete(id: string): Promise<boolean> {
      const result = await db.deleteFrom('registry_sources').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /** A source for every enabled registry of one of `communities` (others are left out), by name. */
    async toSources(
      communities: readonly Community[],
      deps: HttpRegistryDeps = {},
    ): Promise<VerificationSource[]> {
      const byHandle = new Map(communities.map((community) => [community.handle, community]));
      if (byHandle.size === 0) return [];
      const rows = await db
        .selectFrom('registry_sources')
        .selectAll()
        .where('enabled', '=', 1)
        .where('community', 'in', [...byHandle.keys()])
        .orderBy('name')
        .orderBy('id')
        .execute();
      return rows.flatMap((row) => {
        const community = byHandle.get(row.community);
        return community === undefined ? [] : [createHttpRegistrySource(toConfig(row, community, box), deps)];
      });
    },
  };
}

export type RegistrySourceRepository = ReturnType<typeof createRegistrySourceRepository>;

function parseMapping(row: Selectable<RegistrySourcesTable>): RegistryMapping {
  const parsed = registryMappingSchema.safeParse(JSON.parse(row.response_mapping));
  if (!parsed.success) throw new Error(`registry source ${row.id}: the stored response mapping is not valid`);
  return parsed.data;
}

function toConfig(
  row: Selectable<RegistrySourcesTable>,
  community: Community,
  box: SecretBox,
): RegistryConfig {
  return {
    id: row.id,
    name: row.name,
    community,
    urlTemplate: row.url_template,
    authHeader:
      row.auth_header_sealed === null ? null : box.open(row.auth_header_sealed, row.id).toString('utf8'),
    mapping: parseMapping(row),
    timeoutMs: row.timeout_ms,
    retries: row.retries,
  };
}

function toRecord(row: Selectable<RegistrySourcesTable>): RegistrySourceRecord {
  return {
    id: row.id,
    community: row.community,
    name: row.name,
    urlTemplate: row.url_template,
    hasAuthHeader: row.auth_header_sealed !== null,
    mapping: parseMapping(row),
    timeoutMs: row.timeout_ms,
    retries: row.retries,
    enabled: row.enabled === 1,
    createdAt: new Date(row.created_at),
  };
}
