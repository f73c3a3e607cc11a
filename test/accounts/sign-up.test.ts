import { parseOptions } from '@node-rs/argon2';
import { beforeEach, expect, it } from 'vitest';
import { InvalidInputError, RetryLaterError } from '../../src/accounts/errors.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { accountsHarness, fastPasswords, latestCode, migratedDatabases, person } from './support.ts';

describeEachDatabase('accounts: sign-up and email verification', (target) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  it('creates an unverified user with a random hex id and mails a verification code', async () => {
    const harness = accountsHarness(database);
    const pending = await harness.accounts.signUp(
      { ...person, email: '  Ann.Example@Example.COM ', postalCode: ' 22102 ', birthDate: '1990-02-28' },
      { ip: '203.0.113.9', requestId: 'req-1' },
    );
    expect(pending).toEqual({ id: expect.any(String), email: 'Ann.Example@Example.COM' });
    const user = (await harness.accounts.findById(pending.id))!;
    expect(user).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      email: 'Ann.Example@Example.COM',
      emailVerified: false,
      emailVerifiedAt: null,
      firstName: 'Ann',
      postalCode: '22102',
      birthDate: '1990-02-28',
    });
    expect(user).not.toHaveProperty('passwordHash');
    const second = await harness.accounts.signUp({ ...person, email: 'other@example.com' });
    expect(second.id).not.toBe(user.id);

    const [mail] = await harness.outbox.listRecent(10).then((all) => all.filter((m) => m.to === user.email));
    expect(mail?.text).toMatch(/^Your Vetted verification code is \d{6}\. It expires in 10 minutes\./);
    const events = await harness.audit.list({ subjectType: 'user', subjectId: user.id });
    expect(events).toEqual([
      expect.objectContaining({
        event: 'user.created',
        actorId: user.id,
        ip: '203.0.113.9',
        requestId: 'req-1',
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(person.password);
  });

  it('stores the password as Argon2id at the OWASP parameters, never in clear', async () => {
    const harness = accountsHarness(database);
    const user = await harness.accounts.signUp(person);
    const stored = (await harness.users.findById(user.id))?.passwordHash ?? '';
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(parseOptions(stored)).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(stored).not.toContain(person.password);
  });

  it('treats email addresses case-insensitively and makes no second account for one', async () => {
    const { accounts, outbox } = accountsHarness(database, { passwords: fastPasswords });
    const user = await accounts.signUp(person);
    expect((await accounts.findByEmail(' ann.example@example.com'))?.id).toBe(user.id);
    expect((await accounts.findById(user.id))?.email).toBe(person.email);
    // The same kind of answer as for a new address, but a decoy: no account, a mail to the owner.
    const again = await accounts.signUp({ ...person, email: 'ANN.EXAMPLE@example.com', firstName: 'Eve' });
    expect(again).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), email: 'ANN.EXAMPLE@example.com' });
    expect(await accounts.findById(again.id)).toBeUndefined();
    expect(await accounts.pendingSignUp(again.id)).toEqual(again);
    expect((await accounts.findByEmail(person.email))?.firstName).toBe('Ann');
    const mails = await outbox.listRecent(10);
    expect(mails.map((mail) => [mail.to, mail.subject.replace(/^\d{6}/, 'CODE')]).sort()).toEqual([
      [person.email, 'CODE is your Vetted verification code'],
      [person.email, 'Someone tried to create a Vetted account with your address'],
    ]);
    await expect(accounts.confirmEmail(again.id, '123456')).rejects.toMatchObject({
      code: 'accounts.code_invalid',
    });
    await expect(
      accounts.createByOperator({ ...person, email: 'ann.example@EXAMPLE.com' }),
    ).rejects.toMatchObject({ code: 'accounts.email_taken' });
    expect(await accounts.findByEmail('nobody@example.com')).toBeUndefined();
  });

  it('makes exactly one account of two simultaneous sign-ups for one address', async () => {
    const { accounts } = accountsHarness(database, { passwords: fastPasswords });
    const results = await Promise.all([
      accounts.signUp(person),
      accounts.signUp({ ...person, email: person.email.toLowerCase() }),
    ]);
    const made = await Promise.all(results.map((pending) => accounts.findById(pending.id)));
    expect(made.filter((user) => user !== undefined)).toHaveLength(1);
  });

  it('names every invalid field', async () => {
    const { accounts } = accountsHarness(database, { passwords: fastPasswords });
    const error = await accounts
      .signUp({ email: 'not-an-email', password: 'short', firstName: ' ', lastName: 'x'.repeat(101) })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ code: 'accounts.invalid_input', status: 400 });
    expect(Object.keys((error as InvalidInputError).fields).sort()).toEqual([
      'email',
      'firstName',
      'lastName',
      'password',
    ]);
  });

  it('creates verified users for operators, with or without a password', async () => {
    const harness = accountsHarness(database, { passwords: fastPasswords });
    const user = await harness.accounts.createByOperator(
      { ...person, password: undefined },
      { type: 'operator', id: 'ops' },
    );
    expect(user.emailVerified).toBe(true);
    expect(user.emailVerifiedAt).toEqual(harness.clock.now());
    expect(await harness.outbox.listRecent(10)).toEqual([]);
    await expect(
      harness.accounts.authenticate(person.email, person.password, { ip: '192.0.2.1' }),
    ).rejects.toMatchObject({ code: 'accounts.invalid_credentials' });
    const withPassword = await harness.accounts.createByOperator({ ...person, email: 'b@example.com' });
    expect(
      (await harness.accounts.authenticate('b@example.com', person.password, { ip: '192.0.2.1' })).id,
    ).toBe(withPassword.id);
    const created = (await harness.audit.list({ subjectId: user.id })).at(-1);
    expect(created).toMatchObject({ event: 'user.created', actorType: 'operator', actorId: 'ops' });
  });

  it('confirms the email with the mailed code, once', async () => {
    const harness = accountsHarness(database, { passwords: fastPasswords });
    const user = await harness.accounts.signUp(person);
    await expect(harness.accounts.confirmEmail(user.id, '000000x')).rejects.toMatchObject({
      code: 'accounts.code_invalid',
    });
    const verified = await harness.accounts.confirmEmail(user.id, await latestCode(harness), {
      ip: '192.0.2.7',
    });
    expect(verified).toMatchObject({
      id: user.id,
      emailVerified: true,
      emailVerifiedAt: harness.clock.now(),
    });
    expect((await harness.audit.list({ subjectId: user.id }))[0]).toMatchObject({
      event: 'user.email_verified',
      ip: '192.0.2.7',
    });
    await expect(harness.accounts.sendEmailVerification(user.id)).rejects.toMatchObject({
      code: 'accounts.email_already_verified',
    });
    const audited = JSON.stringify(await harness.audit.list());
    expect(audited).not.toContain(await latestCode(harness));
  });

  it('sends at most one code a minute, and a new code replaces the old one', async () => {
    const harness = accountsHarness(database, { passwords: fastPasswords });
    const user = await harness.accounts.signUp(person);
    const first = await latestCode(harness);
    harness.clock.advance(15_000);
    const throttled = await harness.accounts.sendEmailVerification(user.id).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(RetryLaterError);
    expect(throttled).toMatchObject({
      code: 'accounts.code_throttled',
      status: 429,
      retryAfterSeconds: 45,
      detail: { retryAfterSeconds: 45 },
    });
    harness.clock.advance(45_000);
    const { expiresAt } = await harness.accounts.sendEmailVerification(user.id);
    expect(expiresAt).toEqual(new Date(harness.clock.now().getTime() + 10 * 60_000));
    const second = await latestCode(harness);
    expect(await harness.outbox.listRecent(10)).toHaveLength(2);
    if (first !== second) {
      await expect(harness.accounts.confirmEmail(user.id, first)).rejects.toMatchObject({
        code: 'accounts.code_invalid',
      });
    }
    expect((await harness.accounts.confirmEmail(user.id, second)).emailVerified).toBe(true);
    await expect(harness.accounts.sendEmailVerification('f'.repeat(32))).rejects.toMatchObject({
      code: 'accounts.user_not_found',
      status: 404,
    });
  });

  it('keeps the account when the mail cannot be sent, and lets the user ask again at once', async () => {
    let failing = true;
    const sent: string[] = [];
    const mailer: Mailer = {
      send(message) {
        if (failing) return Promise.reject(new Error('SMTP is down'));
        sent.push(message.text);
        return Promise.resolve();
      },
    };
    const { accounts } = accountsHarness(database, { passwords: fastPasswords, mailer });
    const user = await accounts.signUp(person);
    expect((await accounts.findById(user.id))?.emailVerified).toBe(false);
    failing = false;
    await accounts.sendEmailVerification(user.id);
    expect(sent).toHaveLength(1);
  });

  it("a registered address's code page answers as an unreceived code would: wrong, expired, renewed", async () => {
    const harness = accountsHarness(database, { passwords: fastPasswords });
    await harness.accounts.createByOperator(person);
    const decoy = await harness.accounts.signUp(person);
    await expect(harness.accounts.sendEmailVerification(decoy.id)).rejects.toMatchObject({
      code: 'accounts.code_throttled',
    });
    harness.clock.advance(10 * 60_000);
    await expect(harness.accounts.confirmEmail(decoy.id, '123456')).rejects.toMatchObject({
      code: 'accounts.code_expired',
    });
    await harness.accounts.sendEmailVerification(decoy.id);
    await expect(harness.accounts.confirmEmail(decoy.id, '123456')).rejects.toMatchObject({
      code: 'accounts.code_invalid',
    });
  });

  it('limits sign-ups per address and per network for an hour, whether the address is known or not', async () => {
    const harness = accountsHarness(database, { passwords: fastPasswords });
    await harness.accounts.createByOperator(person);
    for (let attempt = 0; attempt < 5; attempt++) await harness.accounts.signUp(person, { ip: '192.0.2.1' });
    const refused = await harness.accounts
      .signUp(person, { ip: '192.0.2.2' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect(refused).toMatchObject({
      code: 'accounts.sign_up_throttled',
      status: 429,
      retryAfterSeconds: 3600,
    });
    for (let attempt = 0; attempt < 15; attempt++) {
      await harness.accounts.signUp({ ...person, email: `n${attempt}@example.com` }, { ip: '192.0.2.1' });
    }
    await expect(
      harness.accounts.signUp({ ...person, email: 'one.more@example.com' }, { ip: '192.0.2.1' }),
    ).rejects.toMatchObject({
      code: 'accounts.sign_up_throttled',
      message: expect.stringMatching(/network/),
    });
    harness.clock.advance(3_600_000);
    await expect(harness.accounts.signUp(person, { ip: '192.0.2.1' })).resolves.toMatchObject({
      email: person.email,
    });
  });
});
