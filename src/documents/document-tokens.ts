import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { DocumentTokenRecord, DocumentTokenRepository } from './document-token-repository.ts';

/** 192 random bits (≥ 128 asked for), base64url, after a prefix: `vdt_` + 32 characters. */
const DOCUMENT_TOKEN_BYTES = 24;
const DOCUMENT_TOKEN = /^vdt_[A-Za-z0-9_-]{32}$/;

/** What a document token is bound to. */
export interface DocumentTokenBinding {
  clientId: string;
  userId: string;
  documentId: string;
  side: string;
  grantId: string;
}

/**
 * Document tokens: random values handed to one application for one side of one user's document under one
 * grant, stored only as an HMAC (purpose `passback-document-tokens`), valid for `ttlMs`.
 */
export function createDocumentTokens(deps: {
  repository: DocumentTokenRepository;
  hasher: TokenHasher;
  clock: Clock;
  ids: IdGenerator;
  ttlMs: number;
}) {
  const { repository, hasher, clock, ids } = deps;

  function mint(binding: DocumentTokenBinding): { token: string; record: DocumentTokenRecord } {
    const token = `vdt_${ids.token(DOCUMENT_TOKEN_BYTES)}`;
    const now = clock.now();
    return {
      token,
      record: {
        id: ids.uuid(),
        tokenHash: hasher.hash(token),
        ...binding,
        createdAt: now,
        expiresAt: new Date(now.getTime() + deps.ttlMs),
        refreshedAt: null,
      },
    };
  }

  return {
    /** New tokens for these bindings, stored together; in the same order. */
    async issue(bindings: readonly DocumentTokenBinding[]): Promise<{ token: string; expiresAt: Date }[]> {
      const minted = bindings.map(mint);
      await repository.insertMany(minted.map(({ record }) => record));
      return minted.map(({ token, record }) => ({ token, expiresAt: record.expiresAt }));
    },

    /** The stored token for a presented value, whatever its state; undefined when there is none. */
    async resolve(token: string): Promise<DocumentTokenRecord | undefined> {
      if (!DOCUMENT_TOKEN.test(token)) return undefined;
      const record = await repository.findByHash(hasher.hash(token));
      return record !== undefined && hasher.matches(token, record.tokenHash) ? record : undefined;
    },

    /** Marks `record` exchanged by a refresh; false when another refresh took it first. */
    consume: (record: DocumentTokenRecord) => repository.consumeForRefresh(record.id, clock.now()),

    /** Forgets tokens past the refresh age: nothing can be done with them any more. */
    deleteIssuedBefore: (before: Date) => repository.deleteIssuedBefore(before),
  };
}

export type DocumentTokens = ReturnType<typeof createDocumentTokens>;
