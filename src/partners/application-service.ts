import { randomBytes } from 'node:crypto';
import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import { createTtlCache } from '../lib/ttl-cache.ts';
import {
  communitiesWaiting,
  isFrontChannelType,
  type Application,
  type ApplicationMode,
  type ApplicationStatus,
  type ClientType,
  type SigningAlg,
} from './application.ts';
import type { ApplicationRepository, ApplicationSearch, SecretSummary } from './application-repository.ts';
import {
  applyChanges,
  applyFeatures,
  changedFields,
  validName,
  validResponseTypes,
  validScopes,
  type ApplicationChanges,
  type ApplicationFeatures,
  type SettingsContext,
} from './application-settings.ts';
import { clientRefused, type ClientProblem } from './client-problems.ts';
import { partnerErrors } from './errors.ts';
import { validateRedirectUri } from './redirect-uris.ts';

export interface NewApplication {
  /** A fixed client_id (the development Demo Shop's `demo-shop`); a random one by default. */
  clientId?: string;
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
  displayName?: string | null;
  /**
   * Front-channel response types. Default: allowed for the operator's applications that ask for them; an
   * organization's applications need an administrator to enable it.
   */
  implicitFlow?: boolean;
}

/** The scopes every application may ask for besides community handles. */
export const standardScopes = ['openid', 'profile', 'email'] as const;

/** Rotation keeps the previous secret working this long unless told otherwise. */
export const DEFAULT_SECRET_OVERLAP_SECONDS = 24 * 3600;
export const MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 3600;

const newSecret = () => randomBytes(32).toString('base64url');

