import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../../test/helpers/databases.ts';
import { insertTestUser } from '../../test/helpers/users.ts';
import { createAuditRepository } from '../audit/audit-repository.ts';
import { createAuditService } from '../audit/audit-service.ts';
import { createManualClock } from '../lib/clock.ts';
import { randomIds } from '../lib/ids.ts';
import type { Database } from '../storage/database.ts';
import { createCommunityRepository } from './community-repository.ts';
import { createCommunityService } from './community-service.ts';
import { createVerificationRepository } from './verification-repository.ts';
import { createVerificationService } from './verification-service.ts';

const DAY = 86_400_000;
const START = new Date('2026-03-01T12:00:00Z');

describeEachDatabase('verifications', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  function setup() {
    const clock = createManualClock(START);
    const audit = createAuditService({
      repository: createAuditRepository(database.db),
      clock,
      ids: randomIds,
    });
    const communities = createCommunityService({
      repository: createCommunityRepository(database.db),
      clock,
      cacheSeconds: 60,
    });
    const repository = createVerificationRepository(database.db);
    const verification = createVerificationService({ repository, communities, audit, clock, ids: randomIds });
    return { clock, audit, repository, verification };
  }

  const insertUser = () => insertTestUser(database.db, { birthDate: '1990-05-17' });

  it('attests a verification with the community validity as default expiry, auditing each transition', async () => {
    const { verification, audit, repository } = setup();
    const userId = await insertUser();
    const recorded = await verification.attest({
      userId,
      community: 'military',
      subgroups: ['Service Member', 'Service Member'],
      method: 'document',
      attributes: { military_branch: 'Army', years: 20, ranks: ['E-1', 'E-4'], unit: { name: 'A' } },
      actor: { type: 'administrator', id: 'admin-1' },
      origin: { requestId: 'req-1', ip: '127.0.0.1' },
    });
    expect(recorded).toMatchObject({
      userId,
      community: 'military',
      subgroups: ['Service Member'],
      status: 'verified',
      verifiedAt: START,
      expiresAt: new Date(START.getTime() + 365 * DAY),
      reviewerId: 'admin-1',
    });
    expect(await repository.findById(recorded.id)).toEqual(recorded);
    const events = await audit.list({ subjectType: 'verification', subjectId: recorded.id });
    expect(events.map((event) => event.event).sort()).toEqual([
      'verification.approved',
      'verification.evidence_submitted',
      'verification.started',
    ]);
    expect(events.find((event) => event.event === 'verification.approved')).toMatchObject({
      actorType: 'administrator',
      actorId: 'admin-1',
      requestId: 'req-1',
      data: { userId, community: 'military', subgroups: ['Service Member'], status: 'verified' },
    });
    for (const event of events) expect(JSON.stringify(event.data)).not.toContain('Army');
    expect(await verification.listEvidence(recorded.id)).toMatchObject([
      { kind: 'attestation', details: { actor: 'administrator', actorId: 'admin-1' } },
    ]);
  });

  it('lets a Veteran stay verified (no expiry for the subgroup), and a student for a year', async () => {
    const { verification } = setup();
    const userId = await insertUser();
    const veteran = await verification.attest({ userId, community: 'military', subgroups: ['Veteran'] });
    expect(veteran.expiresAt).toBeNull();
    const student = await verification.attest({
      userId,
      community: 'student',
      subgroups: ['University Student'],
    });
    expect(student.expiresAt).toEqual(new Date(START.getTime() + 365 * DAY));
  });

  it('keeps community attributes typed through storage', async () => {
    const { verification } = setup();
    const userId = await insertUser();
    const attributes = {
      alumni_school_name: 'State University',
      alumni_graduated: true,
      credits: 120,
      honours: ['cum laude'],
      advisor: { name: 'Dr. X', room: null },
    };
    await verification.attest({
      userId,
      community: 'alumni',
      subgroups: ['Alumni'],
      method: 'registry',
      attributes,
    });
    const current = await verification.currentVerification(userId, 'alumni');
    expect(current?.attributes).toEqual(attributes);
    expect(current?.expiresAt).toBeNull();
  });

  it('refuses unknown communities and subgroups, missing subgroups and bad times', async () => {
    const { verification } = setup();
    const userId = await insertUser();
    const base = { userId, community: 'military', subgroups: ['Veteran'], method: 'document' };
    await expect(verification.attest({ ...base, community: 'pirates' })).rejects.toMatchObject({
      code: 'verification.unknown_community',
      status: 400,
    });
    await expect(verification.attest({ ...base, subgroups: ['Veteran', 'Police'] })).rejects.toMatchObject({
      code: 'verification.unknown_subgroup',
      status: 400,
    });
    await expect(verification.attest({ ...base, subgroups: [] })).rejects.toMatchObject({
      code: 'verification.subgroups_required',
    });
    await expect(verification.attest({ ...base, expiresAt: new Date(Number.NaN) })).rejects.toMatchObject({
      code: 'verification.invalid',
    });
    await expect(verification.attest({ ...base, method: ' ' })).rejects.toMatchObject({
      code: 'verification.invalid',
    });
    await expect(
      verification.attest({ ...base, userId: randomBytes(16).toString('hex') }),
    ).rejects.toMatchObject({ code: 'verification.unknown_user', status: 404 });
    expect(await verification.listForUser(userId)).toEqual([]);
  });

  it('reports status per requested community, in order, skipping scopes that are not communities', async () => {
    const { verification } = setup();
    const userId = await insertUser();
    await verification.attest({
      userId,
      community: 'military',
      subgroups: ['Service Member'],
      method: 'email_code',
    });
    const student = await verification.start({ userId, community: 'student', method: 'document' });
    await verification.submitEvidence(student.id, { kind: 'document', details: {} });
    const teacher = await verification.start({ userId, community: 'teacher', method: 'document' });
    await verification.submitEvidence(teacher.id, { kind: 'document', details: {} });
    await verification.reject(teacher.id, { reasonCode: 'illegible' });
    expect(
      await verification.statusFor(userId, ['openid', 'student', 'military', 'teacher', 'nurse', 'nope']),
    ).toEqual([
      { group: 'student', subgroups: [], verified: false },
      { group: 'military', subgroups: ['Service Member'], verified: true },
      { group: 'teacher', subgroups: [], verified: false },
      { group: 'nurse', subgroups: [], verified: false },
    ]);
    expect(await verification.statusFor(userId, [])).toEqual([]);
    const other = await insertUser();
    expect(await verification.statusFor(other, ['military'])).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
  });

  it('never reports an expired verification as verified', async () => {
    const { verification, clock } = setup();
    const userId = await insertUser();
    const recorded = await verification.attest({
      userId,
      community: 'military',
      subgroups: ['Veteran'],
      method: 'document',
      expiresAt: new Date(START.getTime() + DAY),
    });
    clock.advance(DAY - 1);
    expect(await verification.statusFor(userId, ['military'])).toEqual([
      { group: 'military', subgroups: ['Veteran'], verified: true },
    ]);
    clock.advance(1);
    expect(await verification.statusFor(userId, ['military'])).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
    expect(await verification.currentVerification(userId, 'military')).toBeUndefined();
    expect(await verification.standingFor(userId, ['military'])).toEqual([
      {
        group: 'military',
        name: 'Military',
        subgroups: [],
        verified: false,
        attributes: {},
        attributeDefinitions: expect.any(Array),
      },
    ]);
    const [listed] = await verification.listForUser(userId);
    expect(listed).toMatchObject({ id: recorded.id, status: 'verified', effectiveStatus: 'expired' });
    // An explicit `now` wins over the clock.
    expect(await verification.statusFor(userId, ['military'], START)).toMatchObject([{ verified: true }]);
  });

  it('reports the most recent current verification, falling back to an older one when the newer expired', async () => {
    const { verification, clock } = setup();
    const userId = await insertUser();
    await verification.attest({
      userId,
      community: 'military',
      subgroups: ['Service Member'],
      method: 'document',
      attributes: { military_branch: 'Navy' },
    });
    clock.advance(10 * DAY);
    const newer = await verification.attest({
      userId,
      community: 'military',
      subgroups: ['Veteran'],
      method: 'document',
      attributes: { military_branch: 'Army' },
      expiresAt: new Date(clock.now().getTime() + DAY),
    });
    expect(await verification.currentVerification(userId, 'military')).toEqual(newer);
    expect(await verification.standingFor(userId, ['military'])).toEqual([
      {
        group: 'military',
        name: 'Military',
        subgroups: ['Veteran'],
        verified: true,
        attributes: { military_branch: 'Army' },
        attributeDefinitions: expect.arrayContaining([
          expect.objectContaining({ handle: 'military_branch' }),
        ]),
      },
    ]);
    clock.advance(DAY);
    expect(await verification.statusFor(userId, ['military'])).toEqual([
      { group: 'military', subgroups: ['Service Member'], verified: true },
    ]);
    expect((await verification.currentVerification(userId, 'military'))?.attributes).toEqual({
      military_branch: 'Navy',
    });
  });

  it("deletes a user's verifications with the user", async () => {
    const { verification } = setup();
    const userId = await insertUser();
    await verification.attest({
      userId,
      community: 'nurse',
      subgroups: ['Nurse'],
      method: 'registry',
    });
    await database.db.deleteFrom('users').where('id', '=', userId).execute();
    expect(await verification.listForUser(userId)).toEqual([]);
  });
});
