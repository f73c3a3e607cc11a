import type { Provider } from 'oidc-provider';
import type { ModelRepository } from './model-repository.ts';
import { vettedSettingsOf } from './vetted-client.ts';

export interface AccessTokenInfo {
  accountId: string;
  clientId: string;
  scopes: string[];
  eid: string | undefined;
  /** The JWK thumbprint the token is bound to with DPoP, when it is. */
  dpopJkt: string | undefined;
  singleUse: boolean;
  /** Marks a single-use token used; false when another request used it first. */
  consume(): Promise<boolean>;
}

/** Looks up an opaque access token issued by the provider; undefined when unknown, expired or used up. */
export async function findAccessToken(
  provider: Provider,
  models: ModelRepository,
  value: string,
  now: () => number,
): Promise<AccessTokenInfo | undefined> {
  if (value.length < 20 || value.length > 200) return undefined;
  const token = await provider.AccessToken.find(value);
  if (token?.accountId === undefined || token.isExpired || token.clientId === undefined) return undefined;
  const client = await provider.Client.find(token.clientId);
  if (client === undefined || vettedSettingsOf(client).status !== 'active') return undefined;
  const extra = (token.extra ?? {}) as { eid?: unknown };
  return {
    accountId: token.accountId,
    clientId: token.clientId,
    scopes: [...token.scopes],
    eid: typeof extra.eid === 'string' ? extra.eid : undefined,
    dpopJkt: token.jkt ?? undefined,
    singleUse: vettedSettingsOf(client).singleUseAccessTokens,
    async consume() {
      // Access tokens are not consumable in oidc-provider: mark the row atomically, then delete it.
      const first = await models.consume('AccessToken', token.jti, now());
      await token.destroy();
      return first;
    },
  };
}
