import Provider, { type Configuration } from 'oidc-provider';
import type { Config } from '../config/load.ts';
import type { CookieSigner } from '../keys/cookie-signer.ts';
import type { SigningKeyService } from '../keys/signing-keys.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Application } from '../partners/application.ts';
import type { ClientProblem } from '../partners/client-problems.ts';
import { testCallbackUrl } from '../partners/demo-shop.ts';
import { clientMetadataFor } from './client-metadata.ts';
import { providerConfiguration, type ProviderHooks } from './configuration.ts';
import { customizeClients } from './provider.ts';

export interface ClientValidatorDeps {
  config: Readonly<Config>;
  keys: SigningKeyService;
  cookieSigner: CookieSigner;
  hasher: TokenHasher;
  scopes(): Promise<{ version: string; scopes: string[] }>;
}

/** This provider serves no request: it only judges client metadata, so none of its hooks ever runs. */
function unused(): never {
  throw new Error('the client validator serves no requests');
}
const noHooks: ProviderHooks = {
  accountClaims: unused,
  eidForGrant: unused,
  saveEidForGrant: unused,
  rememberedGrantId: unused,
  needsVerification: unused,
  isSandboxTester: unused,
  tokenIssued: unused,
  renderErrorPage: unused,
  renderLogoutPage: unused,
  renderSignedOutPage: unused,
};
class NoStorage {
  find = unused;
  findByUid = unused;
  findByUserCode = unused;
  upsert = unused;
  consume = unused;
  destroy = unused;
  revokeByGrantId = unused;
}

interface ProviderError {
  error: string;
  error_description?: string;
}

function isProviderError(error: unknown): error is ProviderError {
  return typeof error === 'object' && error !== null && typeof (error as ProviderError).error === 'string';
}

function problemOf(error: ProviderError): ClientProblem {
  const description = error.error_description ?? error.error;
  const field = description.startsWith('post_logout_redirect_uris')
    ? 'post_logout_redirect_uris'
    : description.startsWith('redirect_uris')
      ? 'redirect_uris'
      : description.startsWith('response_types') || description.startsWith('grant_types')
        ? 'response_types'
        : 'client';
  return { field, error: error.error, description };
}

/**
 * oidc-provider's own client validation, with the configuration the server runs: what it refuses here is what
 * it would refuse on every authorization (the client is read from the database and validated on each
 * request). The application is judged as clientMetadataFor registers it.
 */
export function createClientValidator(deps: ClientValidatorDeps) {
  let built: { version: string; provider: Provider } | undefined;

  async function current(): Promise<Provider> {
    // The server makes its first keys at start; a CLI command on a new database makes them here, since the
    // provider judges signing algorithms against the keys it has.
    if ((await deps.keys.privateKeySet()).keys.length === 0) await deps.keys.ensureKeys();
    const [keySet, scopeSet] = await Promise.all([deps.keys.privateKeySet(), deps.scopes()]);
    const version = `${keySet.version}|${scopeSet.version}`;
    if (built?.version === version) return built.provider;
    const scopes = new Set(scopeSet.scopes);
    const configuration: Configuration = providerConfiguration({
      keys: keySet.keys,
      cookieSigner: deps.cookieSigner,
      secureCookies: deps.config.baseUrl.startsWith('https:'),
      scopes: scopeSet.scopes,
      isKnownScope: (scope) => scopes.has(scope),
      adapter: NoStorage,
      hooks: noHooks,
    });
    const provider = new Provider(deps.config.issuer, configuration);
    customizeClients(provider, deps.hasher);
    built = { version, provider };
    return provider;
  }

  async function check(provider: Provider, metadata: ReturnType<typeof clientMetadataFor>) {
    try {
      await provider.Client.validate(metadata);
      return undefined;
    } catch (error) {
      if (isProviderError(error)) return problemOf(error);
      throw error;
    }
  }

  return {
    /** What oidc-provider refuses in the application's client metadata; empty when it accepts it. */
    async validateClientMetadata(application: Application): Promise<ClientProblem[]> {
      const provider = await current();
      // A stand-in hash: a confidential client must have a secret, and its value is never judged.
      const metadata = clientMetadataFor(application, ['stand-in'], {
        testCallback: testCallbackUrl(deps.config.baseUrl),
      });
      // The provider checks post-logout URIs first; judging the redirect URIs alone first names the field
      // the partner typed (post-logout URIs default to the redirect URIs).
      const { post_logout_redirect_uris: _postLogout, ...withoutPostLogout } = metadata;
      const problem = (await check(provider, withoutPostLogout)) ?? (await check(provider, metadata));
      return problem === undefined ? [] : [problem];
    },
  };
}

export type ClientValidator = ReturnType<typeof createClientValidator>;
