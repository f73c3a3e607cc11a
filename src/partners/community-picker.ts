import type { Community } from '../verification/types.ts';
import type { Application } from './application.ts';

/**
 * The community picker (`/groups`, SPEC §8): a button for several communities sends the user here first,
 * with ID.me's picker parameters (`scopes=military,responder`); the user chooses one and continues to the
 * authorization with it. Every other parameter (state, PKCE, nonce, op, …) is carried through unchanged.
 */
export type PickerOutcome =
  /** The request cannot be trusted to redirect anywhere: show an error page. */
  | { kind: 'refused'; reason: 'client_id_missing' | 'unknown_client' | 'redirect_uri_unregistered' }
  /** Nothing the application may offer was asked for: tell the partner at its (registered) redirect URI. */
  | { kind: 'no_community'; errorRedirect: string }
  /** One community only: straight to the authorization. */
  | { kind: 'continue'; location: string }
  | { kind: 'choose'; application: Application; choices: PickerChoice[]; cancelHref: string };

export interface PickerChoice {
  community: Community;
  /** The authorization request for this community. */
  href: string;
}

export interface PickerInput {
  query: URLSearchParams;
  application: Application | undefined;
  /** Every community Vetted knows, in the order they are listed. */
  communities: readonly Community[];
  authorizationEndpoint: string;
  issuer: string;
}

export function pickCommunities(input: PickerInput): PickerOutcome {
  const { query, application } = input;
  if (!query.get('client_id')) return { kind: 'refused', reason: 'client_id_missing' };
  if (application === undefined || application.status === 'disabled') {
    return { kind: 'refused', reason: 'unknown_client' };
  }
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!application.redirectUris.includes(redirectUri)) {
    return { kind: 'refused', reason: 'redirect_uri_unregistered' };
  }
  const enabled = input.communities.filter((community) =>
    application.allowedScopes.includes(community.handle),
  );
  const isCommunity = new Set(input.communities.map((community) => community.handle));
  // Only communities count here: `scope=openid` alone names none, so every enabled one is offered.
  const asked = new Set(
    scopeTokens(query.get('scopes') ?? query.get('scope')).filter((scope) => isCommunity.has(scope)),
  );
  const offered = asked.size === 0 ? enabled : enabled.filter((community) => asked.has(community.handle));
  const back = (error: string, description: string) =>
    errorResponse(query, redirectUri, input.issuer, { error, error_description: description });
  if (offered.length === 0) {
    return {
      kind: 'no_community',
      errorRedirect: back(
        'invalid_scope',
        'None of the requested communities is enabled for this application.',
      ),
    };
  }
  // The other scopes asked for (openid, profile, …) go along with the chosen community.
  const others = scopeTokens(query.get('scope')).filter((scope) => !isCommunity.has(scope));
  const choices = offered.map((community) => ({
    community,
    href: authorizationHref(input.authorizationEndpoint, query, [community.handle, ...others]),
  }));
  const [only] = choices;
  if (choices.length === 1 && only !== undefined) return { kind: 'continue', location: only.href };
  return {
    kind: 'choose',
    application,
    choices,
    cancelHref: back('access_denied', 'The user cancelled the verification.'),
  };
}

/** The scopes of `scopes` (ID.me's picker, comma-separated) or `scope`: commas or spaces between them. */
function scopeTokens(text: string | null): string[] {
  return (text ?? '').split(/[\s,]+/).filter((scope) => scope !== '');
}

function authorizationHref(endpoint: string, query: URLSearchParams, scopes: string[]): string {
  const params = new URLSearchParams(query);
  params.delete('scopes');
  params.set('scope', [...new Set(scopes)].join(' '));
  if (!params.has('response_type')) params.set('response_type', 'code');
  return `${endpoint}?${params.toString()}`;
}

/** An authorization error response (RFC 6749 §4.1.2.1), in the query or, for front-channel tokens, the fragment. */
function errorResponse(
  query: URLSearchParams,
  redirectUri: string,
  issuer: string,
  error: { error: string; error_description: string },
): string {
  const params = new URLSearchParams(error);
  const state = query.get('state');
  if (state !== null) params.set('state', state);
  params.set('iss', issuer);
  const mode = query.get('response_mode');
  const responseType = query.get('response_type') ?? 'code';
  const inFragment = mode === 'fragment' || (mode === null && responseType !== 'code');
  const url = new URL(redirectUri);
  if (inFragment) url.hash = params.toString();
  else for (const [name, value] of params) url.searchParams.append(name, value);
  return url.toString();
}
