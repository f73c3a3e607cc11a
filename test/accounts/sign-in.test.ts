import { beforeEach, expect, it } from 'vitest';
import { RetryLaterError } from '../../src/accounts/errors.ts';
import { createPasswordHasher, type PasswordHasher } from '../../src/accounts/password.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import {
  accountsHarness,
  fastPasswords,
  migratedDatabases,
  person,
  type AccountsHarness,
} from './support.ts';

const ip = { ip: '198.51.100.20' };
const MINUTE = 60_000;

async function failure(
  promise: Promise<unknown>,
): Promise<{ code?: string; status?: number; message?: string }> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error === undefined) throw new Error('expected a failure');
  return error as { code?: string; status?: number; message?: string };
}

describeEachDatabase('accounts: sign-in and brute-force protection', (target) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  async function withUser(
    passwords: PasswordHasher = fastPasswords,
  ): Promise<AccountsHarness & { id: string }> {
    const harness = accountsHarness(database, { passwords });
    const { id } = await harness.accounts.createByOperator(person);
    return { ...harness, id };
  }

  const wrong = (harness: AccountsHarness, email = person.email, from = ip) =>
    failure(harness.accounts.authenticate(email, 'wrong password', from));

  it('signs in with the right password, whatever the case of the email', async () => {
    const harness = await withUser();
    const user = await harness.accounts.authenticate(' ANN.example@example.com ', person.password, {
      ip: '198.51.100.20',
      requestId: 'req-9',
    });
    expect(user.id).toBe(harness.id);
    expect((await harness.audit.list({ subjectId: user.id }))[0]).toMatchObject({
      event: 'user.signed_in',
      actorId: user.id,
      ip: '198.51.100.20',
      requestId: 'req-9',
    });
  });

  it('gives the same answer for a wrong password and an unknown email, after the same work', async () => {
    const calls: string[] = [];
    const real = fastPasswords;
    const spy: PasswordHasher = {
      ...real,
      verify: (stored, password) => (calls.push('verify'), real.verify(stored, password)),
      verifyNothing: (password) => (calls.push('verifyNothing'), real.verifyNothing(password)),
    };
    const harness = await withUser(spy);
    const wrongPassword = await wrong(harness);
    const unknownEmail = await wrong(harness, 'nobody@example.com');
    expect(wrongPassword).toMatchObject({ code: 'accounts.invalid_credentials', status: 401 });
    expect(unknownEmail).toEqual(wrongPassword);
    expect(unknownEmail.message).toBe(wrongPassword.message);
    expect(calls).toEqual(['verify', 'verifyNothing']);
    const failed = await harness.audit.list({ subjectId: harness.id });
    expect(failed.map((event) => event.event)).toEqual(['user.sign_in_failed', 'user.created']);
    expect(JSON.stringify(await harness.audit.list())).not.toContain('wrong password');
  });

  it('locks an account after 5 failures, backing off 1, 2, 4 … minutes, even for the right password', async () => {
    const harness = await withUser();
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await wrong(harness)).toMatchObject({ code: 'accounts.invalid_credentials' });
    }
    const locked = await harness.accounts
      .authenticate(person.email, person.password, ip)
      .catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(RetryLaterError);
    expect(locked).toMatchObject({
      code: 'accounts.too_many_attempts',
      status: 429,
      retryAfterSeconds: 60,
      detail: { retryAfterSeconds: 60 },
    });
    // Another address makes no difference: the lock is on the account.
    expect(await wrong(harness, person.email, { ip: '203.0.113.5' })).toMatchObject({
      retryAfterSeconds: 60,
    });

    harness.clock.advance(MINUTE);
    expect(await wrong(harness)).toMatchObject({ code: 'accounts.invalid_credentials' });
    expect(await wrong(harness)).toMatchObject({
      code: 'accounts.too_many_attempts',
      retryAfterSeconds: 120,
    });
    harness.clock.advance(2 * MINUTE);
    await wrong(harness);
    expect(await wrong(harness)).toMatchObject({ retryAfterSeconds: 240 });
    harness.clock.advance(4 * MINUTE);
    const events = (await harness.audit.list({ subjectId: harness.id })).map((event) => event.event);
    expect(events.filter((event) => event === 'user.locked')).toHaveLength(3);

    // A success resets the count: the next lock starts again at one minute.
    expect((await harness.accounts.authenticate(person.email, person.password, ip)).id).toBe(harness.id);
    for (let attempt = 1; attempt <= 4; attempt++) await wrong(harness);
    expect((await harness.accounts.authenticate(person.email, person.password, ip)).id).toBe(harness.id);
    for (let attempt = 1; attempt <= 5; attempt++) await wrong(harness);
    expect(await wrong(harness)).toMatchObject({ retryAfterSeconds: 60 });
  });

  it('caps the back-off at one hour', async () => {
    const harness = await withUser();
    for (let attempt = 1; attempt <= 5; attempt++) await wrong(harness);
    const waits: number[] = [];
    for (let round = 0; round < 8; round++) {
      const { retryAfterSeconds } = (await wrong(harness)) as { retryAfterSeconds: number };
      waits.push(retryAfterSeconds);
      harness.clock.advance(retryAfterSeconds * 1000);
      await wrong(harness);
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });

  it('locks unknown emails the same way, revealing nothing', async () => {
    const harness = await withUser();
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await wrong(harness, 'nobody@example.com')).toMatchObject({
        code: 'accounts.invalid_credentials',
      });
    }
    expect(await wrong(harness, 'NOBODY@example.com')).toMatchObject({
      code: 'accounts.too_many_attempts',
      retryAfterSeconds: 60,
    });
    expect((await harness.accounts.authenticate(person.email, person.password, ip)).id).toBe(harness.id);
  });

  it('allows 20 failures per address per 10 minutes, whichever accounts they target', async () => {
    const harness = await withUser();
    const attacker = { ip: '192.0.2.66' };
    for (let attempt = 0; attempt < 20; attempt++) {
      expect(await wrong(harness, `victim${attempt}@example.com`, attacker)).toMatchObject({
        code: 'accounts.invalid_credentials',
      });
    }
    const refused = await failure(harness.accounts.authenticate(person.email, person.password, attacker));
    expect(refused).toMatchObject({ code: 'accounts.too_many_attempts', retryAfterSeconds: 600 });
    expect((await harness.accounts.authenticate(person.email, person.password, ip)).id).toBe(harness.id);
    harness.clock.advance(10 * MINUTE);
    expect((await harness.accounts.authenticate(person.email, person.password, attacker)).id).toBe(
      harness.id,
    );
  });

  it('counts an IPv6 /64 as one address', async () => {
    const harness = await withUser();
    for (let attempt = 0; attempt < 20; attempt++) {
      await wrong(harness, `victim${attempt}@example.com`, { ip: `2001:db8:1:2::${attempt.toString(16)}` });
    }
    expect(await wrong(harness, person.email, { ip: '2001:db8:1:2:ffff::1' })).toMatchObject({
      code: 'accounts.too_many_attempts',
    });
    expect(await wrong(harness, person.email, { ip: '2001:db8:1:3::1' })).toMatchObject({
      code: 'accounts.invalid_credentials',
    });
  });

  it('lets an operator unlock an account', async () => {
    const harness = await withUser();
    for (let attempt = 1; attempt <= 5; attempt++) await wrong(harness);
    await harness.accounts.unlockSignIn(person.email, { type: 'operator', id: 'ops' });
    expect((await harness.accounts.authenticate(person.email, person.password, ip)).id).toBe(harness.id);
    expect((await harness.audit.list({ subjectId: harness.id }))[1]).toMatchObject({
      event: 'user.unlocked',
      actorId: 'ops',
    });
  });

  it('rehashes a password stored with weaker parameters at the next sign-in', async () => {
    const weak = createPasswordHasher({ memoryCost: 4096, timeCost: 1, parallelism: 1 });
    const harness = accountsHarness(database, { passwords: weak });
    const { id } = await harness.accounts.createByOperator(person);
    const before = (await harness.users.findById(id))?.passwordHash;
    expect(before).toMatch(/\$m=4096,t=1,p=1\$/);

    const upgraded = accountsHarness(database);
    await expect(upgraded.accounts.authenticate(person.email, 'wrong password', ip)).rejects.toMatchObject({
      code: 'accounts.invalid_credentials',
    });
    expect((await upgraded.users.findById(id))?.passwordHash).toBe(before);
    await upgraded.accounts.authenticate(person.email, person.password, ip);
    const after = (await upgraded.users.findById(id))?.passwordHash;
    expect(after).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await upgraded.accounts.authenticate(person.email, person.password, ip);
    expect((await upgraded.users.findById(id))?.passwordHash).toBe(after);
  });
});
