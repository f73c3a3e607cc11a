import type { Generated } from 'kysely';

/** Tables of the verification domain (migrations 0004-verifications and 0005-verification-engine). */
export interface CommunitiesTable {
  /** The scope handle: `military`, `student`, … */
  handle: string;
  name: string;
  /** JSON array of subgroup names */
  subgroups: string;
  /** How long a verification stays valid, in days; null: no expiry */
  validity_days: number | null;
  /** Display order */
  position: number;
  created_at: number;
  /** JSON array of method names users may prove membership with (`email_domain`, `document`, …) */
  methods: Generated<string>;
  /** JSON array of `{ handle, name, back }`: the documents a reviewer accepts */
  document_types: Generated<string>;
  /** JSON array of `{ handle, name, type }`: community-specific attributes */
  attribute_definitions: Generated<string>;
  /** JSON object: validity in days by subgroup where it differs from `validity_days` (null: no expiry) */
  subgroup_validity_days: Generated<string>;
}

export interface VerificationsTable {
  id: string;
  user_id: string;
  community: string;
  /** JSON array of subgroup names (claimed while in progress, granted once verified) */
  subgroups: string;
  /** One of verification/state.ts's statuses */
  status: string;
  method: string;
  /** JSON object of community-specific attributes (e.g. `military_branch`), by handle */
  attributes: string;
  verified_at: number | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
  /** Why a verification was rejected or sent back (a code of verification/review-reasons.ts) */
  reason_code: string | null;
  /** The reviewer's note to the user */
  note: string | null;
  reviewer_id: string | null;
  /** The authoritative source's reference for its answer (registry id, roster id) */
  source_reference: string | null;
  /** The application during whose authorization the verification was started, if any */
  application_id: string | null;
  /** When the evidence was submitted: the review queue's order */
  submitted_at: number | null;
  decided_at: number | null;
}

export interface VerificationEvidenceTable {
  id: string;
  verification_id: string;
  /** `email_address`, `document`, `roster_match`, `registry`, `attestation`, `sandbox` */
  kind: string;
  /** JSON object; never image bytes (those are blobs) */
  details: string;
  created_at: number;
}

export interface DocumentsTable {
  id: string;
  verification_id: string;
  user_id: string;
  /** `front` or `back` */
  side: string;
  /** A handle of the community's document types, e.g. `dd214` */
  document_type: string;
  /** `image/jpeg`, `image/png` or `application/pdf` */
  content_type: string;
  width: number | null;
  height: number | null;
  byte_size: number;
  /** SHA-256 (hex) of the normalized content: the same document from another account is flagged */
  content_hash: string;
  /** Where the encrypted bytes are in the blob store */
  blob_key: string;
  created_at: number;
  /** Set when retention deleted the bytes; the row stays for the audit trail */
  purged_at: number | null;
}

/** Encrypted blobs when they are kept in the database (several instances) rather than a local folder. */
export interface BlobsTable {
  key: string;
  data: Buffer;
  created_at: number;
}

export interface EmailDomainRulesTable {
  id: string;
  community: string;
  subgroup: string;
  /** `*.mil`, `army.mil`, `*.k12.*.us`: each `*` stands for one or more DNS labels */
  pattern: string;
  created_at: number;
}

export interface RostersTable {
  id: string;
  community: string;
  /** The organization whose members the roster lists */
  organization: string;
  entry_count: number;
  /** The administrator who uploaded it */
  created_by: string | null;
  created_at: number;
}

export interface RosterEntriesTable {
  id: string;
  roster_id: string;
  email_normalized: string | null;
  member_id: string | null;
  first_name_normalized: string;
  last_name_normalized: string;
  subgroup: string;
}

export interface RegistrySourcesTable {
  id: string;
  community: string;
  name: string;
  /** e.g. `https://registry.example/api/members/{member_id}?last_name={last_name}` */
  url_template: string;
  /** `Name: value` sealed with the master key, or null */
  auth_header_sealed: string | null;
  /** JSON object: where in the registry's JSON answer the result is (verification/sources/http-registry.ts) */
  response_mapping: string;
  timeout_ms: number;
  retries: number;
  /** 0 or 1 */
  enabled: number;
  created_at: number;
}

export interface VerificationTables {
  communities: CommunitiesTable;
  verifications: VerificationsTable;
  verification_evidence: VerificationEvidenceTable;
  documents: DocumentsTable;
  blobs: BlobsTable;
  email_domain_rules: EmailDomainRulesTable;
  rosters: RostersTable;
  roster_entries: RosterEntriesTable;
  registry_sources: RegistrySourcesTable;
}
