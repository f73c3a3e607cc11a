import { isConfigurableAttribute } from '../attributes/catalogue.ts';
import {
  isFrontChannelType,
  responseTypes as supportedResponseTypes,
  type Application,
  type ResponseType,
  type SigningAlg,
} from './application.ts';
import { partnerErrors } from './errors.ts';
import { isLoopback, validateRedirectUri } from './redirect-uris.ts';

/** What a partner edits from the console or the management API; absent fields stay as they are. */
export interface ApplicationChanges {
  name?: string;
  displayName?: string | null;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  responseTypes?: string[];
  /** Communities the partner asks for; an administrator enables them. */
  requestedScopes?: string[];
  /** Optional attributes from the enabled communities (and `age`). */
  releasedAttributes?: string[];
  privacyPolicyUrl?: string | null;
  termsUrl?: string | null;
  primaryColor?: string | null;
}

/** What only an administrator changes: the enabled communities and the features of the application. */
export interface ApplicationFeatures {
  allowedScopes?: string[];
  documentPassback?: boolean;
  implicitFlow?: boolean;
  userinfoSignedResponseAlg?: SigningAlg | null;
  idTokenSignedResponseAlg?: SigningAlg;
  singleUseAccessTokens?: boolean;
  accessTokenTtl?: number | null;
  refreshTokenTtl?: number | null;
  codeTtl?: number | null;
}

/** The context the checks need: which scopes exist and what the enabled communities offer. */
export interface SettingsContext {
  knownScopes: Set<string>;
  communities: readonly { handle: string; attributeDefinitions: readonly { handle: string }[] }[];
}

const LIFETIMES = {
  accessTokenTtl: { label: 'access token lifetime', min: 60, max: 86_400 },
  refreshTokenTtl: { label: 'refresh token lifetime', min: 300, max: 365 * 86_400 },
  codeTtl: { label: 'authorization code lifetime', min: 10, max: 600 },
} as const;

const COLOR = /^#[0-9a-f]{6}$/i;
const URL_MAX = 2000;

export function validName(value: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 100) throw partnerErrors.invalidName();
  return name;
}

function validDisplayName(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const name = value.trim();
  if (name.length > 100) throw partnerErrors.invalidDisplayName();
  return name;
}

/** A privacy policy or terms URL: https (http only on loopback), as shown to users on the consent page. */
function validPolicyUrl(field: string, value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  const parsed = URL.parse(text);
  if (parsed === null || text.length > URL_MAX) throw partnerErrors.invalidUrl(field, 'is not a URL');
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback(parsed))) {
    throw partnerErrors.invalidUrl(field, 'must use https');
  }
  return parsed.href;
}

function validColor(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  if (!COLOR.test(value.trim())) throw partnerErrors.invalidColor(value);
  return value.trim().toLowerCase();
}

export function validResponseTypes(values: readonly string[], implicitFlow: boolean): ResponseType[] {
  const types = [...new Set(values)].map((type) => {
    const normalized = type.trim().split(/\s+/).sort().join(' ');
    const match = supportedResponseTypes.find(
      (candidate) => candidate.split(' ').sort().join(' ') === normalized,
    );
    if (match === undefined) throw partnerErrors.invalidResponseType(type);
    if (!implicitFlow && isFrontChannelType(match)) throw partnerErrors.implicitNotEnabled(type);
    return match;
  });
  if (types.length === 0) throw partnerErrors.noResponseType();
  return types;
}

export function validScopes(values: readonly string[], known: Set<string>, atLeastOne: boolean): string[] {
  const scopes = [...new Set(values.map((scope) => scope.trim()).filter((scope) => scope !== ''))];
  for (const scope of scopes) if (!known.has(scope)) throw partnerErrors.unknownScope(scope);
  if (atLeastOne && scopes.length === 0) throw partnerErrors.noScopes();
  return scopes;
}

