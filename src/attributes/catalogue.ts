import type { JsonValue } from '../verification/types.ts';

/**
 * The type a value has on the wire. Partners are told not to expect strings only: `integer` is a JSON
 * number, `boolean` a JSON boolean, `date` a `YYYY-MM-DD` string, `array`/`object` structured JSON.
 */
export type AttributeType = 'string' | 'integer' | 'boolean' | 'date' | 'array' | 'object';

export interface AttributeDefinition {
  handle: string;
  /** The `name` of the attribute in the v3 payload. */
  name: string;
  /** What the consent page calls it. */
  consentLabel: string;
  type: AttributeType;
  /** For community attributes: the community (scope) whose verification carries the value. */
  community?: string;
}

/** Released to every application on every call (SPEC §4), `zip` only when the user has one. */
export const defaultAttributeHandles = ['fname', 'lname', 'email', 'uuid', 'zip'] as const;

/**
 * The attributes every community shares, in payload order (the order of ID.me's examples). Community-specific
 * attributes (`alumni_school_name`, `military_branch`, …) are data: each community defines its own, with a
 * type (migration 0005), and they follow these in the payload.
 */
export const attributeCatalogue: readonly AttributeDefinition[] = [
  { handle: 'fname', name: 'First Name', consentLabel: 'First name', type: 'string' },
  { handle: 'lname', name: 'Last Name', consentLabel: 'Last name', type: 'string' },
  { handle: 'email', name: 'Email', consentLabel: 'Email', type: 'string' },
  { handle: 'uuid', name: 'Unique Identifier', consentLabel: 'Unique identifier', type: 'string' },
  { handle: 'zip', name: 'Zip Code', consentLabel: 'ZIP code', type: 'string' },
  { handle: 'eid', name: 'External Identifier', consentLabel: 'External identifier', type: 'string' },
  { handle: 'age', name: 'Age', consentLabel: 'Age', type: 'integer' },
];

const byHandle = new Map(attributeCatalogue.map((definition) => [definition.handle, definition]));

export function findAttribute(handle: string): AttributeDefinition | undefined {
  return byHandle.get(handle);
}

/** A community's attribute as the payloads see it (its consent label is its name). */
export function communityAttribute(
  community: string,
  definition: { handle: string; name: string; type: AttributeType },
): AttributeDefinition {
  return { ...definition, consentLabel: definition.name, community };
}

/**
 * Whether an application can be configured to release `handle` (what the partner console offers): `age` and
 * the attributes the communities define. The defaults are always released and `eid` comes with the request.
 */
export function isConfigurableAttribute(
  handle: string,
  communities: readonly { attributeDefinitions: readonly { handle: string }[] }[],
): boolean {
  return (
    handle === 'age' ||
    communities.some((community) => community.attributeDefinitions.some((d) => d.handle === handle))
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` has the wire type `type`; a value that does not is never released. */
export function hasType(value: JsonValue, type: AttributeType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && DATE.test(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}
