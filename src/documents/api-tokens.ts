import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { ApiTokenRepository } from './api-token-repository.ts';

/** What an API token looks like: a prefix that secret scanners can match, then 256 random bits. */
export const API_TOKEN_PREFIX = 'vdp_';
const API_TOKEN_BYTES = 32;
const API_TOKEN = /^vdp_[A-Za-z0-9_-]{43}$/;
/** `last_used_at` is written at most this often per application (not on every image request). */
const TOUCH_EVERY_MS = 60_000;

/**
 * The Document Passback API tokens an administrator provisions per application: random, shown once, kept
 * only as an HMAC (purpose `passback-api-tokens`). Provisioning again rotates: the previous token stops
 * working at once. Revoking deletes it.
 */
export function createApiTokens(deps: {
  repository: ApiTokenRepository;
  hasher: TokenHasher;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
  /** Whether the application exists (tokens of unknown applications are refused). */
  applicationExists(clientId: string): Promise<boolean>;
  onUnknownApplication(clientId: string): Error;
}) {
  const { repository, hasher, audit, clock } = deps;

  return {
    async provisionApiToken(clientId: string, actor: Actor): Promise<{ token: string; createdAt: Date }> {
      if (!(await deps.applicationExists(clientId))) throw deps.onUnknownApplication(clientId);
      const token = `${API_TOKEN_PREFIX}${deps.ids.token(API_TOKEN_BYTES)}`;
      const createdAt = clock.now();
      const rotated = (await repository.findByClientId(clientId)) !== undefined;
      await repository.upsert({
        clientId,
        tokenHash: hasher.hash(token),
        createdBy: actor.id ?? null,
        createdAt,
      });
      await audit.record('application.passback_token_provisioned', {
        actor,
        subject: { type: 'application', id: clientId },
        data: { rotated },
      });
      return { token, createdAt };
    },

    async revokeApiToken(clientId: string, actor: Actor): Promise<void> {
      if (await repository.delete(clientId)) {
        await audit.record('application.passback_token_revoked', {
          actor,
          subject: { type: 'application', id: clientId },
        });
      }
    },

    async apiTokenStatus(
      clientId: string,
    ): Promise<{ createdAt: Date; lastUsedAt: Date | null } | undefined> {
      const record = await repository.findByClientId(clientId);
      return record === undefined
        ? undefined
        : { createdAt: record.createdAt, lastUsedAt: record.lastUsedAt };
    },

    async hasApiToken(clientId: string): Promise<boolean> {
      return (await repository.findByClientId(clientId)) !== undefined;
    },

    /** The application whose API token `token` is, or undefined. */
    async authenticate(token: string): Promise<string | undefined> {
      if (!API_TOKEN.test(token)) return undefined;
      const record = await repository.findByHash(hasher.hash(token));
      if (record === undefined || !hasher.matches(token, record.tokenHash)) return undefined;
      const now = clock.now();
      if (record.lastUsedAt === null || now.getTime() - record.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
        await repository.touch(record.clientId, now);
      }
      return record.clientId;
    },
  };
}

export type ApiTokens = ReturnType<typeof createApiTokens>;
