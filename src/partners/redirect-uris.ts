import type { ApplicationMode, ClientType } from './application.ts';
import { partnerErrors } from './errors.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']);

export function isLoopback(uri: URL): boolean {
  return LOOPBACK_HOSTS.has(uri.hostname);
}

/**
 * Redirect URIs are matched exactly, so they are checked once, here: absolute, no fragment, https (http only
 * on loopback, or anywhere while the application is in sandbox), and for public (native) applications a
 * private-use scheme in reverse-domain form as RFC 8252 §7.1 asks (`com.example.app:/callback`).
 */
export function validateRedirectUri(
  uri: string,
  context: { clientType: ClientType; mode: ApplicationMode },
): string {
  const parsed = URL.parse(uri);
  if (parsed === null) throw partnerErrors.invalidRedirectUri(uri, 'it is not an absolute URI');
  if (uri.includes('#')) throw partnerErrors.invalidRedirectUri(uri, 'it must not contain a fragment');
  if (FORBIDDEN_SCHEMES.has(parsed.protocol)) {
    throw partnerErrors.invalidRedirectUri(uri, `the ${parsed.protocol} scheme is never allowed`);
  }
  if (parsed.protocol === 'https:') return uri;
  if (parsed.protocol === 'http:') {
    if (isLoopback(parsed) || context.mode === 'sandbox') return uri;
    throw partnerErrors.invalidRedirectUri(
      uri,
      'use https (plain http is allowed only for localhost or in sandbox)',
    );
  }
  if (context.clientType !== 'public') {
    throw partnerErrors.invalidRedirectUri(uri, 'custom URI schemes are for public (native) applications');
  }
  if (!parsed.protocol.slice(0, -1).includes('.')) {
    throw partnerErrors.invalidRedirectUri(
      uri,
      'a custom scheme must be a reverse domain name, e.g. com.example.app',
    );
  }
  return uri;
}
