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

export interface AccountTables {
  users: UsersTable;
  one_time_codes: OneTimeCodesTable;
  rate_limits: RateLimitsTable;
  outbox_messages: OutboxMessagesTable;
}
