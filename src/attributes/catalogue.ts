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

function communityAttribute(community: string, handle: string, name: string, type: AttributeType) {
  return { handle, name, consentLabel: name, type, community } satisfies AttributeDefinition;
}

/** Every attribute Vetted can release, in payload order (the order of ID.me's examples). */
export const attributeCatalogue: readonly AttributeDefinition[] = [
  { handle: 'fname', name: 'First Name', consentLabel: 'First name', type: 'string' },
  { handle: 'lname', name: 'Last Name', consentLabel: 'Last name', type: 'string' },
  { handle: 'email', name: 'Email', consentLabel: 'Email', type: 'string' },
  { handle: 'uuid', name: 'Unique Identifier', consentLabel: 'Unique identifier', type: 'string' },
  { handle: 'zip', name: 'Zip Code', consentLabel: 'ZIP code', type: 'string' },
  { handle: 'eid', name: 'External Identifier', consentLabel: 'External identifier', type: 'string' },
  { handle: 'age', name: 'Age', consentLabel: 'Age', type: 'integer' },
  communityAttribute('alumni', 'alumni_school_name', 'Alumni School Name', 'string'),
  communityAttribute('alumni', 'alumni_school_type', 'Alumni School Type', 'string'),
  communityAttribute('alumni', 'alumni_graduation_date', 'Alumni Graduation Date', 'date'),
  communityAttribute('alumni', 'alumni_award_date', 'Alumni Award Date', 'date'),
  communityAttribute('alumni', 'alumni_degree_status', 'Alumni Degree Status', 'string'),
  communityAttribute('alumni', 'alumni_graduated', 'Alumni Graduated', 'boolean'),
  communityAttribute('military', 'military_branch', 'Military Branch', 'string'),
  communityAttribute('military', 'military_service_started', 'Military Service Started', 'date'),
];

const byHandle = new Map(attributeCatalogue.map((definition) => [definition.handle, definition]));

export function findAttribute(handle: string): AttributeDefinition | undefined {
  return byHandle.get(handle);
}

/**
 * Whether an application can be configured to release `handle` (what the partner console offers): `age` and
 * the community attributes. The defaults are always released and `eid` comes with the authorization request.
 */
export function isConfigurableAttribute(handle: string): boolean {
  return handle === 'age' || byHandle.get(handle)?.community !== undefined;
}

/** The community attributes of a community, in catalogue order. */
export function communityAttributes(community: string): AttributeDefinition[] {
  return attributeCatalogue.filter((definition) => definition.community === community);
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
