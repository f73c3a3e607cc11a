import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { ApiKeyRepository } from './api-key-repository.ts';
import { organizationErrors } from './errors.ts';
import type { OrganizationService } from './organizations.ts';

/** What an organization API key may do in the management API. */
export const apiKeyScopes = [
  'applications:read',
  'applications:write',
  'organization:read',
  'organization:write',
] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const API_KEY_PREFIX = 'vtd_';
const SECRET_BYTES = 32;
// 32 bytes in base64url without padding are 43 characters.
const KEY_PATTERN = /^vtd_([A-Za-z0-9_-]{43})$/;
/** last_used_at is written at most this often per key. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKey {
  id: string;
  organizationId: string;
  name: string;
  scopes: ApiKeyScope[];
  /** The creating user; null when an operator or administrator created it. */
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** What a presented key proves: the organization it acts for and what it may do. */
export interface AuthenticatedApiKey {
  key: Pick<ApiKey, 'id' | 'organizationId' | 'name' | 'scopes' | 'createdBy'>;
}

export interface ApiKeyServiceDeps {
  repository: ApiKeyRepository;
  /** Checks the actor's role in the organization (the organization service). */
  organizations: Pick<OrganizationService, 'authorize'>;
  /** Hashes the keys' secret part (a purpose of its own, e.g. `api-keys`). */
  hasher: TokenHasher;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
}

function isApiKeyScope(value: string): value is ApiKeyScope {
  return (apiKeyScopes as readonly string[]).includes(value);
}

function validScopes(scopes: readonly string[]): ApiKeyScope[] {
  const unique = [...new Set(scopes.map((scope) => scope.trim()).filter((scope) => scope !== ''))];
  if (unique.length === 0) throw organizationErrors.noApiKeyScopes();
  for (const scope of unique) {
    if (!isApiKeyScope(scope)) throw organizationErrors.unknownApiKeyScope(scope, apiKeyScopes);
  }
  return unique as ApiKeyScope[];
}

/**
 * Organization API keys for the management API. The key (`vtd_` and 43 base64url characters) is shown once
 * on creation and stored only as an HMAC of its secret part. Creating and revoking need the admin role when
 * the actor is a user; listing does not check, so callers check first (`organizations.requireRole`).
 */
export function createApiKeyService(deps: ApiKeyServiceDeps) {
  const { repository, organizations, hasher, audit, clock, ids } = deps;
  const subject = (organizationId: string) => ({ type: 'organization', id: organizationId });

  return {
    async create(
      organizationId: string,
      input: { name: string; scopes: readonly string[] },
      actor: Actor,
    ): Promise<{ apiKey: ApiKey; key: string }> {
      const name = input.name.trim();
      if (name.length < 1 || name.length > 100) throw organizationErrors.invalidApiKeyName();
      const scopes = validScopes(input.scopes);
      await organizations.authorize(organizationId, actor, 'admin');
      const secret = ids.token(SECRET_BYTES);
      const apiKey: ApiKey = {
        id: ids.uuid(),
        organizationId,
        name,
        scopes,
        createdBy: actor.type === 'user' ? (actor.id ?? null) : null,
        createdAt: clock.now(),
        lastUsedAt: null,
        revokedAt: null,
      };
      await repository.insert(apiKey, hasher.hash(secret));
      await audit.record('api_key.created', {
        actor,
        subject: subject(organizationId),
        data: { apiKeyId: apiKey.id, name, scopes },
      });
      return { apiKey, key: `${API_KEY_PREFIX}${secret}` };
    },

    /** The organization's keys, newest first, revoked ones included; never the keys or their hashes. */
    list: (organizationId: string) => repository.listForOrganization(organizationId),

    /** Revokes a key at once; revoking a revoked key does nothing. Another organization's key is not found. */
    async revoke(organizationId: string, apiKeyId: string, actor: Actor): Promise<void> {
      await organizations.authorize(organizationId, actor, 'admin');
      if (!(await repository.revoke(organizationId, apiKeyId, clock.now().getTime()))) {
        if ((await repository.find(organizationId, apiKeyId)) === undefined) {
          throw organizationErrors.apiKeyNotFound(apiKeyId);
        }
        return;
      }
      await audit.record('api_key.revoked', {
        actor,
        subject: subject(organizationId),
        data: { apiKeyId },
      });
    },

    /** The key a request presents, when it is well formed, known and not revoked. */
    async authenticate(presentedKey: string): Promise<AuthenticatedApiKey | undefined> {
      const secret = KEY_PATTERN.exec(presentedKey)?.[1];
      if (secret === undefined) return undefined;
      // HMAC is deterministic, so the hash is the lookup key; the comparison is then made in constant time.
      const found = await repository.findActiveByHash(hasher.hash(secret));
      if (found === undefined || !hasher.matches(secret, found.keyHash)) return undefined;
      const { key } = found;
      const now = clock.now().getTime();
      if (key.lastUsedAt === null || now - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await repository.touch(key.id, now, now - LAST_USED_RESOLUTION_MS);
      }
      return {
        key: {
          id: key.id,
          organizationId: key.organizationId,
          name: key.name,
          scopes: key.scopes,
          createdBy: key.createdBy,
        },
      };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
