import type { Client } from 'oidc-provider';
import type { Application } from '../partners/application.ts';

/** What Vetted keeps on each oidc-provider client, beyond standard metadata (the `vetted` extra property). */
export interface VettedClientSettings {
  status: Application['status'];
  mode: Application['mode'];
  responseTypes: Application['responseTypes'];
  allowedScopes: string[];
  accessTokenTtl: number | null;
  refreshTokenTtl: number | null;
  codeTtl: number | null;
  singleUseAccessTokens: boolean;
  /** HMAC hashes of the live client secrets */
  secretHashes: string[];
}

export function vettedSettingsFor(app: Application, secretHashes: string[]): VettedClientSettings {
  return {
    secretHashes,
    status: app.status,
    mode: app.mode,
    responseTypes: app.responseTypes,
    allowedScopes: app.allowedScopes,
    accessTokenTtl: app.accessTokenTtl,
    refreshTokenTtl: app.refreshTokenTtl,
    codeTtl: app.codeTtl,
    singleUseAccessTokens: app.singleUseAccessTokens,
  };
}

export function vettedSettingsOf(client: Client): VettedClientSettings {
  return (client as unknown as { vetted: VettedClientSettings }).vetted;
}
