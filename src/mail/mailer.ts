import type { Kysely } from 'kysely';
import type { MailConfig } from '../config/load.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import { randomIds } from '../lib/ids.ts';
import type { Schema } from '../storage/schema.ts';
import { createOutboxMailer } from './outbox-mailer.ts';
import { createOutboxRepository } from './outbox-repository.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends mail. The SMTP adapter and the development outbox implement it; tests may implement it too. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** SMTP when configured, else the development outbox in the database (shown at /dev/outbox). */
export function createMailer(
  config: { mail: MailConfig },
  db: Kysely<Schema>,
  deps: { clock: Clock; ids: IdGenerator } = { clock: systemClock, ids: randomIds },
): Mailer {
  if (config.mail.smtpUrl !== undefined) return createSmtpMailer(config.mail.smtpUrl, config.mail.from);
  return createOutboxMailer(createOutboxRepository(db), deps);
}
