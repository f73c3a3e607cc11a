import { randomBytes } from 'node:crypto';
import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import { createTtlCache } from '../lib/ttl-cache.ts';
import {
  grantTypesFor,
  responseTypes as supportedResponseTypes,
  type Application,
  type ApplicationMode,
  type ApplicationStatus,
  type ClientType,
  type SigningAlg,
} from './application.ts';
import type { ApplicationRepository } from './application-repository.ts';
import { partnerErrors } from './errors.ts';
import { validateRedirectUri } from './redirect-uris.ts';

export interface NewApplication {
  name: string;
  redirectUris: string[];
  scopes: string[];
  clientType?: ClientType;
  mode?: ApplicationMode;
  responseTypes?: string[];
  postLogoutRedirectUris?: string[];
  idTokenSignedResponseAlg?: SigningAlg;
  userinfoSignedResponseAlg?: SigningAlg | null;
  releasedAttributes?: string[];
  singleUseAccessTokens?: boolean;
  accessTokenTtl?: number | null;
  refreshTokenTtl?: number | null;
  codeTtl?: number | null;
  /** The organization that owns it (the partner console); none for the operator's own applications. */
  organizationId?: string | null;
  /** Communities asked for from the console, before an administrator enables them. */
  requestedScopes?: string[];
}

/** The scopes every application may ask for besides community handles. */
export const standardScopes = ['openid', 'profile', 'email'] as const;

export function createApplicationService(deps: {
  repository: ApplicationRepository;
  hasher: TokenHasher;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  /** Every scope an application may be enabled for: community handles and the standard ones. */
  knownScopes: () => Promise<Set<string>>;
  /** How long an instance reuses an application it read (OAuth requests read it on every call). */
  cacheMs?: number;
}) {
  const { repository, hasher, clock, ids, audit } = deps;
  const records = createTtlCache<{ application: Application; secretHashes: string[] } | undefined>({
    clock,
    ttlMs: deps.cacheMs ?? 5000,
  });

  function clientRecord(clientId: string) {
    return records.get(clientId, async () => {
      const application = await repository.findByClientId(clientId);
      if (application === undefined) return undefined;
      const secretHashes = await repository.liveSecretHashes(application.id, clock.now().getTime());
      return { application, secretHashes };
    });
  }

  async function validate(input: NewApplication) {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw partnerErrors.invalidName();
    const clientType = input.clientType ?? 'confidential';
    const mode = input.mode ?? 'sandbox';
    if (input.redirectUris.length === 0) throw partnerErrors.noRedirectUri();
    const redirectUris = input.redirectUris.map((uri) => validateRedirectUri(uri, { clientType, mode }));
    const postLogoutRedirectUris = (input.postLogoutRedirectUris ?? redirectUris).map((uri) =>
      validateRedirectUri(uri, { clientType, mode }),
    );
    const known = await deps.knownScopes();
    const scopes = [...new Set(input.scopes.map((scope) => scope.trim()).filter((scope) => scope !== ''))];
    for (const scope of scopes) if (!known.has(scope)) throw partnerErrors.unknownScope(scope);
    if (scopes.length === 0) throw partnerErrors.noScopes();
    const responseTypes = [...new Set(input.responseTypes ?? ['code'])].map((type) => {
      const normalized = type.trim().split(/\s+/).sort().join(' ');
      const match = supportedResponseTypes.find(
        (candidate) => candidate.split(' ').sort().join(' ') === normalized,
      );
      if (match === undefined) throw partnerErrors.invalidResponseType(type);
      return match;
    });
    return { name, clientType, mode, redirectUris, postLogoutRedirectUris, scopes, responseTypes };
  }

  return {
    /** Registers an application; the client secret is returned once and only its hash is kept. */
    async create(
      input: NewApplication,
      actor: Actor,
    ): Promise<{ application: Application; clientSecret: string | undefined }> {
      const valid = await validate(input);
      const now = clock.now();
      const application: Application = {
        id: ids.uuid(),
        clientId: randomBytes(16).toString('hex'),
        name: valid.name,
        redirectUris: valid.redirectUris,
        postLogoutRedirectUris: valid.postLogoutRedirectUris,
        allowedScopes: valid.scopes,
        responseTypes: valid.responseTypes,
        clientType: valid.clientType,
        mode: valid.mode,
        status: 'active',
        idTokenSignedResponseAlg: input.idTokenSignedResponseAlg ?? 'RS256',
        userinfoSignedResponseAlg: input.userinfoSignedResponseAlg ?? null,
        accessTokenTtl: input.accessTokenTtl ?? null,
        refreshTokenTtl: input.refreshTokenTtl ?? null,
        codeTtl: input.codeTtl ?? null,
        singleUseAccessTokens: input.singleUseAccessTokens ?? false,
        releasedAttributes: input.releasedAttributes ?? [],
        logoUrl: null,
        organizationId: input.organizationId ?? null,
        createdAt: now,
        updatedAt: now,
        privacyPolicyUrl: null,
        termsUrl: null,
        primaryColor: null,
        logoBlobKey: null,
        requestedScopes: input.requestedScopes ?? [],
        documentPassback: false,
      };
      const clientSecret =
        valid.clientType === 'confidential' ? randomBytes(32).toString('base64url') : undefined;
      const secretHash =
        clientSecret === undefined ? undefined : { id: ids.uuid(), hash: hasher.hash(clientSecret) };
      await repository.insert(application, grantTypesFor(application.responseTypes), secretHash);
      await audit.record('application.created', {
        actor,
        subject: { type: 'application', id: application.clientId },
        data: { name: application.name, mode: application.mode, clientType: application.clientType },
      });
      return { application, clientSecret };
    },

    /** The application (possibly as read up to `cacheMs` ago). */
    async findByClientId(clientId: string): Promise<Application | undefined> {
      return (await clientRecord(clientId))?.application;
    },

    /** Suspends, disables or reactivates an application; its tokens stop working while it is not active. */
    async setStatus(clientId: string, status: ApplicationStatus, actor: Actor): Promise<void> {
      const previous = await repository.findByClientId(clientId);
      if (previous === undefined) throw partnerErrors.notFound(clientId);
      if (!(await repository.updateStatus(clientId, status, clock.now().getTime()))) {
        throw partnerErrors.notFound(clientId);
      }
      records.forget(clientId);
      await audit.record('application.status_changed', {
        actor,
        subject: { type: 'application', id: clientId },
        data: { from: previous.status, to: status },
      });
    },

    /** The application and the hashes of its live secrets, as the OAuth layer needs them on every request. */
    clientRecord,

    /** Checks a presented secret against every live secret of the application, in constant time each. */
    async verifySecret(application: Application, presented: string): Promise<boolean> {
      const hashes = await repository.liveSecretHashes(application.id, clock.now().getTime());
      let matched = false;
      for (const hash of hashes) matched = hasher.matches(presented, hash) || matched;
      return matched;
    },
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
