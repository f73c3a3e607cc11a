import { createAccountAdmin } from './accounts/account-admin.ts';
import { createAccountService } from './accounts/account-service.ts';
import { createDeviceCookies } from './accounts/device-cookies.ts';
import { createSignUpDecoys } from './accounts/sign-up-decoys.ts';
import { createFirstRunSetup } from './accounts/first-run-setup.ts';
import { createSetupCodeRepository } from './accounts/setup-code-repository.ts';
import { createOneTimeCodeRepository } from './accounts/one-time-code-repository.ts';
import { createOneTimeCodeService } from './accounts/one-time-codes.ts';
import { createRoleService } from './accounts/roles.ts';
import { createUserRepository } from './accounts/user-repository.ts';
import { createWebSessionService } from './accounts/web-sessions.ts';
import { createAttributeService } from './attributes/attribute-service.ts';
import { createAuditRepository } from './audit/audit-repository.ts';
import { createAuditService } from './audit/audit-service.ts';
import type { Config } from './config/load.ts';
import { composeDocumentPassback } from './documents/compose.ts';
import { createCookieSigner } from './keys/cookie-signer.ts';
import { createSecretBox, deriveKey } from './keys/secret-box.ts';
import { createSigningKeyRepository } from './keys/signing-key-repository.ts';
import { createSigningKeyService } from './keys/signing-keys.ts';
import { createTokenHasher } from './keys/token-hasher.ts';
import type { Clock } from './lib/clock.ts';
import type { IdGenerator } from './lib/ids.ts';
import type { Logger } from './lib/logger.ts';
import { createMailer } from './mail/mailer.ts';
import { createReadiness } from './maintenance/readiness.ts';
import { createSweeper } from './maintenance/sweeper.ts';
import { createOutboxRepository } from './mail/outbox-repository.ts';
import { createClientValidator } from './oidc/client-validation.ts';
import { createConsentService } from './oidc/consents.ts';
import { createModelRepository } from './oidc/model-repository.ts';
import { createApplicationRepository } from './partners/application-repository.ts';
import { createApplicationService, standardScopes } from './partners/application-service.ts';
import { createApiCallRepository } from './partners/api-call-repository.ts';
import { createApiCallService } from './partners/api-calls.ts';
import { createAuthFailureRepository } from './partners/auth-failure-repository.ts';
import { createAuthFailureService } from './partners/auth-failures.ts';
import { createApplicationLogos } from './partners/application-logos.ts';
import { createApiKeyRepository } from './partners/api-key-repository.ts';
import { createApiKeyService } from './partners/api-keys.ts';
import { createOrganizationRepository } from './partners/organization-repository.ts';
import { createOrganizationService } from './partners/organizations.ts';
import { createProductionRequestRepository } from './partners/production-request-repository.ts';
import { createNoticeRepository } from './partners/notice-repository.ts';
import { createPartnerNoticeService } from './partners/notices.ts';
import { createProductionRequestService } from './partners/production-requests.ts';
import { createTestInvitationRepository } from './partners/test-invitation-repository.ts';
import { createTestInvitationService } from './partners/test-invitations.ts';
import { createTestUserRepository } from './partners/test-user-repository.ts';
import { createTestUserService } from './partners/test-users.ts';
import { createDatabaseRateLimiter } from './rate-limits/database-rate-limiter.ts';
import { createDatabaseSlidingWindow } from './rate-limits/database-sliding-window.ts';
import {
  closeRedisClient,
  createRedisClient,
  createRedisSlidingWindow,
} from './rate-limits/redis-sliding-window.ts';
import type { SlidingWindowLimiter } from './rate-limits/sliding-window.ts';
import { createBlobStore } from './storage/blobs.ts';
import type { Database } from './storage/database.ts';
import { createCommunityRepository } from './verification/community-repository.ts';
import { createCommunityService } from './verification/community-service.ts';
import { createVerificationRepository } from './verification/verification-repository.ts';
import { createVerificationAdmin } from './verification/admin.ts';
import { createVerificationEngine } from './verification/engine.ts';
import { createDocumentEvidence } from './verification/evidence/documents.ts';
import { createEmailDomainMethod } from './verification/methods/email-domain.ts';
import {
  createEmailDomainRuleRepository,
  createEmailDomainRules,
} from './verification/methods/email-domain-rules.ts';
import { createReviewService } from './verification/review.ts';
import {
  createRegistrySourceRepository,
  REGISTRY_SECRET_PURPOSE,
} from './verification/sources/registry-repository.ts';
import { createRosterRepository } from './verification/sources/roster-repository.ts';
import { createRosterSource } from './verification/sources/roster-source.ts';
import { createSandboxSource } from './verification/sources/sandbox.ts';
import { createVerificationService } from './verification/verification-service.ts';

