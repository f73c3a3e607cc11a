import { randomBytes } from 'node:crypto';
import type { Actor, AuditService, RequestOrigin } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { createSignInGuard, defaultSignInPolicy, type SignInPolicy } from '../rate-limits/sign-in-guard.ts';
import type { SlidingWindowLimiter } from '../rate-limits/sliding-window.ts';
import { createDeviceCookies, type DeviceCookies } from './device-cookies.ts';
import { emailVerificationMessage, existingAccountMessage } from './emails.ts';
import { accountErrors } from './errors.ts';
import { CODE_TTL_MS, type OneTimeCodeService } from './one-time-codes.ts';
import { createPasswordHasher, PASSWORD_MAX_LENGTH, type PasswordHasher } from './password.ts';
import type { SignUpDecoys } from './sign-up-decoys.ts';
import { countSignUp } from './sign-up-limits.ts';
import {
  normalizeEmail,
  validateUserInput,
  type OperatorUserInput,
  type SignUpInput,
  type ValidUserInput,
} from './user-input.ts';
import type { UserRepository, UserRow } from './user-repository.ts';

/** A user as the rest of the system sees it: never the password hash. */
export interface User {
  /** 32 lower-case hex characters: the OIDC `sub` and the `uuid` attribute. */
  id: string;
  email: string;
  emailVerified: boolean;
  emailVerifiedAt: Date | null;
  firstName: string;
  lastName: string;
  postalCode: string | null;
  /** YYYY-MM-DD */
  birthDate: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** A sandbox test persona's `<community>:<outcome>` (verification/sources/sandbox.ts); null for real users. */
  testPersona: string | null;
  /** An administrator locked the account: it cannot sign in, and nothing is released about it. */
  locked: boolean;
}

/**
 * A sign-up waiting for its email code: `id` is the new account's, or a decoy's when the address already had
 * an account (sign-up-decoys.ts). Callers treat both alike; only the code decides, and a decoy's never does.
 */
export interface PendingSignUp {
  id: string;
  email: string;
}

export const EMAIL_VERIFICATION = 'email_verification';
/** At most one new email verification code per user per minute. */
export const CODE_RESEND_WINDOW = { limit: 1, windowMs: 60_000 };

export interface AccountServiceDeps {
  users: UserRepository;
  codes: OneTimeCodeService;
  mailer: Mailer;
  audit: AuditService;
  clock: Clock;
  /** Counters for sign-in brute-force protection and code throttling. */
  rateLimiter: RateLimiter;
  /** Sign-up limits per network and per address (database or Redis). */
  slidingWindows: SlidingWindowLimiter;
  decoys: SignUpDecoys;
  /** Where the owner of an address is sent to sign in (in the mail about a sign-up with their address). */
  signInUrl: string;
  logger: Logger;
  passwords?: PasswordHasher;
  signInPolicy?: SignInPolicy;
  /** Signs and reads device cookies; the composition root's key is the same on every instance. */
  deviceCookies?: DeviceCookies;
  /** Defaults to 16 random bytes as hex. */
  newUserId?: () => string;
}

