import { randomInt } from 'node:crypto';
import { createTokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import { accountErrors } from './errors.ts';
import type { OneTimeCodeRepository } from './one-time-code-repository.ts';

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;

export interface IssuedCode {
  /** Six digits, to be sent to `address`; never stored or logged. */
  code: string;
  expiresAt: Date;
}

/**
 * Six-digit codes sent to an address to prove the user reads it (email verification, community email
 * addresses). Only an HMAC of the code is stored; a code expires after 10 minutes, allows 5 attempts
 * (the 6th fails even when right), is consumed once, and a new code for the same user and purpose
 * replaces the older ones.
 */
export function createOneTimeCodeService(deps: {
  repository: OneTimeCodeRepository;
  masterKey: Buffer;
  clock: Clock;
  ids: IdGenerator;
  ttlMs?: number;
  maxAttempts?: number;
}) {
  const { repository, clock, ids } = deps;
  const ttlMs = deps.ttlMs ?? CODE_TTL_MS;
  const maxAttempts = deps.maxAttempts ?? CODE_MAX_ATTEMPTS;
  const hasher = createTokenHasher(deps.masterKey, 'one-time-codes');
  // The row id is hashed with the code, so equal codes never have equal hashes.
  const hashOf = (id: string, code: string) => hasher.hash(`${id}:${code}`);

  return {
    async issue(target: { userId: string; purpose: string; address: string }): Promise<IssuedCode> {
      const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
      const id = ids.uuid();
      const now = clock.now().getTime();
      await repository.replace({
        id,
        purpose: target.purpose,
        userId: target.userId,
        address: target.address,
        codeHash: hashOf(id, code),
        attempts: 0,
        expiresAt: now + ttlMs,
        consumedAt: null,
        createdAt: now,
      });
      return { code, expiresAt: new Date(now + ttlMs) };
    },

    /**
     * Checks `code` against the user's newest code for `purpose` and consumes it; returns the address it
     * was sent to. Throws `accounts.code_invalid`, `accounts.code_expired` or `accounts.code_too_many_attempts`.
     */
    async consume(target: { userId: string; purpose: string; code: string }): Promise<{ address: string }> {
      const row = await repository.findLatest(target.userId, target.purpose);
      if (row === undefined || row.consumedAt !== null) throw accountErrors.codeInvalid();
      const now = clock.now().getTime();
      if (now >= row.expiresAt) throw accountErrors.codeExpired();
      // Counted before comparing, atomically, so parallel guesses cannot exceed the allowance.
      if (!(await repository.countAttempt(row.id, maxAttempts))) {
        const latest = await repository.findLatest(target.userId, target.purpose);
        if (latest?.id === row.id && latest.consumedAt === null) throw accountErrors.codeTooManyAttempts();
        throw accountErrors.codeInvalid();
      }
      const given = target.code.replace(/[\s-]/g, '');
      if (!/^\d{6}$/.test(given) || !hasher.matches(`${row.id}:${given}`, row.codeHash)) {
        throw accountErrors.codeInvalid();
      }
      if (!(await repository.consume(row.id, now))) throw accountErrors.codeInvalid();
      return { address: row.address };
    },
  };
}

export type OneTimeCodeService = ReturnType<typeof createOneTimeCodeService>;
