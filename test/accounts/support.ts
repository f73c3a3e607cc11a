import { randomBytes } from 'node:crypto';
import { createAccountService } from '../../src/accounts/account-service.ts';
import { createOneTimeCodeRepository } from '../../src/accounts/one-time-code-repository.ts';
import { createOneTimeCodeService } from '../../src/accounts/one-time-codes.ts';
import type { PasswordHasher } from '../../src/accounts/password.ts';
import { createPasswordHasher } from '../../src/accounts/password.ts';
import { createUserRepository } from '../../src/accounts/user-repository.ts';
import { createAuditRepository } from '../../src/audit/audit-repository.ts';
import { createAuditService } from '../../src/audit/audit-service.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { createLogger } from '../../src/lib/logger.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import { createOutboxMailer } from '../../src/mail/outbox-mailer.ts';
import { createOutboxRepository } from '../../src/mail/outbox-repository.ts';
import { createSignUpDecoys } from '../../src/accounts/sign-up-decoys.ts';
import { createDatabaseRateLimiter } from '../../src/rate-limits/database-rate-limiter.ts';
import { createDatabaseSlidingWindow } from '../../src/rate-limits/database-sliding-window.ts';
import type { SignInPolicy } from '../../src/rate-limits/sign-in-guard.ts';
import type { Database } from '../../src/storage/database.ts';

/** Cheap Argon2id parameters for tests that only count attempts; hashing-parameter tests use the real ones. */
export const fastPasswords: PasswordHasher = createPasswordHasher({
  memoryCost: 1024,
  timeCost: 1,
  parallelism: 1,
});

/** The accounts domain wired as the composition root would, on a manual clock and the outbox mailer. */
export function accountsHarness(
  database: Database,
  options: { passwords?: PasswordHasher; mailer?: Mailer; signInPolicy?: SignInPolicy } = {},
) {
  const clock = createManualClock();
  const masterKey = randomBytes(32);
  const audit = createAuditService({ repository: createAuditRepository(database.db), clock, ids: randomIds });
  const outbox = createOutboxRepository(database.db);
  const mailer = options.mailer ?? createOutboxMailer(outbox, { clock, ids: randomIds });
  const rateLimiter = createDatabaseRateLimiter(database.db, clock);
  const users = createUserRepository(database.db);
  const codes = createOneTimeCodeService({
    repository: createOneTimeCodeRepository(database.db),
    masterKey,
    clock,
    ids: randomIds,
  });
  const accounts = createAccountService({
    users,
    codes,
    mailer,
    audit,
    clock,
    rateLimiter,
    slidingWindows: createDatabaseSlidingWindow(database.db, clock),
    decoys: createSignUpDecoys({ db: database.db, clock }),
    signInUrl: 'https://vetted.example/account/sign-in',
    logger: createLogger('silent'),
    ...(options.passwords === undefined ? {} : { passwords: options.passwords }),
    ...(options.signInPolicy === undefined ? {} : { signInPolicy: options.signInPolicy }),
  });
  return { clock, masterKey, audit, outbox, mailer, rateLimiter, users, codes, accounts };
}

export type AccountsHarness = ReturnType<typeof accountsHarness>;

/** The code in the newest message of the outbox. */
export async function latestCode(harness: AccountsHarness): Promise<string> {
  const [message] = await harness.outbox.listRecent(1);
  const code = /verification code is (\d{6})\./.exec(message?.text ?? '')?.[1];
  if (code === undefined) throw new Error('no verification code in the outbox');
  return code;
}

export const person = {
  email: 'Ann.Example@Example.COM',
  password: 'correct horse battery',
  firstName: 'Ann',
  lastName: 'Example',
};

export { migratedDatabases } from '../helpers/databases.ts';
