import { z } from 'zod';
import type { Community } from '../types.ts';
import { sourceErrors } from './errors.ts';
import { communitySubgroup } from './source.ts';

/** Where the result is in a registry's JSON answer. Paths are dot paths (`data.status`, `items.0.id`). */
export interface RegistryMapping {
  /** e.g. 'data.status' */
  verifiedPath: string;
  /** The values that mean "a member", e.g. ['active', true]; strings compare case-insensitively. */
  verifiedValues: (string | number | boolean)[];
  subgroupPath?: string;
  /** registry value -> community subgroup */
  subgroupMap?: Record<string, string>;
  /** The subgroup when `subgroupPath` is not mapped or absent from the answer */
  defaultSubgroup?: string;
  /** An ISO 8601 date or date-time: when the membership ends */
  expiresAtPath?: string;
  /** The registry's id for its record, kept as the verification's source reference */
  referencePath?: string;
}

export interface RegistryConfig {
  id: string;
  name: string;
  community: Community;
  /** e.g. `https://registry.example/api/members/{member_id}?last_name={last_name}` */
  urlTemplate: string;
  /** 'Name: value', or null */
  authHeader: string | null;
  mapping: RegistryMapping;
  timeoutMs: number;
  retries: number;
}

export const placeholders = ['member_id', 'email', 'first_name', 'last_name'] as const;
export type Placeholder = (typeof placeholders)[number];

export const TIMEOUT_LIMITS = { min: 50, max: 30_000 } as const;
export const MAX_RETRIES = 5;

const path = z
  .string()
  .max(200)
  .regex(/^[^.\s]+(\.[^.\s]+)*$/u, 'must be a dot path such as data.status');

export const registryMappingSchema = z.strictObject({
  verifiedPath: path,
  verifiedValues: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .min(1)
    .max(50),
  subgroupPath: path.optional(),
  subgroupMap: z.record(z.string().max(200), z.string().max(200)).optional(),
  defaultSubgroup: z.string().max(200).optional(),
  expiresAtPath: path.optional(),
  referencePath: path.optional(),
});

/** The placeholders a URL template uses; throws `verification.registry_invalid` for unknown ones. */
export function templatePlaceholders(template: string): Set<Placeholder> {
  const used = new Set<Placeholder>();
  for (const [, name = ''] of template.matchAll(/\{([^{}]*)\}/gu)) {
    const known = placeholders.find((placeholder) => placeholder === name);
    if (known === undefined) {
      throw sourceErrors.registryInvalid(
        `The URL template has an unknown placeholder {${name}}; use ${placeholders.map((p) => `{${p}}`).join(', ')}.`,
      );
    }
    used.add(known);
  }
  return used;
}

/** Fills a URL template, each value URL-encoded (a `/` or `?` in a member id stays inside its segment). */
export function expandTemplate(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{([^{}]*)\}/gu, (_match, name: Placeholder) => encodeURIComponent(values[name]));
}

/** A header line `Name: value` as a name and a value; throws when it is not one. */
export function parseAuthHeader(header: string): { name: string; value: string } {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\r\n]*?)[ \t]*$/u.exec(header);
  if (match?.[1] === undefined || match[2] === undefined || match[2] === '') {
    throw sourceErrors.registryInvalid('The authentication header must look like "Name: value" on one line.');
  }
  return { name: match[1], value: match[2] };
}

/**
 * Checks where a registry is asked and how: an http(s) URL template whose placeholders are known and come
 * after the host (what a user types never chooses where Vetted connects), and a `Name: value` header.
 * Throws `verification.registry_invalid`.
 */
export function checkRegistryEndpoint(
  urlTemplate: string,
  authHeader: string | null,
): { placeholders: Set<Placeholder>; header: { name: string; value: string } | undefined } {
  const used = templatePlaceholders(urlTemplate);
  const sample = expandTemplate(urlTemplate, { member_id: 'x', email: 'x', first_name: 'x', last_name: 'x' });
  if (!/^https?:\/\/[^/?#{}]+[/?#]/iu.test(urlTemplate) || !URL.canParse(sample)) {
    throw sourceErrors.registryInvalid(
      'The URL template must be an http:// or https:// URL with placeholders only after the host.',
    );
  }
  return { placeholders: used, header: authHeader === null ? undefined : parseAuthHeader(authHeader) };
}

/**
 * Checks a registry configuration: its endpoint (checkRegistryEndpoint), limits on timeout and retries, and a
 * mapping of the schema whose subgroups are the community's. Throws `verification.registry_invalid`; returns
 * the configuration with the mapping parsed and its subgroups in the community's spelling.
 */
export function validateRegistryConfig(
  config: Omit<RegistryConfig, 'mapping'> & { mapping: unknown },
): RegistryConfig {
  const invalid = sourceErrors.registryInvalid;
  if (config.id.trim() === '') throw invalid('A registry needs an id.');
  if (config.name.trim() === '') throw invalid('Name the registry.');
  checkRegistryEndpoint(config.urlTemplate, config.authHeader);
  const { min, max } = TIMEOUT_LIMITS;
  if (!Number.isInteger(config.timeoutMs) || config.timeoutMs < min || config.timeoutMs > max) {
    throw invalid(`The timeout must be from ${min} to ${max} milliseconds.`);
  }
  if (!Number.isInteger(config.retries) || config.retries < 0 || config.retries > MAX_RETRIES) {
    throw invalid(`Retries must be from 0 to ${MAX_RETRIES}.`);
  }
  const parsed = registryMappingSchema.safeParse(config.mapping);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      `The response mapping is invalid: ${issue?.path.map(String).join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  const mapping: RegistryMapping = { ...parsed.data };
  const subgroup = (value: string) => {
    const known = communitySubgroup(config.community, value);
    if (known === undefined)
      throw invalid(`${JSON.stringify(value)} is not a subgroup of ${config.community.name}.`);
    return known;
  };
  if (mapping.subgroupMap !== undefined) {
    mapping.subgroupMap = Object.fromEntries(
      Object.entries(mapping.subgroupMap).map(([key, value]) => [key, subgroup(value)]),
    );
  }
  if (mapping.defaultSubgroup !== undefined) mapping.defaultSubgroup = subgroup(mapping.defaultSubgroup);
  if (mapping.subgroupPath === undefined && mapping.defaultSubgroup === undefined) {
    const [only, ...others] = config.community.subgroups;
    if (only === undefined || others.length > 0) {
      throw invalid(`Map the subgroup (subgroupPath) or name a defaultSubgroup of ${config.community.name}.`);
    }
    mapping.defaultSubgroup = only;
  }
  return { ...config, mapping };
}
