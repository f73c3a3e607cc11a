/** Tables of the verification domain (migration 0004-verifications; issue 4 extends them). */
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
}

export interface VerificationsTable {
  id: string;
  user_id: string;
  community: string;
  /** JSON array of subgroup names */
  subgroups: string;
  /** `pending`, `verified`, `rejected` (an expired verification is `verified` with `expires_at` in the past) */
  status: string;
  method: string;
  /** JSON object of community-specific attributes (e.g. `military_branch`), by handle */
  attributes: string;
  verified_at: number | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface VerificationTables {
  communities: CommunitiesTable;
  verifications: VerificationsTable;
}
