import { randomBytes } from 'node:crypto';
import type { Actor, AuditService, RequestOrigin } from '../audit/audit-service.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import { AppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { FixedWindow, RateLimiter } from '../rate-limits/rate-limiter.ts';
import { clientNetwork } from '../rate-limits/sign-in-guard.ts';
import type { AccountService, User } from './account-service.ts';
import { accountErrors, RetryLaterError } from './errors.ts';
import type { RoleService } from './roles.ts';
import type { SetupCodeRepository } from './setup-code-repository.ts';
import { validateUserInput, type SignUpInput } from './user-input.ts';

/** No 0/O, 1/I: a code read from a terminal is typed back without doubt. 32 symbols: 5 bits each. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** Wrong codes from one network (an IPv6 /64 counts as one), and from everyone together. */
export const setupLimits: { network: FixedWindow; everyone: FixedWindow } = {
  network: { limit: 10, windowMs: 15 * 60_000 },
  everyone: { limit: 50, windowMs: 60 * 60_000 },
};

/** A fresh code, `ABCD-EFGH-JKLM`: 12 symbols of 5 bits, 60 bits, guessed only under the rate limits above. */
export function generateSetupCode(): string {
  const bytes = randomBytes(GROUPS * GROUP_LENGTH);
  const symbols = [...bytes].map((byte) => ALPHABET[byte & 31] ?? '');
  const groups: string[] = [];
  for (let index = 0; index < GROUPS; index += 1) {
    groups.push(symbols.slice(index * GROUP_LENGTH, (index + 1) * GROUP_LENGTH).join(''));
  }
  return groups.join('-');
}

/** What the person typed, as it was hashed: upper case, without spaces or dashes. */
export function normalizeSetupCode(value: string): string {
  return value.toUpperCase().replace(/[\s-]/g, '');
}

export const setupErrors = {
  closed: () =>
    new AppError({
      code: 'setup.closed',
      status: 404,
      message: 'Vetted already has an administrator. Sign in to the administration instead.',
    }),
  codeInvalid: () =>
    new AppError({
      code: 'setup.code_invalid',
      status: 403,
      message:
        'That setup code is not right. Copy it from the line "First-run setup" of the start-up log, ' +
        'or restart Vetted for a new one.',
    }),
  tooManyAttempts: (retryAfterMs: number) =>
    new RetryLaterError({
      code: 'setup.too_many_attempts',
      message:
        'Too many wrong setup codes. Wait a while and try again, or create the administrator from a shell ' +
        'on the server with `npx vetted admin create … --role admin`.',
      retryAfterMs,
    }),
};

export type FirstAdministratorInput = Pick<SignUpInput, 'email' | 'password' | 'firstName' | 'lastName'> & {
  code: string;
};

/**
 * First-run setup (as Authentik and Keycloak do it): while no account holds the admin role, each instance
 * that starts adds a setup code (only its HMAC is stored, in the shared database) and prints it once; any
 * outstanding code creates the first administrator, and using one consumes them all.
 */
export function createFirstRunSetup(deps: {
  codes: SetupCodeRepository;
  hasher: TokenHasher;
  accounts: AccountService;
  roles: RoleService;
  audit: AuditService;
  rateLimiter: RateLimiter;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { codes, hasher, accounts, roles, audit, rateLimiter, clock } = deps;
  const networkKey = (ip: string) => `setup:ip:${clientNetwork(ip)}`;
  const everyoneKey = 'setup:all';

  async function refuseWhenThrottled(ip: string): Promise<void> {
    const [network, everyone] = await Promise.all([
      rateLimiter.peek(networkKey(ip), setupLimits.network),
      rateLimiter.peek(everyoneKey, setupLimits.everyone),
    ]);
    const wait = Math.max(network.retryAfterMs, everyone.retryAfterMs);
    if (!network.allowed || !everyone.allowed) throw setupErrors.tooManyAttempts(wait);
  }

  /** The outstanding code that `given` is, compared in constant time with each stored hash. */
  async function matchingCode(given: string): Promise<string | undefined> {
    const normalized = normalizeSetupCode(given);
    let found: string | undefined;
    for (const row of await codes.listUnconsumed()) {
      // Every row is compared, so the time taken says nothing about which one matched.
      if (hasher.matches(normalized, row.codeHash) && normalized !== '') found ??= row.id;
    }
    return found;
  }

  return {
    /** Whether the first administrator is still to be created. */
    async isOpen(): Promise<boolean> {
      return !(await roles.anyAdministrator());
    },

    /**
     * At start-up: a new code to print while no administrator exists (this instance's own; the others' stay
     * valid), else nothing, and every leftover code is deleted.
     */
    async prepare(): Promise<{ code: string } | undefined> {
      if (await roles.anyAdministrator()) {
        await codes.deleteAll();
        return undefined;
      }
      const code = generateSetupCode();
      await codes.insert({
        id: deps.ids.uuid(),
        codeHash: hasher.hash(normalizeSetupCode(code)),
        createdAt: clock.now().getTime(),
      });
      return { code };
    },

    /**
     * Creates the first administrator (email confirmed, role admin) with a setup code. Wrong codes count
     * against the caller's network and everyone's limit; bad input leaves the code usable.
     */
    async complete(input: FirstAdministratorInput, origin: RequestOrigin & { ip: string }): Promise<User> {
      if (await roles.anyAdministrator()) throw setupErrors.closed();
      await refuseWhenThrottled(origin.ip);
      const codeId = await matchingCode(input.code);
      if (codeId === undefined) {
        await Promise.all([
          rateLimiter.hit(networkKey(origin.ip), setupLimits.network),
          rateLimiter.hit(everyoneKey, setupLimits.everyone),
        ]);
        throw setupErrors.codeInvalid();
      }
      const { code: _code, ...person } = input;
      validateUserInput(person, { now: clock.now(), passwordRequired: true });
      if ((await accounts.findByEmail(person.email)) !== undefined) throw accountErrors.emailTaken();

      const now = clock.now().getTime();
      if (!(await codes.consume(codeId, now))) throw setupErrors.codeInvalid();
      const operator: Actor = { type: 'operator' };
      try {
        const user = await accounts.createByOperator(person, operator);
        await roles.grant(user.id, 'admin', operator);
        await audit.record('setup.completed', {
          actor: { type: 'user', id: user.id },
          subject: { type: 'user', id: user.id },
          origin,
        });
        await codes.deleteAll();
        return user;
      } catch (error) {
        // Nothing was set up: the printed codes must keep working.
        await codes.release(now);
        throw error;
      }
    },
  };
}

export type FirstRunSetup = ReturnType<typeof createFirstRunSetup>;
