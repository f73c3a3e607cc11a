/** Tables of document passback (migration 0008-document-passback); `documents` itself is in verifications.ts. */
export interface PassbackApiTokensTable {
  client_id: string;
  /** HMAC-SHA-256 of the token, hex */
  token_hash: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
}

export interface DocumentTokensTable {
  id: string;
  /** HMAC-SHA-256 of the token, hex */
  token_hash: string;
  client_id: string;
  user_id: string;
  document_id: string;
  /** `front` or `back` */
  side: string;
  /** The OAuth grant under which the attributes call handed it out */
  grant_id: string;
  created_at: number;
  expires_at: number;
  /** When a refresh exchanged it for a new token (it then stops working) */
  refreshed_at: number | null;
}

export interface DocumentAccessesTable {
  id: string;
  at: number;
  /** The application whose API token made the request; null when it was missing or invalid */
  client_id: string | null;
  /** The application the document token was issued to; null when the document token is unknown */
  token_client_id: string | null;
  user_id: string | null;
  document_id: string | null;
  side: string | null;
  /** The `size` asked for, as given (`300x200`) */
  size: string | null;
  /** passback-service.ts's outcomes: `served`, `rate_limited`, `expired_token`, … */
  outcome: string;
  /** The HTTP status answered */
  status: number;
  ip: string | null;
  request_id: string | null;
}

/** Events of sliding-window rate limits: how many allowed events a key had at each millisecond. */
export interface SlidingWindowEventsTable {
  key: string;
  at: number;
  hits: number;
}

/** One row per key, upserted to serialize concurrent hits of that key. */
export interface SlidingWindowKeysTable {
  key: string;
  touched_at: number;
}

export interface DocumentTables {
  passback_api_tokens: PassbackApiTokensTable;
  document_tokens: DocumentTokensTable;
  document_accesses: DocumentAccessesTable;
  sliding_window_events: SlidingWindowEventsTable;
  sliding_window_keys: SlidingWindowKeysTable;
}
