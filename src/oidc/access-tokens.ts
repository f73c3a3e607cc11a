import type { ApplicationService } from '../partners/application-service.ts';
import type { ModelRepository } from './model-repository.ts';

export interface AccessTokenInfo {
  accountId: string;
  clientId: string;
  /** The grant it was issued under (oidc-provider's Grant id). */
  grantId: string | undefined;
  scopes: string[];
  eid: string | undefined;
  /** The JWK thumbprint the token is bound to with DPoP, when it is. */
  dpopJkt: string | undefined;
  singleUse: boolean;
  /** Marks a single-use token used; false when another request used it first. */
  consume(): Promise<boolean>;
}

/** The fields of oidc-provider's opaque access token payload that a resource server reads. */
interface StoredAccessToken {
  kind?: unknown;
  jti?: unknown;
  exp?: unknown;
  accountId?: unknown;
  clientId?: unknown;
  grantId?: unknown;
  scope?: unknown;
  jkt?: unknown;
  extra?: { eid?: unknown };
}

/**
 * Looks up an opaque access token for the attributes API (a resource server of our own): undefined when it
 * is unknown, expired, revoked, used up, or its application is no longer active. It reads the row that
 * oidc-provider stored through our adapter (an opaque token's value is its id) rather than going through
 * oidc-provider's model, which validates and rebuilds far more than a resource server needs, on the
 * hottest endpoint partners call.
 */
export async function findAccessToken(
  deps: { models: ModelRepository; applications: ApplicationService; now: () => number },
  value: string,
): Promise<AccessTokenInfo | undefined> {
  if (value.length < 20 || value.length > 200) return undefined;
  const stored = await deps.models.find('AccessToken', 'id', value);
  const now = deps.now();
  if (
    stored === undefined ||
    stored.consumedAt !== null ||
    (stored.expiresAt !== null && stored.expiresAt <= now)
  ) {
    return undefined;
  }
  const token = stored.payload as StoredAccessToken;
  if (
    token.kind !== 'AccessToken' ||
    token.jti !== value ||
    typeof token.exp !== 'number' ||
    token.exp * 1000 <= now ||
    typeof token.accountId !== 'string' ||
    typeof token.clientId !== 'string'
  ) {
    return undefined;
  }
  const record = await deps.applications.clientRecord(token.clientId);
  if (record?.application.status !== 'active') return undefined;
  const eid = token.extra?.eid;
  return {
    accountId: token.accountId,
    clientId: token.clientId,
    grantId: typeof token.grantId === 'string' ? token.grantId : undefined,
    scopes: typeof token.scope === 'string' ? token.scope.split(' ').filter((scope) => scope !== '') : [],
    eid: typeof eid === 'string' ? eid : undefined,
    dpopJkt: typeof token.jkt === 'string' ? token.jkt : undefined,
    singleUse: record.application.singleUseAccessTokens,
    async consume() {
      // Access tokens are not consumable in oidc-provider: mark the row atomically, then delete it.
      const first = await deps.models.consume('AccessToken', value, deps.now());
      await deps.models.destroy('AccessToken', value);
      return first;
    },
  };
}
