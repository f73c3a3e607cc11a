import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { createOneTimeCodeRepository } from '../../src/accounts/one-time-code-repository.ts';
import { createOneTimeCodeService } from '../../src/accounts/one-time-codes.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { accountsHarness, fastPasswords, migratedDatabases, person } from './support.ts';

const purpose = 'community_email';
const address = 'ann@army.mil';

describeEachDatabase('accounts: one-time codes', (target) => {
  const databases = migratedDatabases(target);
  let database: Database;
  let userId: string;
  const clock = createManualClock();
  let codes: ReturnType<typeof createOneTimeCodeService>;

  beforeEach(async () => {
    database = await databases.fresh();
    userId = (await accountsHarness(database, { passwords: fastPasswords }).accounts.createByOperator(person))
      .id;
    codes = createOneTimeCodeService({
      repository: createOneTimeCodeRepository(database.db),
      masterKey: randomBytes(32),
      clock,
      ids: randomIds,
    });
  });

  const consume = (code: string, forPurpose = purpose) =>
    codes.consume({ userId, purpose: forPurpose, code });
  const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('issues six random digits, stores only a keyed hash, and accepts the code once', async () => {
    const issued = await codes.issue({ userId, purpose, address });
    expect(issued.code).toMatch(/^\d{6}$/);
    expect(issued.expiresAt).toEqual(new Date(clock.now().getTime() + 10 * 60_000));
    const rows = await database.db.selectFrom('one_time_codes').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(issued.code);

    expect(await consume(` ${issued.code.slice(0, 3)} ${issued.code.slice(3)} `)).toEqual({ address });
    await expect(consume(issued.code)).rejects.toMatchObject({ code: 'accounts.code_invalid', status: 400 });
  });

  it('expires after ten minutes', async () => {
    const { code } = await codes.issue({ userId, purpose, address });
    clock.advance(10 * 60_000 - 1);
    const early = await codes.issue({ userId, purpose, address });
    expect(await consume(early.code)).toEqual({ address });
    const late = await codes.issue({ userId, purpose, address });
    clock.advance(10 * 60_000);
    await expect(consume(late.code)).rejects.toMatchObject({ code: 'accounts.code_expired' });
    await expect(consume(code)).rejects.toMatchObject({ code: 'accounts.code_expired' });
  });

  it('allows five attempts: the sixth fails even with the right code', async () => {
    const { code } = await codes.issue({ userId, purpose, address });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await expect(consume(wrongCode(code))).rejects.toMatchObject({ code: 'accounts.code_invalid' });
    }
    await expect(consume(code)).rejects.toMatchObject({
      code: 'accounts.code_too_many_attempts',
      status: 429,
    });
    const fresh = await codes.issue({ userId, purpose, address });
    for (let attempt = 1; attempt <= 4; attempt++)
      await consume(wrongCode(fresh.code)).catch(() => undefined);
    expect(await consume(fresh.code)).toEqual({ address });
  });

  it('counts malformed guesses as attempts too', async () => {
    const { code } = await codes.issue({ userId, purpose, address });
    for (const guess of ['', 'abcdef', '1234567', '12345', '12a456']) {
      await expect(consume(guess)).rejects.toMatchObject({ code: 'accounts.code_invalid' });
    }
    await expect(consume(code)).rejects.toMatchObject({ code: 'accounts.code_too_many_attempts' });
  });

  it('replaces older codes for the same user and purpose, not for other purposes', async () => {
    const first = await codes.issue({ userId, purpose, address });
    const other = await codes.issue({ userId, purpose: 'email_verification', address: person.email });
    const second = await codes.issue({ userId, purpose, address: 'ann@navy.mil' });
    if (first.code !== second.code) {
      await expect(consume(first.code)).rejects.toMatchObject({ code: 'accounts.code_invalid' });
    }
    await expect(
      consume(other.code === second.code ? wrongCode(other.code) : other.code),
    ).rejects.toMatchObject({
      code: 'accounts.code_invalid',
    });
    expect(await consume(second.code)).toEqual({ address: 'ann@navy.mil' });
    expect(await consume(other.code, 'email_verification')).toEqual({ address: person.email });
    await expect(codes.consume({ userId: 'f'.repeat(32), purpose, code: second.code })).rejects.toMatchObject(
      { code: 'accounts.code_invalid' },
    );
  });

  it('is consumed by exactly one of several simultaneous attempts', async () => {
    const { code } = await codes.issue({ userId, purpose, address });
    const results = await Promise.allSettled([consume(code), consume(code), consume(code), consume(code)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('never exceeds the attempt allowance under simultaneous guesses', async () => {
    const { code } = await codes.issue({ userId, purpose, address });
    await Promise.allSettled(Array.from({ length: 12 }, () => consume(wrongCode(code))));
    const [row] = await database.db.selectFrom('one_time_codes').select('attempts').execute();
    expect(row?.attempts).toBe(5);
    await expect(consume(code)).rejects.toMatchObject({ code: 'accounts.code_too_many_attempts' });
  });

  it('deletes expired codes on clean-up', async () => {
    await codes.issue({ userId, purpose, address });
    const repository = createOneTimeCodeRepository(database.db);
    expect(await repository.deleteExpired(clock.now().getTime())).toBe(0);
    expect(await repository.deleteExpired(clock.now().getTime() + 10 * 60_000 + 1)).toBe(1);
  });
});
