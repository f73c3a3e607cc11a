/** A value that survives a JSON round trip: what community attributes and payload values are made of. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type JsonObject = Record<string, JsonValue>;

/** A group a user can be verified for; its handle is also an OAuth scope. */
export interface Community {
  /** The scope handle: `military`, `student`, … */
  handle: string;
  /** Display name: `Military`, `First Responder`, … */
  name: string;
  subgroups: string[];
  /** How long a verification stays valid, in days; null: it does not expire. */
  validityDays: number | null;
}

export const verificationStatuses = ['pending', 'verified', 'rejected'] as const;

/** Stored status. An expired verification is stored as `verified` with `expiresAt` in the past. */
export type VerificationStatus = (typeof verificationStatuses)[number];

export interface Verification {
  id: string;
  userId: string;
  community: string;
  subgroups: string[];
  status: VerificationStatus;
  /** How membership was proven: `email_code`, `document`, `registry`, `manual`, … */
  method: string;
  /** Community-specific attributes by handle (e.g. `military_branch`), typed as recorded. */
  attributes: JsonObject;
  verifiedAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
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
}
