import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import { randomIds } from '../lib/ids.ts';
import type { Mailer } from './mailer.ts';
import type { OutboxRepository } from './outbox-repository.ts';

/** Development mail: stored in the database instead of sent, readable at /dev/outbox. */
export function createOutboxMailer(
  repository: OutboxRepository,
  deps: { clock: Clock; ids: IdGenerator } = { clock: systemClock, ids: randomIds },
): Mailer {
  return {
    async send(message) {
      await repository.insert({
        id: deps.ids.uuid(),
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? null,
        createdAt: deps.clock.now().getTime(),
      });
    },
  };
}
