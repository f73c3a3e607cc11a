import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { ModelRepository } from './model-repository.ts';

/** oidc-provider's models that belong to a grant: revoking the grant deletes all of them. */
const GRANT_MODELS = [
  'AccessToken',
  'RefreshToken',
  'AuthorizationCode',
  'BackchannelAuthenticationRequest',
  'DeviceCode',
];

export interface ConnectedApp {
  clientId: string;
  grantId: string;
  /** The scopes the user consented to in this grant (openid, profile, email, communities). */
  scopes: string[];
  since: Date;
}

/** The consents users gave applications (their grants), as users see and take them back. */
export function createConsentService(deps: { models: ModelRepository; audit: AuditService; clock: Clock }) {
  const { models } = deps;

  async function grantScopes(grantId: string): Promise<string[] | undefined> {
    const stored = await models.find('Grant', 'id', grantId);
    const now = deps.clock.now().getTime();
    if (stored === undefined || (stored.expiresAt !== null && stored.expiresAt <= now)) return undefined;
    const scope = (stored.payload as { openid?: { scope?: unknown } }).openid?.scope;
    return typeof scope === 'string' ? scope.split(' ').filter((item) => item !== '') : [];
  }

  async function destroyGrant(accountId: string, clientId: string, grantId: string) {
    for (const model of GRANT_MODELS) await models.destroyByGrantId(model, grantId);
    await models.destroy('Grant', grantId);
    await models.deleteConsent(accountId, clientId);
  }

  return {
    /** Every application the user consented to and whose grant still stands, most recent first. */
    async connectedApps(accountId: string): Promise<ConnectedApp[]> {
      const consents = await models.listConsents(accountId);
      const apps = await Promise.all(
        consents.map(async (consent) => {
          const scopes = await grantScopes(consent.grantId);
          return scopes === undefined
            ? undefined
            : {
                clientId: consent.clientId,
                grantId: consent.grantId,
                scopes,
                since: new Date(consent.updatedAt),
              };
        }),
      );
      return apps.filter((app) => app !== undefined);
    },

    /**
     * Takes back a consent: the grant and every code and token issued under it are deleted, so the application's
     * next call with them fails, and the next authorization asks again.
     */
    async revoke(accountId: string, clientId: string, actor: Actor): Promise<boolean> {
      const consent = (await models.listConsents(accountId)).find((item) => item.clientId === clientId);
      if (consent === undefined) return false;
      await destroyGrant(accountId, clientId, consent.grantId);
      await deps.audit.record('consent.revoked', {
        actor,
        subject: { type: 'user', id: accountId },
        data: { clientId, grantId: consent.grantId },
      });
      return true;
    },

    /** Ends every grant of an application (it is being deleted); returns how many there were. */
    async revokeAllForClient(clientId: string): Promise<number> {
      const consents = await models.listClientConsents(clientId);
      for (const consent of consents) await destroyGrant(consent.accountId, clientId, consent.grantId);
      return consents.length;
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
