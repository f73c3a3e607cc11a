import type { Generated } from 'kysely';
import type { AccountTables } from './tables/accounts.ts';
import type { DocumentTables } from './tables/documents.ts';
import type { OidcTables } from './tables/oidc.ts';
import type { PartnerTables } from './tables/partners.ts';
import type { VerificationTables } from './tables/verifications.ts';

/**
 * The tables, as Kysely sees them. Times are milliseconds since the epoch in `bigint` columns and JSON is
 * text, so the schema is the same on SQLite and PostgreSQL.
 */
export interface SigningKeysTable {
  kid: string;
  alg: string;
  generation: number;
  public_jwk: string;
  private_jwk_sealed: string;
  created_at: number;
  activated_at: number;
  retired_at: number | null;
}

export interface AuditEventsTable {
  id: string;
  /** Insertion order, for stable paging when several events share a millisecond. */
  seq: Generated<number>;
  occurred_at: number;
  event: string;
  actor_type: string;
  actor_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  request_id: string | null;
  ip: string | null;
  data: string;
}

export interface FoundationTables {
  signing_keys: SigningKeysTable;
  audit_events: AuditEventsTable;
}

/** Every table: each domain declares its own in tables/<domain>.ts. */
export interface Schema
  extends FoundationTables, AccountTables, OidcTables, VerificationTables, PartnerTables, DocumentTables {}
