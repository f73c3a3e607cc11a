/** Tables of the accounts domain (migration 0002-accounts). */
export interface UsersTable {
  /** 32 lower-case hex characters, random; the OIDC `sub` and the `uuid` attribute. */
  id: string;
  email: string;
  /** Lower-cased email, unique: addresses are compared case-insensitively. */
  email_normalized: string;
  /** Argon2id PHC string; null when the account has no password. */
  password_hash: string | null;
  first_name: string;
  last_name: string;
  postal_code: string | null;
  /** YYYY-MM-DD */
  birth_date: string | null;
  email_verified_at: number | null;
  created_at: number;
  updated_at: number;
  /** A sandbox test persona's `<community>:<outcome>` (verification/sources/sandbox.ts); null for real users */
  test_persona: string | null;
  /** An administrator locked the account (migration 0007); null: not locked */
  locked_at: number | null;
  locked_reason: string | null;
}

export interface OneTimeCodesTable {
  id: string;
  /** What the code proves, e.g. `email_verification`. */
  purpose: string;
  user_id: string;
  /** Where the code was sent. */
  address: string;
  /** HMAC-SHA-256 of the code with a server key, hex. */
  code_hash: string;
  attempts: number;
  expires_at: number;
  consumed_at: number | null;
  created_at: number;
}

/** First-run setup codes (migration 0012): one per instance started while no administrator exists. */
export interface SetupCodesTable {
  id: string;
  /** HMAC-SHA-256 of the normalized code with a server key, hex. */
  code_hash: string;
  created_at: number;
  consumed_at: number | null;
}

/** Fixed-window counters for rate limits and brute-force protection, when no Redis is configured. */
export interface RateLimitsTable {
  key: string;
  hits: number;
  window_started_at: number;
  blocked_until: number | null;
}

/** Mail captured by the development outbox (no SMTP configured). */
export interface OutboxMessagesTable {
  id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: number;
}

/** Roles that open Vetted's own staff areas: `admin`, `reviewer`. */
export interface UserRolesTable {
  user_id: string;
  role: string;
  created_at: number;
}

/** Signed-in browsers on Vetted's own pages (my verifications, the reviewer area); the id is stored hashed. */
export interface WebSessionsTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/**
 * A sign-up for an address that already had an account (migration 0010): what stands behind the code page the
 * visitor sees. It has a real code's attempts and expiry, and no code at all: nothing typed can match.
 */
export interface SignUpDecoysTable {
  /** 32 lower-case hex characters, like a user id. */
  id: string;
  /** The address typed, as shown on the code page. */
  address: string;
  attempts: number;
  expires_at: number;
  created_at: number;
}

export interface AccountTables {
  users: UsersTable;
  user_roles: UserRolesTable;
  web_sessions: WebSessionsTable;
  one_time_codes: OneTimeCodesTable;
  setup_codes: SetupCodesTable;
  sign_up_decoys: SignUpDecoysTable;
  rate_limits: RateLimitsTable;
  outbox_messages: OutboxMessagesTable;
}