const HOUR_MS = 3_600_000;
const SWEEP_INTERVAL_MS = 10 * 60_000;

export interface ServiceDeps {
  config: Readonly<Config>;
  database: Database;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  masterKey: Buffer;
}

/** The one composition root: every domain service, wired from plain dependencies. */
export function createServices(deps: ServiceDeps) {
  const { config, database, clock, ids, logger, masterKey } = deps;
  const { db } = database;
  const audit = createAuditService({ repository: createAuditRepository(db), clock, ids });
  const keys = createSigningKeyService({
    repository: createSigningKeyRepository(db),
    box: createSecretBox(masterKey, 'signing-keys'),
    clock,
    audit,
    cacheSeconds: config.keyCacheSeconds,
  });
  const communityRepository = createCommunityRepository(db);
  const communities = createCommunityService({
    repository: communityRepository,
    clock,
    cacheSeconds: config.keyCacheSeconds,
  });
  const blobs = createBlobStore(config, db, masterKey, clock);
  const documents = createDocumentEvidence({
    db,
    blobs,
    ids,
    clock,
  });
  const verificationRepository = createVerificationRepository(db);
  const verification = createVerificationService({
    repository: verificationRepository,
    communities,
    audit,
    clock,
    ids,
    beforeDelete: (gone) => documents.deleteForVerification(gone.id),
  });
  // Sliding-window limits (document passback per document, sign-ups), shared by every instance: the one place
  // to pick their store.
  // Redis when VETTED_REDIS_URL is set (stamped with the injected clock, like the database store), else the
  // database. The database store is pruned either way: it may hold events from before Redis was configured.
  const redis = config.redisUrl === undefined ? undefined : createRedisClient(config.redisUrl, logger);
  const databaseSlidingWindows = createDatabaseSlidingWindow(db, clock);
  const slidingWindows: SlidingWindowLimiter =
    redis === undefined
      ? databaseSlidingWindows
      : createRedisSlidingWindow(redis, { now: () => clock.now().getTime() });
  const codeRepository = createOneTimeCodeRepository(db);
  const signUpDecoys = createSignUpDecoys({ db, clock });
  const rateLimiter = createDatabaseRateLimiter(db, clock);
  const mailer = createMailer(config, db, { clock, ids });
  const codes = createOneTimeCodeService({ repository: codeRepository, masterKey, clock, ids });
  const accounts = createAccountService({
    users: createUserRepository(db),
    codes,
    mailer,
    audit,
    clock,
    rateLimiter,
    logger,
    deviceCookies: createDeviceCookies(deriveKey(masterKey, 'device-cookies'), () => clock.now().getTime()),
    slidingWindows,
    decoys: signUpDecoys,
    signInUrl: `${config.baseUrl}/account/sign-in`,
  });
  const emailRules = createEmailDomainRules({
    repository: createEmailDomainRuleRepository(db),
    communities,
    ids,
    clock,
  });
  const rosters = createRosterRepository(db);
  const registries = createRegistrySourceRepository(db, createSecretBox(masterKey, REGISTRY_SECRET_PURPOSE));
  const rosterSource = createRosterSource(rosters);
  const engine = createVerificationEngine({
    verification,
    communities,
    emailMethod: createEmailDomainMethod({ rules: emailRules, codes, mailer, rateLimiter, clock }),
    emailRules,
    documents,
    // Each kind only when the community lists it as a method, and only when there is something to ask.
    async organizationSources(community) {
      const byRoster =
        community.methods.includes('roster') && (await rosters.listRosters(community.handle)).length > 0;
      const byRegistry = community.methods.includes('registry')
        ? await registries.toSources([community])
        : [];
      return [...(byRoster ? [rosterSource] : []), ...byRegistry];
    },
    sandbox: createSandboxSource(clock),
    rateLimiter,
    clock,
  });
  const verificationAdmin = createVerificationAdmin({
    communityRepository,
    communities,
    emailRules,
    rosters,
    registries,
    audit,
    ids,
    clock,
  });
  const review = createReviewService({
    verification,
    repository: verificationRepository,
    audit,
    documents,
    accounts,
    communities,
    mailer,
    clock,
    logger,
    accountUrl: `${config.baseUrl}/account/verifications`,
  });
  const hasher = createTokenHasher(masterKey);
  const cookieSigner = createCookieSigner([deriveKey(masterKey, 'cookies').toString('base64url')]);
  const clientValidator = createClientValidator({
    config,
    keys,
    cookieSigner,
    hasher,
    scopes: () => communities.scopeSet(),
  });
  const applications = createApplicationService({
    validateClientMetadata: (application) => clientValidator.validateClientMetadata(application),
    repository: createApplicationRepository(db),
    hasher,
    clock,
    ids,
    audit,
    knownScopes: async () => new Set([...standardScopes, ...(await communities.handles())]),
    communities: () => communities.list(),
    // Its users' grants and tokens first: nothing of a deleted application may keep working.
    beforeDelete: async (application) => {
      await consents.revokeAllForClient(application.clientId);
      await applicationLogos.forget(application.logoBlobKey);
      await apiCalls.deleteForClient(application.clientId);
      await authFailures.deleteForClient(application.clientId);
      await notices.deleteForClient(application.clientId);
    },
    onCommunitiesDecided: (application, decided) => notices.communitiesDecided(application, decided),
  });
  const apiCalls = createApiCallService({ repository: createApiCallRepository(db), clock, ids });
  const authFailures = createAuthFailureService({ repository: createAuthFailureRepository(db), clock });
  const applicationLogos = createApplicationLogos({ applications, blobs, baseUrl: config.baseUrl });
  const testUserRepository = createTestUserRepository(db);
  const testUsers = createTestUserService({
    repository: testUserRepository,
    applications,
    accounts,
    communities: () => communities.list(),
    audit,
    clock,
  });
  const organizations = createOrganizationService({
    repository: createOrganizationRepository(db),
    audit,
    clock,
    ids,
    mailer,
    hasher: createTokenHasher(masterKey, 'organization-invitations'),
    baseUrl: config.baseUrl,
  });
  const testInvitations = createTestInvitationService({
    repository: createTestInvitationRepository(db),
    applications,
    organizations,
    accounts,
    isTester: (applicationId, userId) => testUserRepository.isTester(applicationId, userId),
    mailer,
    hasher: createTokenHasher(masterKey, 'test-user-invitations'),
    audit,
    clock,
    ids,
    logger,
    baseUrl: config.baseUrl,
  });
  const apiKeys = createApiKeyService({
    repository: createApiKeyRepository(db),
    organizations,
    hasher: createTokenHasher(masterKey, 'api-keys'),
    audit,
    clock,
    ids,
  });
  const notices = createPartnerNoticeService({
    repository: createNoticeRepository(db),
    members: (organizationId) => organizations.members(organizationId),
    mailer,
    clock,
    ids,
    logger,
    async communityNames(handles) {
      const known = await Promise.all(handles.map((handle) => communities.find(handle)));
      return handles.map((handle, index) => known[index]?.name ?? handle);
    },
    consoleUrl: (organizationId, clientId) =>
      `${config.baseUrl}/developer/orgs/${encodeURIComponent(organizationId)}/apps/${encodeURIComponent(clientId)}`,
  });
  const productionRequests = createProductionRequestService({
    async onDecided(clientId, decision, note) {
      await notices.productionDecided(await applications.get(clientId), decision, note);
    },
    repository: createProductionRequestRepository(db),
    applications,
    audit,
    clock,
    ids,
  });
  const attributes = createAttributeService({
    accounts,
    applications,
    verification,
    clock,
    // New document tokens on each v3 call for applications with document passback (SPEC §7).
    documentTokens: (input) => documentPassback.issueDocumentTokens(input),
  });
  const roles = createRoleService({ db, audit, clock });
  const firstRunSetup = createFirstRunSetup({
    codes: createSetupCodeRepository(db),
    hasher: createTokenHasher(masterKey, 'setup-codes'),
    accounts,
    roles,
    audit,
    rateLimiter,
    clock,
    ids,
  });
  const webSessions = createWebSessionService({
    db,
    hasher: createTokenHasher(masterKey, 'web-sessions'),
    clock,
    ids,
  });
  const oidcModels = createModelRepository(db);
  const consents = createConsentService({ models: oidcModels, audit, clock });
  const documentPassback = composeDocumentPassback({
    db,
    config,
    masterKey,
    applications,
    verification,
    documents,
    oidcModels,
    slidingWindows,
    audit,
    clock,
    ids,
  });
  const accountAdmin = createAccountAdmin({
    users: createUserRepository(db),
    endWebSessions: (userId) => webSessions.destroyForUser(userId),
    consents,
    destroyOidcModels: (accountId) => oidcModels.destroyAllForAccount(accountId),
    verifications: verification,
    deleteDocumentsOfUser: (userId) => documents.deleteForUser(userId),
    organizations,
    audit,
    clock,
  });
  const sweeper = createSweeper({
    clock,
    logger,
    intervalMs: SWEEP_INTERVAL_MS,
    tasks: [
      { name: 'oidc_models', run: (now) => oidcModels.sweepExpired(now) },
      { name: 'one_time_codes', run: (now) => codeRepository.deleteExpired(now) },
      { name: 'sign_up_decoys', run: (now) => signUpDecoys.deleteExpired(now) },
      // Sign-in failure counters are forgotten after a day without failures (rate-limits/sign-in-guard.ts).
      { name: 'rate_limits', run: () => rateLimiter.deleteStale(25 * HOUR_MS) },
      { name: 'web_sessions', run: () => webSessions.sweep() },
      // Verifications read as unverified from the moment they expire; this records (and audits) it.
      { name: 'verifications_expired', run: () => verification.expireDue() },
      { name: 'application_secrets', run: (now) => applications.sweepExpiredSecrets(now) },
      { name: 'test_user_invitations', run: (now) => testInvitations.sweep(now) },
      // Document images past their retention (VETTED_DOCUMENT_RETENTION_DAYS); their rows stay, marked purged.
      { name: 'document_retention', run: (now) => documentPassback.purgeDue(new Date(now)) },
      // Old events of sliding-window limits: longer than any window in use.
      { name: 'sliding_windows', run: () => databaseSlidingWindows.prune(HOUR_MS) },
      // Failed client authentication counters past the window the console shows.
      { name: 'client_auth_failures', run: (now) => authFailures.prune(now) },
    ],
  });
  return {
    config,
    clock,
    ids,
    logger,
    audit,
    keys,
    communities,
    verification,
    engine,
    review,
    verificationAdmin,
    documents,
    documentPassback,
    emailRules,
    rosters,
    registries,
    accounts,
    applications,
    applicationLogos,
    apiCalls,
    authFailures,
    testUsers,
    testInvitations,
    productionRequests,
    notices,
    organizations,
    apiKeys,
    attributes,
    hasher,
    roles,
    firstRunSetup,
    webSessions,
    oidcModels,
    consents,
    accountAdmin,
    sweeper,
    outbox: createOutboxRepository(db),
    /** Signs cookies with a key derived from the master key, the same on every instance. */
    /** Seals what the developer console shows once across a redirect (developer/shown-once.ts). */
    consoleBox: createSecretBox(masterKey, 'console-shown-once'),
    /** Seals the sign-up a browser is confirming on the account pages (account/pending-sign-up.ts). */
    signUpBox: createSecretBox(masterKey, 'pending-sign-ups'),
    /** Seals a sign-in started for Vetted's own test callback, /demo/callback (demo/flow.ts). */
    testFlowBox: createSecretBox(masterKey, 'test-flows'),
    cookieSigner,
    health: createReadiness({ database, redis }),
    /** Closes what the services opened themselves (the Redis connection); the database is the caller's. */
    async close(): Promise<void> {
      if (redis !== undefined) await closeRedisClient(redis);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
