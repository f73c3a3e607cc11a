import { insertTestUser } from '../../../test/helpers/users.ts';
// The email-domain method on a real database, a recording mailer and a manual clock, for its test files.
import { randomBytes } from 'node:crypto';
import { createOneTimeCodeRepository } from '../../accounts/one-time-code-repository.ts';
import { createOneTimeCodeService } from '../../accounts/one-time-codes.ts';
import { createManualClock } from '../../lib/clock.ts';
import { randomIds } from '../../lib/ids.ts';
import type { Mailer, MailMessage } from '../../mail/mailer.ts';
import { createDatabaseRateLimiter } from '../../rate-limits/database-rate-limiter.ts';
import type { Database } from '../../storage/database.ts';
import { createCommunityRepository } from '../community-repository.ts';
import { createCommunityService } from '../community-service.ts';
import type { Community } from '../types.ts';
import { createEmailDomainMethod } from './email-domain.ts';
import { createEmailDomainRuleRepository, createEmailDomainRules } from './email-domain-rules.ts';

export const IP = '203.0.113.7';

/** Keeps what it is asked to send; fails every send while `failing` is set. */
export function createRecordingMailer(): Mailer & { sent: MailMessage[]; failing: boolean } {
  const mailer = {
    sent: [] as MailMessage[],
    failing: false,
    send(message: MailMessage): Promise<void> {
      if (mailer.failing) return Promise.reject(new Error('SMTP server unavailable'));
      mailer.sent.push(message);
      return Promise.resolve();
    },
  };
  return mailer;
}

/** A users row, for the one_time_codes foreign key. */
export const insertUser = (database: Database) => insertTestUser(database.db);

export async function setUpEmailDomainMethod(database: Database) {
  const clock = createManualClock(new Date('2026-03-01T12:00:00Z'));
  const communities = createCommunityService({
    repository: createCommunityRepository(database.db),
    clock,
    cacheSeconds: 0,
  });
  const rules = createEmailDomainRules({
    repository: createEmailDomainRuleRepository(database.db),
    communities,
    ids: randomIds,
    clock,
  });
  const codes = createOneTimeCodeService({
    repository: createOneTimeCodeRepository(database.db),
    masterKey: randomBytes(32),
    clock,
    ids: randomIds,
  });
  const mailer = createRecordingMailer();
  const rateLimiter = createDatabaseRateLimiter(database.db, clock);
  const method = createEmailDomainMethod({ rules, codes, mailer, rateLimiter, clock });
  const community = async (handle: string): Promise<Community> => {
    const found = await communities.find(handle);
    if (found === undefined) throw new Error(`no community ${handle}`);
    return found;
  };
  return {
    clock,
    rules,
    mailer,
    method,
    military: await community('military'),
    student: await community('student'),
    userId: await insertUser(database),
  };
}

/** The six-digit code of a recorded mail. */
export function codeIn(message: MailMessage | undefined): string {
  const code = /\b(\d{6})\b/.exec(message?.text ?? '')?.[1];
  if (code === undefined) throw new Error('no code in the mail');
  return code;
}

/** A code that is certainly not `code`. */
export const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