export function createApplicationService(deps: {
  repository: ApplicationRepository;
  hasher: TokenHasher;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  /** Every scope an application may be enabled for: community handles and the standard ones. */
  knownScopes: () => Promise<Set<string>>;
  /** The communities with their attributes (which attributes an application may release). */
  communities?: () => Promise<SettingsContext['communities']>;
  /** Runs before an application is deleted: its grants, tokens, logo and activity go first. */
  beforeDelete?: (application: Application) => Promise<void>;
  /** How long an instance reuses an application it read (OAuth requests read it on every call). */
  cacheMs?: number;
  /**
   * The OAuth provider's own judgement of the application's client metadata (oidc/client-validation.ts):
   * nothing is stored that it would refuse, so an application that was accepted always works.
   */
  validateClientMetadata: (application: Application) => Promise<ClientProblem[]>;
  /** An administrator enabled communities, or refused requested ones (the partner is told: notices.ts). */
  onCommunitiesDecided?: (
    application: Application,
    decided: { enabled: string[]; refused: string[] },
  ) => Promise<void>;
}) {
  const { repository, hasher, clock, ids, audit } = deps;
  const records = createTtlCache<{ application: Application; secretHashes: string[] } | undefined>({
    clock,
    ttlMs: deps.cacheMs ?? 5000,
  });
  const subject = (clientId: string) => ({ type: 'application', id: clientId });

  function clientRecord(clientId: string) {
    return records.get(clientId, async () => {
      const application = await repository.findByClientId(clientId);
      if (application === undefined) return undefined;
      const secretHashes = await repository.liveSecretHashes(application.id, clock.now().getTime());
      return { application, secretHashes };
    });
  }

  async function context(): Promise<SettingsContext> {
    return { knownScopes: await deps.knownScopes(), communities: (await deps.communities?.()) ?? [] };
  }

  /** The application as stored now (never a cached copy): what every change starts from. */
  async function current(clientId: string): Promise<Application> {
    const application = await repository.findByClientId(clientId);
    if (application === undefined) throw partnerErrors.notFound(clientId);
    return application;
  }

  /** Saves `next` if nobody changed the application since `before` was read; returns what changed. */
  async function acceptable(application: Application): Promise<void> {
    const [problem] = await deps.validateClientMetadata(application);
    if (problem !== undefined) throw clientRefused(problem);
  }

  async function save(before: Application, next: Application): Promise<Application> {
    await acceptable(next);
    // Strictly later than the version read, so that the next writer's compare-and-set sees the change.
    const updatedAt = new Date(Math.max(clock.now().getTime(), before.updatedAt.getTime() + 1));
    const saved = { ...next, updatedAt };
    if (!(await repository.save(saved, before.updatedAt))) throw partnerErrors.changedMeanwhile();
    records.forget(before.clientId);
    return saved;
  }

  function validRedirects(uris: string[], clientType: ClientType, mode: ApplicationMode) {
    return uris.map((uri) => validateRedirectUri(uri, { clientType, mode }));
  }

  async function validate(input: NewApplication) {
    const name = validName(input.name);
    const clientType = input.clientType ?? 'confidential';
    const mode = input.mode ?? 'sandbox';
    if (input.redirectUris.length === 0) throw partnerErrors.noRedirectUri();
    const redirectUris = validRedirects(input.redirectUris, clientType, mode);
    const postLogoutRedirectUris = validRedirects(
      input.postLogoutRedirectUris ?? redirectUris,
      clientType,
      mode,
    );
    const known = await deps.knownScopes();
    const scopes = validScopes(input.scopes, known, true);
    const requestedScopes = validScopes(input.requestedScopes ?? [], known, false);
    const responseTypes = validResponseTypes(input.responseTypes ?? ['code'], true);
    const operatorApp = (input.organizationId ?? null) === null;
    const implicitFlow = input.implicitFlow ?? (operatorApp && responseTypes.some(isFrontChannelType));
    validResponseTypes(responseTypes, implicitFlow);
    const displayName = input.displayName?.trim() ?? '';
    if (displayName.length > 100) throw partnerErrors.invalidDisplayName();
    return {
      name,
      clientType,
      mode,
      redirectUris,
      postLogoutRedirectUris,
      scopes,
      requestedScopes,
      responseTypes,
      implicitFlow,
      displayName: displayName === '' ? null : displayName,
    };
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
        ...valid,
        id: ids.uuid(),
        clientId: input.clientId ?? randomBytes(16).toString('hex'),
        allowedScopes: valid.scopes,
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
        documentPassback: false,
        firstAuthorizedAt: null,
      };
      await acceptable(application);
      const clientSecret = valid.clientType === 'confidential' ? newSecret() : undefined;
      const secretHash =
        clientSecret === undefined ? undefined : { id: ids.uuid(), hash: hasher.hash(clientSecret) };
      await repository.insert(application, secretHash);
      await audit.record('application.created', {
        actor,
        subject: subject(application.clientId),
        data: {
          name: application.name,
          mode: application.mode,
          clientType: application.clientType,
          organizationId: application.organizationId,
        },
      });
      return { application, clientSecret };
    },

    /** The application (possibly as read up to `cacheMs` ago). */
    async findByClientId(clientId: string): Promise<Application | undefined> {
      return (await clientRecord(clientId))?.application;
    },

    /** The application as stored now; `partners.application_not_found` when there is none. */
    get: current,

    search: (filter: ApplicationSearch) => repository.search(filter),

    /**
     * A partner's changes. `readAt` is the `updatedAt` the editor saw: when someone saved in between, the
     * change is refused (`partners.conflict`) rather than silently overwriting theirs.
     */
    async update(
      clientId: string,
      changes: ApplicationChanges,
      actor: Actor,
      readAt?: Date,
    ): Promise<Application> {
      const before = await current(clientId);
      if (readAt !== undefined && readAt.getTime() !== before.updatedAt.getTime()) {
        throw partnerErrors.changedMeanwhile();
      }
      const next = applyChanges(before, changes, await context());
      const fields = changedFields(before, next);
      if (fields.length === 0) return before;
      const saved = await save(before, next);
      await audit.record('application.updated', {
        actor,
        subject: subject(clientId),
        data: {
          fields,
          // Where codes may be sent is security-relevant: the activity shows what it was and became.
          ...(fields.includes('redirectUris')
            ? { redirectUris: { from: before.redirectUris, to: saved.redirectUris } }
            : {}),
        },
      });
      return saved;
    },

    /**
     * An administrator's changes: enabled communities and features. Setting the enabled communities decides
     * every community the partner was waiting for: one left out is refused, and leaves the requested ones
     * (the partner may ask again).
     */
    async setFeatures(clientId: string, features: ApplicationFeatures, actor: Actor): Promise<Application> {
      const before = await current(clientId);
      const settings = await context();
      const next = applyFeatures(before, features, settings);
      const communities = new Set(settings.communities.map((community) => community.handle));
      const decided = { enabled: [] as string[], refused: [] as string[] };
      if (features.allowedScopes !== undefined) {
        decided.enabled = next.allowedScopes.filter(
          (scope) => communities.has(scope) && !before.allowedScopes.includes(scope),
        );
        decided.refused = communitiesWaiting(before).filter((scope) => !next.allowedScopes.includes(scope));
        next.requestedScopes = before.requestedScopes.filter((scope) => !decided.refused.includes(scope));
      }
      const fields = changedFields(before, next);
      if (fields.length === 0) return before;
      const saved = await save(before, next);
      const values = Object.fromEntries(fields.map((field) => [field, saved[field]]));
      await audit.record('application.features_changed', { actor, subject: subject(clientId), data: values });
      await deps.onCommunitiesDecided?.(saved, decided);
      return saved;
    },

    /** Applications whose requested communities wait for an administrator (the admin overview). */
    waitingForCommunities: (limit: number) => repository.listWaitingForCommunities(limit),

    /** Points the application at its uploaded logo (application-logos.ts), or at none; returns the previous one. */
    async setLogo(
      clientId: string,
      logo: { blobKey: string; url: string } | null,
      actor: Actor,
    ): Promise<{ previousBlobKey: string | null; application: Application }> {
      const before = await current(clientId);
      const saved = await save(before, {
        ...before,
        logoBlobKey: logo?.blobKey ?? null,
        logoUrl: logo?.url ?? null,
      });
      await audit.record('application.updated', {
        actor,
        subject: subject(clientId),
        data: { fields: ['logo'] },
      });
      return { previousBlobKey: before.logoBlobKey, application: saved };
    },

    /** Moves the application to production or back to sandbox (production requests decide this). */
    async setMode(clientId: string, mode: ApplicationMode, actor: Actor): Promise<Application> {
      const before = await current(clientId);
      if (before.mode === mode) return before;
      // Production's redirect rules are stricter (https except loopback): every URI must pass them.
      validRedirects(before.redirectUris, before.clientType, mode);
      const saved = await save(before, { ...before, mode });
      await audit.record('application.status_changed', {
        actor,
        subject: subject(clientId),
        data: { mode: { from: before.mode, to: mode } },
      });
      return saved;
    },

    /** Suspends, disables or reactivates an application; its tokens stop working while it is not active. */
    async setStatus(clientId: string, status: ApplicationStatus, actor: Actor): Promise<void> {
      const previous = await current(clientId);
      if (!(await repository.updateStatus(clientId, status, clock.now().getTime()))) {
        throw partnerErrors.notFound(clientId);
      }
      records.forget(clientId);
      await audit.record('application.status_changed', {
        actor,
        subject: subject(clientId),
        data: { from: previous.status, to: status },
      });
    },

    /**
     * A new client secret, returned once. The previous one keeps working for `overlapSeconds` (default 24 h),
     * so that a partner can deploy the new one first; a secret still overlapping from an earlier rotation
     * expires now, so at most two are ever live.
     */
    async rotateSecret(
      clientId: string,
      options: { overlapSeconds?: number },
      actor: Actor,
    ): Promise<{ clientSecret: string; secrets: SecretSummary[] }> {
      const application = await current(clientId);
      if (application.clientType === 'public') throw partnerErrors.noSecrets();
      const overlap = options.overlapSeconds ?? DEFAULT_SECRET_OVERLAP_SECONDS;
      if (!Number.isSafeInteger(overlap) || overlap < 0 || overlap > MAX_SECRET_OVERLAP_SECONDS) {
        throw partnerErrors.invalidOverlap(MAX_SECRET_OVERLAP_SECONDS / 3600);
      }
      const clientSecret = newSecret();
      const now = clock.now().getTime();
      await repository.rotateSecret(
        application.id,
        { id: ids.uuid(), hash: hasher.hash(clientSecret) },
        now,
        now + overlap * 1000,
      );
      records.forget(clientId);
      await audit.record('application.secret_rotated', {
        actor,
        subject: subject(clientId),
        data: { overlapSeconds: overlap },
      });
      return { clientSecret, secrets: await repository.liveSecrets(application.id, now) };
    },

    /** The live secrets: when each was made and when it stops working (never the secret or its hash). */
    async secrets(clientId: string): Promise<SecretSummary[]> {
      const application = await current(clientId);
      return repository.liveSecrets(application.id, clock.now().getTime());
    },

    /** Deletes the application with everything of it: grants and tokens, logo, activity, secrets. */
    async remove(clientId: string, actor: Actor): Promise<void> {
      const application = await current(clientId);
      await deps.beforeDelete?.(application);
      if (!(await repository.delete(application.id))) throw partnerErrors.notFound(clientId);
      records.forget(clientId);
      await audit.record('application.deleted', {
        actor,
        subject: subject(clientId),
        data: { name: application.name, organizationId: application.organizationId },
      });
    },

    /** Notes the application's first successful token response (the production checklist asks for one). */
    async markAuthorized(clientId: string): Promise<void> {
      const record = await clientRecord(clientId);
      if (record === undefined || record.application.firstAuthorizedAt !== null) return;
      if (await repository.markAuthorized(clientId, clock.now().getTime())) records.forget(clientId);
    },

    /** Forgets secrets that stopped working over a day ago (the sweeper). */
    sweepExpiredSecrets: (now: number) => repository.deleteExpiredSecrets(now - 24 * 3600 * 1000),

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
