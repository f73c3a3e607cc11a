/** An OAuth client registered by a partner, as the domain sees it. */
export const responseTypes = [
  'code',
  'token',
  'id_token',
  'code id_token',
  'code token',
  'id_token token',
  'code id_token token',
] as const;
export type ResponseType = (typeof responseTypes)[number];

export type ClientType = 'confidential' | 'public';
export type ApplicationMode = 'sandbox' | 'production';
export type ApplicationStatus = 'active' | 'suspended' | 'disabled';
export type SigningAlg = 'RS256' | 'ES256';

export interface Application {
  id: string;
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedScopes: string[];
  responseTypes: ResponseType[];
  clientType: ClientType;
  mode: ApplicationMode;
  status: ApplicationStatus;
  idTokenSignedResponseAlg: SigningAlg;
  /** null: userinfo as JSON */
  userinfoSignedResponseAlg: SigningAlg | null;
  /** Lifetimes in seconds; null: the defaults */
  accessTokenTtl: number | null;
  refreshTokenTtl: number | null;
  codeTtl: number | null;
  singleUseAccessTokens: boolean;
  releasedAttributes: string[];
  logoUrl: string | null;
  organizationId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Shown on the consent page; both are required before production. */
  privacyPolicyUrl: string | null;
  termsUrl: string | null;
  /** `#rrggbb`: the application's colour on Vetted's pages */
  primaryColor: string | null;
  /** An uploaded logo in the blob store (served at /logos/<client_id>); `logoUrl` points there when set. */
  logoBlobKey: string | null;
  /** Communities the partner asked for; an administrator enables them (`allowedScopes`). */
  requestedScopes: string[];
  /** Document passback (issue 6), enabled by an administrator. */
  documentPassback: boolean;
  /** What users see (consent page, Connected apps); null: `name`. */
  displayName: string | null;
  /** Enabled by an administrator: response types that return tokens from the authorization endpoint. */
  implicitFlow: boolean;
  /** The first successful token response: a sandbox authorization went all the way through. */
  firstAuthorizedAt: Date | null;
}

/** What users are told the application receives besides attributes, in plain words (document passback). */
export function sharedDocumentFields(application: Pick<Application, 'documentPassback'>): string[] {
  return application.documentPassback ? ['Images of the front and back of your identity document'] : [];
}

/** The name users see. */
export function shownName(application: Pick<Application, 'name' | 'displayName'>): string {
  return application.displayName ?? application.name;
}

/** Whether a response type hands tokens over in the front channel (needs the implicit flow enabled). */
export function isFrontChannelType(type: ResponseType): boolean {
  return type !== 'code';
}

/** Grant types follow from the response types: implicit when the front channel gets tokens. */
export function grantTypesFor(types: readonly ResponseType[]): string[] {
  const grants = ['authorization_code', 'refresh_token'];
  if (types.some((type) => type.includes('token') || type === 'id_token')) grants.push('implicit');
  return grants;
}

/** Communities the partner asked for that an administrator has neither enabled nor refused yet. */
export function communitiesWaiting(
  application: Pick<Application, 'requestedScopes' | 'allowedScopes'>,
): string[] {
  return application.requestedScopes.filter((scope) => !application.allowedScopes.includes(scope));
}
