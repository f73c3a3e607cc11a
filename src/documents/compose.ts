import type { Kysely } from 'kysely';
import type { AuditService } from '../audit/audit-service.ts';
import type { Config } from '../config/load.ts';
import { createTokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { ModelRepository } from '../oidc/model-repository.ts';
import type { ApplicationService } from '../partners/application-service.ts';
import type { SlidingWindowLimiter } from '../rate-limits/sliding-window.ts';
import type { Schema } from '../storage/schema.ts';
import type { DocumentEvidence } from '../verification/evidence/documents.ts';
import type { VerificationService } from '../verification/verification-service.ts';
import { createAccessRepository } from './access-repository.ts';
import { createApiTokenRepository } from './api-token-repository.ts';
import { createApiTokens } from './api-tokens.ts';
import { createDocumentTokenRepository } from './document-token-repository.ts';
import { createDocumentTokens } from './document-tokens.ts';
import { passbackErrors } from './errors.ts';
import { createGrantLookup } from './grants.ts';
import { createDocumentPassback } from './passback-service.ts';
import { createRetentionRepository } from './retention-repository.ts';

/** services.ts's part for document passback: its repositories and hashers, wired from plain dependencies. */
export function composeDocumentPassback(deps: {
  db: Kysely<Schema>;
  config: Pick<Config, 'documentPassback'>;
  masterKey: Buffer;
  applications: ApplicationService;
  verification: VerificationService;
  documents: DocumentEvidence;
  oidcModels: ModelRepository;
  slidingWindows: SlidingWindowLimiter;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { db, clock, ids, audit } = deps;
  const settings = deps.config.documentPassback;
  return createDocumentPassback({
    apiTokens: createApiTokens({
      repository: createApiTokenRepository(db),
      hasher: createTokenHasher(deps.masterKey, 'passback-api-tokens'),
      audit,
      clock,
      ids,
      applicationExists: async (clientId) => (await deps.applications.findByClientId(clientId)) !== undefined,
      onUnknownApplication: (clientId) => passbackErrors.unknownApplication(clientId),
    }),
    documentTokens: createDocumentTokens({
      repository: createDocumentTokenRepository(db),
      hasher: createTokenHasher(deps.masterKey, 'passback-document-tokens'),
      clock,
      ids,
      ttlMs: settings.tokenTtlSeconds * 1000,
    }),
    accesses: createAccessRepository(db),
    retention: createRetentionRepository(db),
    applications: deps.applications,
    verifications: deps.verification,
    documents: deps.documents,
    grantScopes: createGrantLookup({ models: deps.oidcModels, clock }),
    slidingWindows: deps.slidingWindows,
    audit,
    clock,
    ids,
    settings,
  });
}