function validRedirects(values: readonly string[], app: Application): string[] {
  const uris = [...new Set(values.map((uri) => uri.trim()).filter((uri) => uri !== ''))];
  return uris.map((uri) => validateRedirectUri(uri, { clientType: app.clientType, mode: app.mode }));
}

function validLifetime(key: keyof typeof LIFETIMES, value: number | null): number | null {
  if (value === null) return null;
  const { label, min, max } = LIFETIMES[key];
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw partnerErrors.invalidLifetime(label, min, max);
  return value;
}

/** The application with a partner's changes applied, every field checked. */
export function applyChanges(
  app: Application,
  changes: ApplicationChanges,
  context: SettingsContext,
): Application {
  const next = { ...app };
  if (changes.name !== undefined) next.name = validName(changes.name);
  if (changes.displayName !== undefined) next.displayName = validDisplayName(changes.displayName);
  if (changes.redirectUris !== undefined) {
    next.redirectUris = validRedirects(changes.redirectUris, app);
    if (next.redirectUris.length === 0) throw partnerErrors.noRedirectUri();
  }
  if (changes.postLogoutRedirectUris !== undefined) {
    next.postLogoutRedirectUris = validRedirects(changes.postLogoutRedirectUris, app);
  }
  if (changes.responseTypes !== undefined) {
    next.responseTypes = validResponseTypes(changes.responseTypes, app.implicitFlow);
  }
  if (changes.requestedScopes !== undefined) {
    next.requestedScopes = validScopes(changes.requestedScopes, context.knownScopes, false);
  }
  if (changes.releasedAttributes !== undefined) {
    const handles = [...new Set(changes.releasedAttributes.map((handle) => handle.trim()))].filter(
      (handle) => handle !== '',
    );
    const enabled = context.communities.filter((community) => app.allowedScopes.includes(community.handle));
    for (const handle of handles) {
      if (!isConfigurableAttribute(handle, enabled)) throw partnerErrors.attributeNotAvailable(handle);
    }
    next.releasedAttributes = handles;
  }
  if (changes.privacyPolicyUrl !== undefined) {
    next.privacyPolicyUrl = validPolicyUrl('privacy policy URL', changes.privacyPolicyUrl);
  }
  if (changes.termsUrl !== undefined)
    next.termsUrl = validPolicyUrl('terms of service URL', changes.termsUrl);
  if (changes.primaryColor !== undefined) next.primaryColor = validColor(changes.primaryColor);
  return next;
}

/** The application with an administrator's feature changes applied. */
export function applyFeatures(
  app: Application,
  features: ApplicationFeatures,
  context: SettingsContext,
): Application {
  const next = { ...app };
  if (features.allowedScopes !== undefined) {
    next.allowedScopes = validScopes(features.allowedScopes, context.knownScopes, true);
  }
  if (features.documentPassback !== undefined) next.documentPassback = features.documentPassback;
  if (features.implicitFlow !== undefined) {
    next.implicitFlow = features.implicitFlow;
    // Without the implicit flow, only the code flow is left.
    if (!features.implicitFlow) {
      const kept = next.responseTypes.filter((type) => !isFrontChannelType(type));
      next.responseTypes = kept.length === 0 ? ['code'] : kept;
    }
  }
  if (features.userinfoSignedResponseAlg !== undefined) {
    next.userinfoSignedResponseAlg = features.userinfoSignedResponseAlg;
  }
  if (features.idTokenSignedResponseAlg !== undefined) {
    next.idTokenSignedResponseAlg = features.idTokenSignedResponseAlg;
  }
  if (features.singleUseAccessTokens !== undefined)
    next.singleUseAccessTokens = features.singleUseAccessTokens;
  for (const key of ['accessTokenTtl', 'refreshTokenTtl', 'codeTtl'] as const) {
    const value = features[key];
    if (value !== undefined) next[key] = validLifetime(key, value);
  }
  return next;
}

/** The names of the fields whose values differ (what the audit event records, never the values of secrets). */
export function changedFields(before: Application, after: Application): (keyof Application)[] {
  return (Object.keys(after) as (keyof Application)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}