export function createAccountService(deps: AccountServiceDeps) {
  const { users, codes, mailer, audit, clock, rateLimiter, logger, decoys } = deps;
  const passwords = deps.passwords ?? createPasswordHasher();
  const guard = createSignInGuard(rateLimiter, deps.signInPolicy ?? defaultSignInPolicy);
  const newUserId = deps.newUserId ?? (() => randomBytes(16).toString('hex'));
  // Tests that do not care get a key of their own; services.ts passes one derived from the master key.
  const deviceCookies =
    deps.deviceCookies ?? createDeviceCookies(randomBytes(32), () => clock.now().getTime());
  const subject = (id: string) => ({ type: 'user', id });

  async function create(
    valid: ValidUserInput,
    emailVerified: boolean,
    testPersona: string | null = null,
  ): Promise<UserRow> {
    if ((await users.findByEmailNormalized(valid.emailNormalized)) !== undefined) {
      throw accountErrors.emailTaken();
    }
    const now = clock.now().getTime();
    const row: UserRow = {
      id: newUserId(),
      email: valid.email,
      emailNormalized: valid.emailNormalized,
      passwordHash: valid.password === null ? null : await passwords.hash(valid.password),
      firstName: valid.firstName,
      lastName: valid.lastName,
      postalCode: valid.postalCode,
      birthDate: valid.birthDate,
      emailVerifiedAt: emailVerified ? now : null,
      createdAt: now,
      updatedAt: now,
      testPersona,
    };
    // The check above is only a shortcut; the unique index decides when two sign-ups race.
    if (!(await users.insertIfEmailFree(row))) throw accountErrors.emailTaken();
    return row;
  }

  /** Inserts a sign-up's account; undefined when the address was taken meanwhile (the unique index decides). */
  async function insertUser(valid: ValidUserInput, passwordHash: string): Promise<UserRow | undefined> {
    const now = clock.now().getTime();
    const row: UserRow = {
      id: newUserId(),
      email: valid.email,
      emailNormalized: valid.emailNormalized,
      passwordHash,
      firstName: valid.firstName,
      lastName: valid.lastName,
      postalCode: valid.postalCode,
      birthDate: valid.birthDate,
      emailVerifiedAt: null,
      createdAt: now,
      updatedAt: now,
      testPersona: null,
    };
    return (await users.insertIfEmailFree(row)) ? row : undefined;
  }

  /** A sign-up for a registered address: a decoy code page for the visitor, a mail for the owner. */
  async function startDecoy(
    typed: string,
    emailNormalized: string,
    origin: RequestOrigin,
  ): Promise<PendingSignUp> {
    const id = newUserId();
    await decoys.start(id, typed);
    // Counted as a real code's first mail is, so "send a new code" is throttled alike.
    await rateLimiter.hit(`email-code:${id}`, CODE_RESEND_WINDOW);
    const owner = await users.findByEmailNormalized(emailNormalized);
    if (owner !== undefined) {
      await audit.record('user.sign_up_attempted', {
        actor: { type: 'user' },
        subject: subject(owner.id),
        origin,
      });
      try {
        await mailer.send(existingAccountMessage(owner.email, deps.signInUrl));
      } catch (error) {
        logger.error({ err: error, userId: owner.id }, 'could not tell an owner about a sign-up attempt');
      }
    }
    return { id, email: typed };
  }

  async function requireUser(userId: string): Promise<UserRow> {
    const user = await users.findById(userId);
    if (user === undefined) throw accountErrors.userNotFound();
    return user;
  }

  async function sendEmailVerification(userId: string): Promise<{ expiresAt: Date }> {
    const user = await users.findById(userId);
    if (user === undefined && (await decoys.addressOf(userId)) !== undefined) {
      // As for a real code, at most one a minute; but nothing is sent (the owner was told once).
      const allowance = await rateLimiter.hit(`email-code:${userId}`, CODE_RESEND_WINDOW);
      if (!allowance.allowed) throw accountErrors.codeThrottled(allowance.retryAfterMs);
      return decoys.renew(userId);
    }
    if (user === undefined) throw accountErrors.userNotFound();
    if (user.emailVerifiedAt !== null) throw accountErrors.emailAlreadyVerified();
    const throttleKey = `email-code:${user.id}`;
    const allowance = await rateLimiter.hit(throttleKey, CODE_RESEND_WINDOW);
    if (!allowance.allowed) throw accountErrors.codeThrottled(allowance.retryAfterMs);
    const issued = await codes.issue({ userId: user.id, purpose: EMAIL_VERIFICATION, address: user.email });
    try {
      await mailer.send(emailVerificationMessage(user.email, issued.code, CODE_TTL_MS / 60_000));
    } catch (error) {
      // Nothing reached the user, so they may ask again at once.
      await rateLimiter.reset(throttleKey);
      throw error;
    }
    return { expiresAt: issued.expiresAt };
  }

  return {
    /**
     * Starts a sign-up: a new account with an unverified email, mailed a code. For an address that already has
     * an account, the same answer after the same work, but no account: a decoy stands behind the code page and
     * the owner is mailed that someone tried. Limited per network and per address (sign-up-limits.ts).
     */
    async signUp(input: SignUpInput, origin: RequestOrigin = {}): Promise<PendingSignUp> {
      const valid = validateUserInput(input, { now: clock.now(), passwordRequired: true });
      await countSignUp(deps.slidingWindows, { emailNormalized: valid.emailNormalized, ip: origin.ip });
      const existing = await users.findByEmailNormalized(valid.emailNormalized);
      // Hashed either way, so both answers take as long.
      const passwordHash = await passwords.hash(valid.password ?? '');
      const row = existing === undefined ? await insertUser(valid, passwordHash) : undefined;
      if (row === undefined) return startDecoy(valid.email, valid.emailNormalized, origin);
      await audit.record('user.created', {
        actor: { type: 'user', id: row.id },
        subject: subject(row.id),
        origin,
        data: { via: 'sign_up' },
      });
      try {
        await sendEmailVerification(row.id);
      } catch (error) {
        // The account exists either way; the verification page offers to send the code again.
        logger.error({ err: error, userId: row.id }, 'could not send the email verification code');
      }
      return { id: row.id, email: row.email };
    },

    /** The address a pending sign-up's code page shows; undefined for an unknown id. */
    async pendingSignUp(id: string): Promise<PendingSignUp | undefined> {
      const user = await users.findById(id);
      if (user !== undefined) return { id, email: user.email };
      const address = await decoys.addressOf(id);
      return address === undefined ? undefined : { id, email: address };
    },

    /** Creates an account whose email is already verified (`vetted users create`). */
    async createByOperator(input: OperatorUserInput, actor: Actor = { type: 'operator' }): Promise<User> {
      const valid = validateUserInput(input, { now: clock.now(), passwordRequired: false });
      const row = await create(valid, true);
      await audit.record('user.created', {
        actor,
        subject: subject(row.id),
        data: { via: 'operator', emailVerified: true, hasPassword: row.passwordHash !== null },
      });
      return toUser(row);
    },

    /**
     * Creates (or finds) a sandbox test persona (`<community>:<outcome>`, verification/sources/sandbox.ts):
     * an account with a confirmed email whose verifications have a fixed outcome in sandbox applications.
     */
    async ensureTestPersona(
      input: OperatorUserInput & { password: string; persona: string },
      actor: Actor = { type: 'operator' },
    ): Promise<User & { created: boolean; passwordWorks: boolean }> {
      const existing = await users.findByEmailNormalized(normalizeEmail(input.email));
      if (existing !== undefined) {
        if (existing.testPersona !== input.persona) throw accountErrors.emailTaken();
        // An existing persona keeps its password; the caller learns whether `password` opens it.
        const passwordWorks =
          existing.passwordHash !== null && (await passwords.verify(existing.passwordHash, input.password));
        return { ...toUser(existing), created: false, passwordWorks };
      }
      const valid = validateUserInput(input, { now: clock.now(), passwordRequired: true });
      const row = await create(valid, true, input.persona);
      await audit.record('user.created', {
        actor,
        subject: subject(row.id),
        data: { via: 'test_persona', persona: input.persona },
      });
      return { ...toUser(row), created: true, passwordWorks: true };
    },

    /**
     * Checks an email and password. Throws `accounts.invalid_credentials` alike for a wrong password and
     * an unknown email (taking the same time), and `accounts.too_many_attempts` (a RetryLaterError) while
     * the caller is locked out, even for the right password: a browser with a valid `deviceCookie` for this
     * account by its own failures only, any other by the account's lock and its address's limit.
     */
    async authenticate(
      email: string,
      password: string,
      origin: RequestOrigin & { ip: string },
      options: { deviceCookie?: string } = {},
    ): Promise<User> {
      const normalized = normalizeEmail(email);
      const user = await users.findByEmailNormalized(normalized);
      const cookie = deviceCookies.read(options.deviceCookie);
      const device = user !== undefined && cookie?.accountId === user.id ? cookie.nonce : undefined;
      const waitMs = await guard.retryAfterMs(normalized, origin.ip, device);
      if (waitMs > 0) throw accountErrors.tooManyAttempts(waitMs);

      // Over-long input is refused after the same work as any wrong password.
      const candidate = password.length > PASSWORD_MAX_LENGTH * 4 ? '' : password;
      const matches =
        user?.passwordHash == null
          ? await passwords.verifyNothing(candidate)
          : await passwords.verify(user.passwordHash, candidate);

      if (user === undefined || user.passwordHash === null || !matches) {
        const lockedForMs = await guard.recordFailure(normalized, origin.ip, device);
        if (user !== undefined) {
          await audit.record('user.sign_in_failed', {
            actor: { type: 'user' },
            subject: subject(user.id),
            origin,
          });
          if (lockedForMs > 0) {
            await audit.record('user.locked', {
              actor: { type: 'system' },
              subject: subject(user.id),
              origin,
              // A known device locks only itself; the others' failures lock the account for unknown clients.
              data: {
                seconds: Math.ceil(lockedForMs / 1000),
                scope: device === undefined ? 'account' : 'device',
              },
            });
          }
        }
        throw accountErrors.invalidCredentials();
      }

      await guard.recordSuccess(normalized, device);
      // Only someone with the right password learns that the account is locked.
      if (user.lockedAt != null) throw accountErrors.locked();
      if (passwords.needsRehash(user.passwordHash)) {
        await users.updatePasswordHash(user.id, await passwords.hash(password), clock.now().getTime());
      }
      await audit.record('user.signed_in', {
        actor: { type: 'user', id: user.id },
        subject: subject(user.id),
        origin,
        data: { method: 'password', knownDevice: device !== undefined },
      });
      return toUser(user);
    },

    /** A new device cookie for a browser that just signed in to `userId` (give it after every sign-in). */
    issueDeviceCookie(userId: string): string {
      return deviceCookies.issue(userId);
    },

    async findById(id: string): Promise<User | undefined> {
      const row = await users.findById(id);
      return row === undefined ? undefined : toUser(row);
    },

    async findByEmail(email: string): Promise<User | undefined> {
      const row = await users.findByEmailNormalized(normalizeEmail(email));
      return row === undefined ? undefined : toUser(row);
    },

    /** Mails a new verification code (replacing earlier ones); at most one per minute per user. */
    sendEmailVerification,

    /** Confirms the email address with a code sent to it; idempotent once verified. */
    async confirmEmail(userId: string, code: string, origin: RequestOrigin = {}): Promise<User> {
      const found = await users.findById(userId);
      // A decoy's code page: every code is wrong, as a wrong code is.
      if (found === undefined && (await decoys.addressOf(userId)) !== undefined) return decoys.refuse(userId);
      const user = found ?? (await requireUser(userId));
      if (user.emailVerifiedAt !== null) return toUser(user);
      const { address } = await codes.consume({ userId, purpose: EMAIL_VERIFICATION, code });
      // A code sent to an address the account no longer has proves nothing.
      if (normalizeEmail(address) !== user.emailNormalized) throw accountErrors.codeInvalid();
      const now = clock.now().getTime();
      if (await users.markEmailVerified(userId, now)) {
        await audit.record('user.email_verified', {
          actor: { type: 'user', id: userId },
          subject: subject(userId),
          origin,
        });
      }
      return toUser(await requireUser(userId));
    },

    /** Clears an account's failed sign-ins and lock (an operator helping a locked-out person). */
    async unlockSignIn(email: string, actor: Actor): Promise<void> {
      await guard.clearAccount(normalizeEmail(email));
      const user = await users.findByEmailNormalized(normalizeEmail(email));
      if (user !== undefined) await audit.record('user.unlocked', { actor, subject: subject(user.id) });
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

/** The domain's view of a users row (also the base of account-admin.ts's ManagedUser). */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.emailVerifiedAt !== null,
    emailVerifiedAt: row.emailVerifiedAt === null ? null : new Date(row.emailVerifiedAt),
    firstName: row.firstName,
    lastName: row.lastName,
    postalCode: row.postalCode,
    birthDate: row.birthDate,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    testPersona: row.testPersona,
    locked: row.lockedAt != null,
  };
}
