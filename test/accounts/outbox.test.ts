import { beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createOutboxRepository } from '../../src/mail/outbox-repository.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { migratedDatabases } from './support.ts';

describeEachDatabase('mail: development outbox', (target) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  it('keeps the mail when no SMTP server is configured, newest first', async () => {
    const clock = createManualClock();
    const config = loadConfig({});
    expect(config.mail.smtpUrl).toBeUndefined();
    const mailer = createMailer(config, database.db, { clock, ids: randomIds });
    await mailer.send({ to: 'ann@example.com', subject: 'First', text: 'one' });
    clock.advance(1_000);
    await mailer.send({ to: 'bob@example.com', subject: 'Second', text: 'two', html: '<p>two</p>' });
    clock.advance(1_000);
    await mailer.send({ to: 'cy@example.com', subject: 'Third', text: 'three' });

    const outbox = createOutboxRepository(database.db);
    const recent = await outbox.listRecent(2);
    expect(recent).toEqual([
      {
        id: expect.any(String),
        to: 'cy@example.com',
        subject: 'Third',
        text: 'three',
        html: null,
        createdAt: clock.now().getTime(),
      },
      expect.objectContaining({
        to: 'bob@example.com',
        html: '<p>two</p>',
        createdAt: clock.now().getTime() - 1_000,
      }),
    ]);
    expect((await outbox.listRecent(10)).map((message) => message.subject)).toEqual([
      'Third',
      'Second',
      'First',
    ]);
  });
});
