import type { Generated } from 'kysely';

/** Tables of the OAuth/OIDC and partner domains (migrations 0003-oidc, 0006-partners). */
export interface OidcModelsTable {
  /** oidc-provider model name: Session, Interaction, AuthorizationCode, AccessToken, RefreshToken, Grant, … */
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface ApplicationsTable {
  id: string;
  client_id: string;
  name: string;
  /** JSON arrays */
  redirect_uris: string;
  post_logout_redirect_uris: string;
  allowed_scopes: string;
  response_types: string;
  grant_types: string;
  /** `confidential` (client secret) or `public` (PKCE, no secret) */
  client_type: string;
  /** `sandbox` or `production` */
  mode: string;
  /** `active`, `suspended` or `disabled` */
  status: string;
  id_token_signed_response_alg: string;
  /** null: userinfo as JSON; an algorithm: userinfo as a signed JWT */
  userinfo_signed_response_alg: string | null;
  /** Lifetimes in seconds; null means the default. */
  access_token_ttl: number | null;
  refresh_token_ttl: number | null;
  code_ttl: number | null;
  /** 1 when an access token may be used once (ID.me's documented behaviour), else 0 */
  single_use_access_tokens: number;
  /** JSON array of attribute handles released to this application, beyond the defaults */
  released_attributes: string;
  logo_url: string | null;
  organization_id: string | null;
  created_at: number;
  updated_at: number;
  /** Shown on the consent page; required before production (migration 0006) */
  privacy_policy_url: string | null;
  terms_url: string | null;
  /** `#rrggbb` */
  primary_color: string | null;
  /** The uploaded logo in the blob store, served at /logos/<client_id> */
  logo_blob_key: string | null;
  display_name: string | null;
  implicit_flow: Generated<number>;
  first_authorized_at: number | null;
  /** JSON array: communities the partner asked for; administrators enable them in allowed_scopes */
  requested_scopes: Generated<string>;
  /** 1 when an administrator enabled document passback (issue 6) */
  document_passback: Generated<number>;
  /** 1 while a requested community is neither enabled nor refused (migration 0014) */
  communities_waiting: Generated<number>;
}

export interface ApplicationSecretsTable {
  id: string;
  application_id: string;
  /** HMAC-SHA-256 of the secret with a server key, hex */
  secret_hash: string;
  created_at: number;
  /** null: valid until replaced; set when a rotation gives it an end */
  expires_at: number | null;
}

/** What an authorization request carried that the partner gets back later (ID.me's `eid`), per grant. */
export interface GrantContextsTable {
  grant_id: string;
  eid: string | null;
  updated_at: number;
}

/** The grant that remembers a user's consent to an application, across sessions. */
export interface ConsentsTable {
  account_id: string;
  client_id: string;
  grant_id: string;
  updated_at: number;
}

export interface OidcTables {
  consents: ConsentsTable;
  oidc_models: OidcModelsTable;
  applications: ApplicationsTable;
  application_secrets: ApplicationSecretsTable;
  grant_contexts: GrantContextsTable;
}
