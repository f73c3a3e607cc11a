/** Tables of the partner domain (migration 0006-partners); applications themselves are in oidc.ts. */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface OrganizationMembersTable {
  organization_id: string;
  user_id: string;
  /** `owner`, `admin`, `developer` or `viewer` */
  role: string;
  created_at: number;
}

export interface OrganizationInvitationsTable {
  id: string;
  organization_id: string;
  email_normalized: string;
  role: string;
  /** HMAC-SHA-256 of the token mailed to the invitee, hex */
  token_hash: string;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

export interface ApiKeysTable {
  id: string;
  organization_id: string;
  name: string;
  /** HMAC-SHA-256 of the key's secret part, hex */
  key_hash: string;
  /** JSON array of scopes */
  scopes: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ApplicationTestUsersTable {
  application_id: string;
  user_id: string;
  created_at: number;
  /** The name the account's owner agreed to show (migration 0009); null for personas and older rows */
  shown_name: string | null;
}

/** Invitations of existing accounts to be test users (migration 0009-test-user-invitations). */
export interface TestUserInvitationsTable {
  id: string;
  application_id: string;
  email_normalized: string;
  /** The account the address belonged to when invited; null when none did */
  user_id: string | null;
  /** HMAC-SHA-256 of the token mailed to the address, hex */
  token_hash: string;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** `accepted` or `declined` */
  outcome: string | null;
  withdrawn_at: number | null;
}

export interface ProductionRequestsTable {
  id: string;
  application_id: string;
  requested_by: string | null;
  requested_at: number;
  /** JSON object: each checklist item and whether it held */
  checklist: string;
  /** `pending`, `approved` or `declined` */
  status: string;
  decided_by: string | null;
  decided_at: number | null;
  note: string | null;
}

export interface ApiCallsTable {
  id: string;
  client_id: string;
  at: number;
  method: string;
  /** The route pattern, never the raw path (no tokens in it) */
  endpoint: string;
  status: number;
  latency_ms: number;
  /** The OAuth or API error code of a failed call */
  error_code: string | null;
}

/** Failed client authentications per application, endpoint and UTC hour (a counter, not one row per failure) */
export interface ClientAuthFailuresTable {
  client_id: string;
  /** The route pattern, as in `api_calls` */
  endpoint: string;
  /** Start of the UTC hour */
  hour: number;
  failures: number;
}

/** What an administrator decided about an application, shown in the console until dismissed (migration 0014). */
export interface PartnerNoticesTable {
  id: string;
  client_id: string;
  kind: string;
  title: string;
  body: string;
  note: string | null;
  created_at: number;
  dismissed_at: number | null;
  dismissed_by: string | null;
}

export interface PartnerTables {
  organizations: OrganizationsTable;
  organization_members: OrganizationMembersTable;
  organization_invitations: OrganizationInvitationsTable;
  api_keys: ApiKeysTable;
  application_test_users: ApplicationTestUsersTable;
  test_user_invitations: TestUserInvitationsTable;
  production_requests: ProductionRequestsTable;
  api_calls: ApiCallsTable;
  client_auth_failures: ClientAuthFailuresTable;
  partner_notices: PartnerNoticesTable;
}
