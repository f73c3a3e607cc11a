import { beforeEach, expect, it } from 'vitest';
import {
  describeEachDatabase,
  migratedDatabases,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import type { Database } from '../../storage/database.ts';
import { codeIn, insertUser, IP, setUpEmailDomainMethod } from './email-domain.test-support.ts';

describeEachDatabase('email-domain code throttling', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  it('sends at most one code a minute per user and community', async () => {
    const { clock, mailer, method, military, student, userId } = await setUpEmailDomainMethod(database);
    await method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP });
    clock.advance(20_000);
    const refused = method.sendCode({ userId, community: military, address: 'sam@navy.mil', ip: IP });
    await expect(refused).rejects.toMatchObject({
      code: 'verification.code_throttled',
      status: 429,
      message: 'A code was sent a moment ago. Wait 40 seconds before asking for another.',
      detail: { retryAfterSeconds: 40 },
    });
    // Another community is another counter.
    await method.sendCode({ userId, community: student, address: 'sam@mit.edu', ip: IP });
    clock.advance(40_000);
    await method.sendCode({ userId, community: military, address: 'sam@navy.mil', ip: IP });
    expect(mailer.sent.map((mail) => mail.to)).toEqual(['sam@army.mil', 'sam@mit.edu', 'sam@navy.mil']);
  });

  it('sends at most five codes a day per user and community, and ten an hour per network', async () => {
    const { clock, method, military, student, userId } = await setUpEmailDomainMethod(database);
    for (let sent = 0; sent < 5; sent++) {
      await method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP });
      clock.advance(60_000);
    }
    await expect(
      method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP }),
    ).rejects.toMatchObject({
      code: 'verification.code_throttled',
      message: expect.stringContaining(
        'You have asked for 5 codes for Military recently. Try again in 24 hours.',
      ),
    });
    // The refusal used none of the network's allowance: five more codes from it pass, the eleventh does not.
    for (let sent = 0; sent < 5; sent++) {
      const otherUser = await insertUser(database);
      await method.sendCode({ userId: otherUser, community: student, address: 'kim@mit.edu', ip: IP });
    }
    await expect(
      method.sendCode({
        userId: await insertUser(database),
        community: student,
        address: 'kim@mit.edu',
        ip: '203.0.113.8',
      }),
    ).resolves.toMatchObject({ subgroup: 'University Student' });
    await expect(
      method.sendCode({ userId, community: student, address: 'sam@mit.edu', ip: IP }),
    ).rejects.toMatchObject({
      code: 'verification.code_throttled',
      message: expect.stringContaining('Too many codes were asked for from your network.'),
    });
  });

  it('leaves no throttle when the mail cannot be sent', async () => {
    const { mailer, method, military, userId } = await setUpEmailDomainMethod(database);
    mailer.failing = true;
    await expect(
      method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP }),
    ).rejects.toThrow('SMTP server unavailable');
    mailer.failing = false;
    await method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP });
    await expect(
      method.confirmCode({ userId, community: military, code: codeIn(mailer.sent[0]) }),
    ).resolves.toEqual({ address: 'sam@army.mil', subgroup: 'Service Member' });
  });
});
