import type { Actor, AuditService, RequestOrigin } from '../audit/audit-service.ts';
import type { AppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { Application } from '../partners/application.ts';
import type { SlidingWindowLimiter } from '../rate-limits/sliding-window.ts';
import type { StoredDocument } from '../verification/evidence/documents.ts';
import type { AccessRepository } from './access-repository.ts';
import { listAccessesForUser } from './accesses.ts';
import type { ApiTokens } from './api-tokens.ts';
import type { DocumentTokenRecord } from './document-token-repository.ts';
import type { DocumentTokens } from './document-tokens.ts';
import { passbackErrors } from './errors.ts';
import { fitInside, parseSize, resizeImage, type ImageFormat, type SizeBox } from './image-size.ts';
import { createRetention, type RetentionDeps } from './retention.ts';
import { findVerifiedDocument, isCurrent, type VerifiedDocumentDeps } from './verified-document.ts';

/** SPEC §7: 2 requests per minute per document, shared by all its tokens and all instances. */
/** The window of the per-document rate limit; how many fetches it allows is configured (default 2). */
const RATE_WINDOW_MS = 60_000;

export interface PassbackDeps extends VerifiedDocumentDeps, Omit<RetentionDeps, 'clock'> {
  apiTokens: ApiTokens;
  documentTokens: DocumentTokens;
  accesses: AccessRepository;
  applications: { findByClientId(clientId: string): Promise<Application | undefined> };
  documents: VerifiedDocumentDeps['documents'] &
    RetentionDeps['documents'] & {
      findById(id: string): Promise<StoredDocument | undefined>;
      read(id: string): Promise<{ document: StoredDocument; bytes: Buffer } | undefined>;
    };
  /** The scopes of a grant that still stands for this user and application; undefined when it is gone. */
  grantScopes(
    grantId: string,
    binding: { accountId: string; clientId: string },
  ): Promise<string[] | undefined>;
  slidingWindows: SlidingWindowLimiter;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
  settings: { refreshMaxAgeDays: number; retentionDays: number | undefined; fetchesPerMinute: number };
}

/** A request for an image or a refresh, as the route hands it over (the tokens as presented). */
export interface PassbackRequest {
  documentToken: string;
  apiToken: string | undefined;
  origin?: RequestOrigin;
  /** Told the application once its API token is recognized (the route records the call under it). */
  onApplication?(clientId: string): void;
}

export interface DocumentImage {
  bytes: Buffer;
  contentType: string;
  width: number | null;
  height: number | null;
}

/** What an access was refused or served with; recorded in `document_accesses` and the audit log. */
type Outcome =
  | 'served'
  | 'api_token_missing'
  | 'api_token_invalid'
  | 'passback_disabled'
  | 'invalid_size'
  | 'unknown_token'
  | 'foreign_token'
  | 'expired_token'
  | 'grant_revoked'
  | 'document_deleted'
  | 'verification_not_current'
  | 'purged'
  | 'size_not_supported'
  | 'rate_limited'
  | 'failed';

/** A refusal on the way: the outcome to record and the error to answer. */
class Refusal extends Error {
  readonly outcome: Outcome;
  readonly error: AppError | Error;
  constructor(outcome: Outcome, error: AppError | Error) {
    super(error.message);
    this.outcome = outcome;
    this.error = error;
  }
}

const DAY_MS = 86_400_000;

/**
 * Document passback (SPEC §7, issue 6): API tokens, document tokens with the attributes, sized images,
 * token refresh, the per-document rate limit, the access trail users see, and retention.
 */
export function createDocumentPassback(deps: PassbackDeps) {
  const { apiTokens, documentTokens, clock } = deps;
  const retention = createRetention({ ...deps, clock });

  /** The application behind an API token, with passback enabled; refusals for 401 and 403. */
  async function authorizedApplication(request: PassbackRequest): Promise<string> {
    const { apiToken } = request;
    if (apiToken === undefined || apiToken === '')
      throw new Refusal('api_token_missing', passbackErrors.apiTokenRequired());
    const clientId = await apiTokens.authenticate(apiToken);
    if (clientId === undefined) throw new Refusal('api_token_invalid', passbackErrors.apiTokenInvalid());
    request.onApplication?.(clientId);
    const application = await deps.applications.findByClientId(clientId);
    if (application?.documentPassback !== true || application.status === 'disabled')
      throw new Refusal('passback_disabled', passbackErrors.notEnabled(clientId));
    return clientId;
  }

  /** The document a token of `clientId` may reach; 404 (one message for all) or 410 otherwise. */
  async function reachableDocument(
    record: DocumentTokenRecord | undefined,
    clientId: string,
    alive: (record: DocumentTokenRecord) => boolean,
  ): Promise<StoredDocument> {
    if (record === undefined) throw new Refusal('unknown_token', passbackErrors.tokenNotFound());
    if (record.clientId !== clientId)
      throw new Refusal('foreign_token', passbackErrors.tokenNotFound({ tokenClientId: record.clientId }));
    if (!alive(record)) throw new Refusal('expired_token', passbackErrors.tokenNotFound({ id: record.id }));
    if ((await deps.grantScopes(record.grantId, { accountId: record.userId, clientId })) === undefined)
      throw new Refusal('grant_revoked', passbackErrors.tokenNotFound({ grantId: record.grantId }));
    const document = await deps.documents.findById(record.documentId);
    if (document === undefined) throw new Refusal('document_deleted', passbackErrors.tokenNotFound());
    if (document.purgedAt !== null) throw new Refusal('purged', passbackErrors.documentPurged());
    if (!(await isCurrent(deps, document.verificationId)))
      throw new Refusal('verification_not_current', passbackErrors.tokenNotFound());
    return document;
  }

  async function recordAccess(entry: {
    clientId: string | undefined;
    record: DocumentTokenRecord | undefined;
    size: string | undefined;
    outcome: Outcome;
    status: number;
    origin: RequestOrigin | undefined;
  }): Promise<void> {
    const { record } = entry;
    // Requests naming neither a known application nor a known token are noise anyone can make: the request
    // log has them; the access trail keeps what concerns an application or a user.
    if (entry.clientId === undefined && record === undefined) return;
    await deps.accesses.insert({
      id: deps.ids.uuid(),
      at: clock.now(),
      clientId: entry.clientId ?? null,
      tokenClientId: record?.clientId ?? null,
      userId: record?.userId ?? null,
      documentId: record?.documentId ?? null,
      side: record?.side ?? null,
      size: entry.size ?? null,
      outcome: entry.outcome,
      status: entry.status,
      ip: entry.origin?.ip ?? null,
      requestId: entry.origin?.requestId ?? null,
    });
    if (record === undefined) return;
    await deps.audit.record('document.passback_accessed', {
      actor: entry.clientId === undefined ? { type: 'system' } : { type: 'partner', id: entry.clientId },
      subject: { type: 'user', id: record.userId },
      ...(entry.origin === undefined ? {} : { origin: entry.origin }),
      data: {
        clientId: entry.clientId ?? null,
        tokenClientId: record.clientId,
        documentId: record.documentId,
        side: record.side,
        size: entry.size ?? null,
        outcome: entry.outcome,
      },
    });
  }

  async function serve(document: StoredDocument, box: SizeBox | undefined): Promise<DocumentImage> {
    const read = await deps.documents.read(document.id);
    if (read === undefined) throw new Refusal('purged', passbackErrors.documentPurged());
    const { width, height, contentType } = read.document;
    if (box === undefined || width === null || height === null)
      return { bytes: read.bytes, contentType, width, height };
    const target = fitInside({ width, height }, box);
    const bytes = await resizeImage(read.bytes, contentType as ImageFormat, { width, height }, target);
    return { bytes, contentType, ...target };
  }

  return {
    provisionApiToken: (clientId: string, actor: Actor) => apiTokens.provisionApiToken(clientId, actor),
    revokeApiToken: (clientId: string, actor: Actor) => apiTokens.revokeApiToken(clientId, actor),
    apiTokenStatus: (clientId: string) => apiTokens.apiTokenStatus(clientId),

    /**
     * New document tokens for the attributes call of a grant: undefined (no `document_tokens` attribute)
     * unless the application has passback enabled and an API token, the grant stands, and the user has a
     * verified document in a granted community; a side that does not exist is null.
     */
    async issueDocumentTokens(input: {
      clientId: string;
      accountId: string;
      grantId: string;
    }): Promise<{ front: string | null; back: string | null } | undefined> {
      const application = await deps.applications.findByClientId(input.clientId);
      if (application?.documentPassback !== true || !(await apiTokens.hasApiToken(input.clientId)))
        return undefined;
      const scopes = await deps.grantScopes(input.grantId, input);
      if (scopes === undefined) return undefined;
      const found = await findVerifiedDocument(deps, input.accountId, scopes, application.mode);
      if (found === undefined) return undefined;
      const sides = [found.front, found.back].filter((document) => document !== undefined);
      const issued = await documentTokens.issue(
        sides.map((document) => ({
          clientId: input.clientId,
          userId: input.accountId,
          documentId: document.id,
          side: document.side,
          grantId: input.grantId,
        })),
      );
      const tokenOf = (side: string) =>
        issued[sides.findIndex((document) => document.side === side)]?.token ?? null;
      return { front: tokenOf('front'), back: tokenOf('back') };
    },

    /**
     * The image behind a document token, at its original size or fitted inside `size` (`WxH`). Every request
     * is recorded, allowed or refused; refusals are AppErrors (401, 403, 400, 404, 410, 415, 429).
     */
    async fetchImage(request: PassbackRequest & { size?: string | undefined }): Promise<DocumentImage> {
      const record = await documentTokens.resolve(request.documentToken);
      let clientId: string | undefined;
      try {
        clientId = await authorizedApplication(request);
        const box = request.size === undefined ? undefined : parseSize(request.size);
        if (request.size !== undefined && box === undefined)
          throw new Refusal('invalid_size', passbackErrors.badSize(request.size));
        const now = clock.now().getTime();
        const document = await reachableDocument(
          record,
          clientId,
          (token) => token.refreshedAt === null && token.expiresAt.getTime() > now,
        );
        if (box !== undefined && (document.width === null || document.height === null))
          throw new Refusal('size_not_supported', passbackErrors.unsupportedFormat(document.contentType));
        const window = { max: deps.settings.fetchesPerMinute, windowMs: RATE_WINDOW_MS };
        const limit = await deps.slidingWindows.hit(`passback:document:${document.id}`, window);
        if (!limit.allowed) {
          const seconds = Math.max(1, Math.ceil(limit.retryAfterMs / 1000));
          throw new Refusal(
            'rate_limited',
            passbackErrors.rateLimited(seconds, window.max, RATE_WINDOW_MS / 1000),
          );
        }
        const image = await serve(document, box);
        await recordAccess({
          clientId,
          record,
          size: request.size,
          outcome: 'served',
          status: 200,
          origin: request.origin,
        });
        return image;
      } catch (error) {
        const refusal = error instanceof Refusal ? error : new Refusal('failed', error as Error);
        const status = (refusal.error as { status?: number }).status ?? 500;
        await recordAccess({
          clientId,
          record,
          size: request.size,
          outcome: refusal.outcome,
          status,
          origin: request.origin,
        });
        throw refusal.error;
      }
    },

    /**
     * A new token for the same document side as `documentToken` (which then stops working), also when it
     * has expired, up to the refresh age; refused (404) when the grant was revoked or the document deleted.
     */
    async refresh(request: PassbackRequest): Promise<{ token: string; side: string; expiresAt: Date }> {
      const record = await documentTokens.resolve(request.documentToken);
      try {
        const clientId = await authorizedApplication(request);
        if (request.documentToken === '')
          throw new Refusal('unknown_token', passbackErrors.refreshTokenRequired());
        const oldest = clock.now().getTime() - deps.settings.refreshMaxAgeDays * DAY_MS;
        await reachableDocument(
          record,
          clientId,
          (token) => token.refreshedAt === null && token.createdAt.getTime() > oldest,
        );
        const current = record as DocumentTokenRecord;
        if (!(await documentTokens.consume(current)))
          throw new Refusal('expired_token', passbackErrors.tokenNotFound({ id: current.id }));
        const [issued] = await documentTokens.issue([
          {
            clientId,
            userId: current.userId,
            documentId: current.documentId,
            side: current.side,
            grantId: current.grantId,
          },
        ]);
        if (issued === undefined) throw new Error('no token issued');
        await deps.audit.record('document.passback_token_refreshed', {
          actor: { type: 'partner', id: clientId },
          subject: { type: 'user', id: current.userId },
          ...(request.origin === undefined ? {} : { origin: request.origin }),
          data: { documentId: current.documentId, side: current.side },
        });
        return { token: issued.token, side: current.side, expiresAt: issued.expiresAt };
      } catch (error) {
        throw error instanceof Refusal ? error.error : error;
      }
    },

    /** "Who accessed my documents": every request for the user's document images, newest first. */
    accessesForUser: (userId: string, page: { limit: number; offset: number }) =>
      listAccessesForUser(deps, userId, page),

    /**
     * Purges the images retention says to and forgets document tokens past the refresh age (the sweeper
     * calls it); returns how many images were purged.
     */
    async purgeDue(now: Date = clock.now()): Promise<number> {
      await documentTokens.deleteIssuedBefore(
        new Date(now.getTime() - deps.settings.refreshMaxAgeDays * DAY_MS),
      );
      return retention.purgeDue(now);
    },
  };
}

export type DocumentPassback = ReturnType<typeof createDocumentPassback>;
