import { beforeEach, expect, it } from 'vitest';
import {
  describeEachDatabase,
  migratedDatabases,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import type { Database } from '../../storage/database.ts';
import { codeIn, insertUser, IP, otherCode, setUpEmailDomainMethod } from './email-domain.test-support.ts';

describeEachDatabase('email-domain verification method', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  it('mails a code to the address and confirms it for the rule’s subgroup', async () => {
    const { clock, mailer, method, military, userId } = await setUpEmailDomainMethod(database);
    const sent = await method.sendCode({
      userId,
      community: military,
      address: ' Sam.Smith@Army.MIL ',
      ip: IP,
    });
    expect(sent).toEqual({
      address: 'sam.smith@army.mil',
      subgroup: 'Service Member',
      expiresAt: new Date(clock.now().getTime() + 10 * 60_000),
    });
    expect(mailer.sent).toHaveLength(1);
    const [mail] = mailer.sent;
    expect(mail).toMatchObject({ to: 'sam.smith@army.mil', subject: 'Your Vetted code for Military' });
    expect(mail?.text).toContain('expires in 10 minutes');
    expect(mail?.text).toContain('If you did not ask for this code, you can ignore this email');

    clock.advance(5 * 60_000);
    const confirmed = await method.confirmCode({ userId, community: military, code: codeIn(mail) });
    expect(confirmed).toEqual({ address: 'sam.smith@army.mil', subgroup: 'Service Member' });
    // Single use.
    await expect(
      method.confirmCode({ userId, community: military, code: codeIn(mail) }),
    ).rejects.toMatchObject({
      code: 'verification.code_invalid',
      status: 400,
    });
  });

  it('refuses an address outside the community’s domains, saying which are accepted', async () => {
    const { mailer, method, military, student, userId } = await setUpEmailDomainMethod(database);
    await expect(
      method.sendCode({ userId, community: military, address: 'sam@gmail.com', ip: IP }),
    ).rejects.toMatchObject({
      code: 'verification.email_domain_not_accepted',
      status: 400,
      message:
        'An address at gmail.com does not prove membership of Military. Use an address ending in .mil.',
    });
    await expect(
      method.sendCode({ userId, community: student, address: 'sam@army.mil', ip: IP }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('Use an address ending in .edu.'),
    });
    await expect(
      method.sendCode({ userId, community: military, address: 'sam@army.mil.evil.com', ip: IP }),
    ).rejects.toMatchObject({
      code: 'verification.email_domain_not_accepted',
    });
    for (const address of [
      '',
      'sam',
      'sam@@army.mil',
      'a@b@army.mil',
      '@army.mil',
      'sam@army.mil.',
      'sam,x@army.mil',
    ]) {
      await expect(
        method.sendCode({ userId, community: military, address, ip: IP }),
        address,
      ).rejects.toMatchObject({
        code: 'verification.invalid_email_address',
        status: 400,
      });
    }
    expect(mailer.sent).toEqual([]);
  });

  it('refuses the sixth attempt even with the right code', async () => {
    const { mailer, method, military, userId } = await setUpEmailDomainMethod(database);
    await method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP });
    const code = codeIn(mailer.sent[0]);
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(
        method.confirmCode({ userId, community: military, code: otherCode(code) }),
      ).rejects.toMatchObject({
        code: 'verification.code_invalid',
      });
    }
    await expect(method.confirmCode({ userId, community: military, code })).rejects.toMatchObject({
      code: 'verification.code_too_many_attempts',
      status: 429,
      message: 'Too many wrong codes. Ask for a new one.',
    });
  });

  it('refuses a code after ten minutes', async () => {
    const { clock, mailer, method, military, userId } = await setUpEmailDomainMethod(database);
    await method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP });
    clock.advance(10 * 60_000);
    await expect(
      method.confirmCode({ userId, community: military, code: codeIn(mailer.sent[0]) }),
    ).rejects.toMatchObject({
      code: 'verification.code_expired',
      message: 'That code has expired. Ask for a new one.',
    });
  });

  it('does not confirm a code sent for another community', async () => {
    const { mailer, method, military, student, userId } = await setUpEmailDomainMethod(database);
    await method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP });
    const code = codeIn(mailer.sent[0]);
    await expect(method.confirmCode({ userId, community: student, code })).rejects.toMatchObject({
      code: 'verification.code_invalid',
    });
    await expect(
      method.confirmCode({ userId: await insertUser(database), community: military, code }),
    ).rejects.toMatchObject({
      code: 'verification.code_invalid',
    });
    await expect(method.confirmCode({ userId, community: military, code })).resolves.toMatchObject({
      subgroup: 'Service Member',
    });
  });

  it('refuses a code whose rule was removed after it was sent', async () => {
    const { mailer, method, military, rules, userId } = await setUpEmailDomainMethod(database);
    await method.sendCode({ userId, community: military, address: 'sam@army.mil', ip: IP });
    for (const rule of await rules.list('military')) await rules.remove(rule.id);
    await expect(
      method.confirmCode({ userId, community: military, code: codeIn(mailer.sent[0]) }),
    ).rejects.toMatchObject({
      code: 'verification.email_domain_not_accepted',
      message:
        'An address at army.mil does not prove membership of Military. Military cannot be verified with an ' +
        'email address. Choose another way to verify.',
    });
  });
});
