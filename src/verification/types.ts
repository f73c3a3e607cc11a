import type { VerificationStatus } from './state.ts';

export type { VerificationStatus } from './state.ts';

/** A value that survives a JSON round trip: what community attributes and payload values are made of. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type JsonObject = Record<string, JsonValue>;

/** The ways a user can prove membership of a community. */
export const verificationMethods = ['email_domain', 'document', 'roster', 'registry'] as const;
export type VerificationMethod = (typeof verificationMethods)[number];

/** How a verification was made: a user-facing method, an administrator's attestation, or the sandbox. */
export type VerificationOrigin = VerificationMethod | 'attestation' | 'sandbox' | 'operator';

export interface DocumentType {
  /** e.g. `dd214` */
  handle: string;
  /** e.g. `DD-214 (certificate of release or discharge)` */
  name: string;
  /** Whether the document has a back side worth uploading (it stays optional). */
  back: boolean;
}

export type AttributeType = 'string' | 'date' | 'integer' | 'boolean';

export interface AttributeDefinition {
  /** e.g. `alumni_school_name` */
  handle: string;
  /** e.g. `Alumni School Name` */
  name: string;
  type: AttributeType;
}

/** A group a user can be verified for; its handle is also an OAuth scope. */
export interface Community {
  /** The scope handle: `military`, `student`, … */
  handle: string;
  /** Display name: `Military`, `First Responder`, … */
  name: string;
  subgroups: string[];
  /** How long a verification stays valid, in days; null: it does not expire. */
  validityDays: number | null;
  /** Validity by subgroup where it differs from `validityDays`. */
  subgroupValidityDays: Record<string, number | null>;
  /** The methods users may choose, in the order they are offered. */
  methods: VerificationMethod[];
  documentTypes: DocumentType[];
  attributeDefinitions: AttributeDefinition[];
}

export interface Verification {
  id: string;
  userId: string;
  community: string;
  /** Claimed while in progress; granted once verified. */
  subgroups: string[];
  status: VerificationStatus;
  /** A VerificationOrigin (older rows may name others, e.g. `operator`). */
  method: string;
  /** Community-specific attributes by handle (e.g. `military_branch`), typed as recorded. */
  attributes: JsonObject;
  verifiedAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  /** A code of review-reasons.ts when rejected or sent back. */
  reasonCode: string | null;
  /** The reviewer's note to the user. */
  note: string | null;
  reviewerId: string | null;
  /** The authoritative source's reference for its answer. */
  sourceReference: string | null;
  /** The application during whose authorization it was started. */
  applicationId: string | null;
}

export const evidenceKinds = [
  'email_address',
  'document',
  'roster_match',
  'registry',
  'attestation',
  'sandbox',
] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

/** What was shown to prove membership. Document images are blobs; `details` names them. */
export interface Evidence {
  id: string;
  verificationId: string;
  kind: EvidenceKind;
  details: JsonObject;
  createdAt: Date;
}

/** The status entry of the attributes payload (`status[]` in SPEC §4). */
export interface CommunityStatus {
  group: string;
  subgroups: string[];
  verified: boolean;
}

/**
 * Everything the attributes payloads and the consent page need about one community of a grant: the status,
 * the community's display name and the attributes of the current (verified, unexpired) verification.
 */
export interface CommunityStanding extends CommunityStatus {
  name: string;
  /** Attributes of the current verification; `{}` when not verified. */
  attributes: JsonObject;
  /** The community's own attributes (data, per community): what `attributes` may release. */
  attributeDefinitions: readonly AttributeDefinition[];
}
