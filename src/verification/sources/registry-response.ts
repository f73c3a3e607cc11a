import type { Community } from '../types.ts';
import type { RegistryMapping } from './registry-config.ts';
import { checkSubgroups, communitySubgroup, type SourceResult } from './source.ts';

/** What a dot path finds in parsed JSON: undefined when a step is missing (own properties only). */
export function valueAt(json: unknown, path: string): unknown {
  let current: unknown = json;
  for (const step of path.split('.')) {
    if (Array.isArray(current)) {
      current = /^\d+$/u.test(step) ? current[Number(step)] : undefined;
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, step)) {
      current = (current as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
  }
  return current;
}

type Scalar = string | number | boolean;

const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' ||
  (typeof value === 'number' && Number.isFinite(value)) ||
  typeof value === 'boolean';

function sameValue(a: Scalar, b: Scalar): boolean {
  return typeof a === 'string' && typeof b === 'string'
    ? a.trim().toLowerCase() === b.trim().toLowerCase()
    : a === b;
}

/** An ISO 8601 date (`2027-01-31`) or date-time with a zone; undefined otherwise. */
function isoDate(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/u.test(value))
    return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Turns a registry's parsed JSON answer into a result, through the mapping. A verified value in
 * `verifiedValues` is `verified`, another value is `rejected`; an answer without the mapped fields, or with
 * values of the wrong kind, is `unavailable`: Vetted could not tell, so nobody is verified.
 */
export function interpretAnswer(
  json: unknown,
  mapping: RegistryMapping,
  community: Community,
  sourceId: string,
): SourceResult {
  const unavailable = (reason: string): SourceResult => ({ outcome: 'unavailable', reason });
  const status = valueAt(json, mapping.verifiedPath);
  if (!isScalar(status)) return unavailable(`The registry's answer has no usable ${mapping.verifiedPath}.`);

  const member = mapping.verifiedValues.some((wanted) => sameValue(wanted, status));

  let reference = `registry:${sourceId}`;
  if (mapping.referencePath !== undefined) {
    const value = valueAt(json, mapping.referencePath);
    if (typeof value === 'string' || typeof value === 'number') reference += `:${String(value)}`;
    // A verification must say which record proved it; a refusal may come without one.
    else if (member) return unavailable(`The registry's answer has no usable ${mapping.referencePath}.`);
  }
  if (!member)
    return { outcome: 'rejected', reason: `The registry says ${JSON.stringify(status)}.`, reference };

  const subgroup = mappedSubgroup(json, mapping, community);
  if (typeof subgroup !== 'string') return unavailable(subgroup.reason);

  let expiresAt: Date | undefined;
  if (mapping.expiresAtPath !== undefined) {
    const value = valueAt(json, mapping.expiresAtPath);
    if (value !== undefined && value !== null) {
      expiresAt = typeof value === 'string' ? isoDate(value) : undefined;
      if (expiresAt === undefined)
        return unavailable(`The registry's ${mapping.expiresAtPath} is not a date.`);
    }
  }
  return checkSubgroups(community, {
    outcome: 'verified',
    subgroups: [subgroup],
    reference,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });
}

function mappedSubgroup(
  json: unknown,
  mapping: RegistryMapping,
  community: Community,
): string | { reason: string } {
  const value = mapping.subgroupPath === undefined ? undefined : valueAt(json, mapping.subgroupPath);
  if (value === undefined || value === null) {
    return (
      mapping.defaultSubgroup ?? {
        reason: `The registry's answer has no ${mapping.subgroupPath ?? 'subgroup'}.`,
      }
    );
  }
  if (!isScalar(value)) return { reason: `The registry's ${mapping.subgroupPath ?? ''} is not a value.` };
  const text = String(value);
  const map = mapping.subgroupMap;
  if (map !== undefined) {
    const key = Object.keys(map).find((candidate) => sameValue(candidate, text));
    if (key !== undefined) return map[key] ?? text;
  }
  // Unmapped: the registry's value itself, which checkSubgroups refuses unless it is a community subgroup.
  return communitySubgroup(community, text) ?? text;
}
