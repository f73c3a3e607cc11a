import type { Clock } from '../lib/clock.ts';
import type { StoredModel } from '../oidc/model-repository.ts';

interface StoredGrant {
  accountId?: unknown;
  clientId?: unknown;
  openid?: { scope?: unknown };
}

/**
 * The scopes of a grant that still stands for this user and application (oidc-provider's Grant model as
 * stored by our adapter), or undefined once it was revoked, expired or belongs to someone else. A revoked
 * consent deletes the Grant (oidc/consents.ts), so document tokens issued under it stop working.
 */
export function createGrantLookup(deps: {
  models: { find(model: string, column: 'id', value: string): Promise<StoredModel | undefined> };
  clock: Clock;
}) {
  return async (
    grantId: string,
    binding: { accountId: string; clientId: string },
  ): Promise<string[] | undefined> => {
    const stored = await deps.models.find('Grant', 'id', grantId);
    if (stored === undefined) return undefined;
    if (stored.expiresAt !== null && stored.expiresAt <= deps.clock.now().getTime()) return undefined;
    const grant = stored.payload as StoredGrant;
    if (grant.accountId !== binding.accountId || grant.clientId !== binding.clientId) return undefined;
    const scope = grant.openid?.scope;
    return typeof scope === 'string' ? scope.split(' ').filter((item) => item !== '') : [];
  };
}
