import * as client from 'openid-client';
import { OFFER_COMMUNITIES } from './catalogue.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The Vetted base URL without a trailing slash. Plain http is accepted only on this machine (a local Vetted);
 * anywhere else the code, the client secret and the access token would cross the network in clear.
 */
export function vettedBaseUrl(vettedUrl: string): string {
  const url = new URL(vettedUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new Error(`VETTED_URL must use https (plain http only on localhost): ${vettedUrl}`);
  }
  return url.href.replace(/\/+$/, '');
}

export type VerificationResult =
  { verified: true; group: string; subgroups: string[] } | { verified: false; groups: string[] };

interface StatusEntry {
  group?: unknown;
  subgroups?: unknown;
  verified?: unknown;
}

/** Reads SPEC §4's `status` list: verified when any entry of one of the offer's communities says so. */
export function readStatus(payload: unknown): VerificationResult {
  const status = (payload as { status?: unknown } | null)?.status;
  const entries: StatusEntry[] = Array.isArray(status) ? (status as StatusEntry[]) : [];
  for (const entry of entries) {
    if (
      entry.verified === true &&
      typeof entry.group === 'string' &&
      OFFER_COMMUNITIES.includes(entry.group)
    ) {
      const subgroups = Array.isArray(entry.subgroups)
        ? entry.subgroups.filter((item): item is string => typeof item === 'string')
        : [];
      return { verified: true, group: entry.group, subgroups };
    }
  }
  return { verified: false, groups: entries.map((entry) => String(entry.group)) };
}

export interface VettedClient {
  /**
   * Exchanges the code in `callbackUrl` (the full URL Vetted sent the browser to) and reads the user's
   * verification status. `expectedState` is the state this session issued, or null for a callback of ID.me's
   * stateless widget, whose state is then not checked (the caller accepts those only briefly).
   */
  verify(callbackUrl: URL, expectedState: string | null): Promise<VerificationResult>;
}

export function createVettedClient(options: {
  vettedUrl: string;
  clientId: string;
  clientSecret: string;
}): VettedClient {
  const base = vettedBaseUrl(options.vettedUrl);
  const insecure = base.startsWith('http:');
  let discovered: Promise<client.Configuration> | undefined;

  // Discovered on first use, so the shop can start before Vetted does; a failure is retried next time.
  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        new URL(`${base}/oidc`),
        options.clientId,
        options.clientSecret,
        undefined,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- a warning sign only; vettedBaseUrl allows http on loopback alone
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  }

  return {
    async verify(callbackUrl, expectedState) {
      const config = await configuration();
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- a warning sign only; see verify's comment
        expectedState: expectedState ?? client.skipStateCheck,
      });
      const response = await client.fetchProtectedResource(
        config,
        tokens.access_token,
        new URL(`${base}/api/public/v3/attributes.json`),
        'GET',
      );
      if (!response.ok) throw new Error(`the attributes API answered ${response.status}`);
      return readStatus(await response.json());
    },
  };
}

/** A short reason for a failed exchange, for the visitor's notice (openid-client keeps the detail in `cause`). */
export function describeFailure(error: unknown): string {
  if (error instanceof client.ResponseBodyError) {
    return error.error_description === undefined ? error.error : `${error.error}: ${error.error_description}`;
  }
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
