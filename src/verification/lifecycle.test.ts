import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../../test/helpers/databases.ts';
import { insertTestUser } from '../../test/helpers/users.ts';
import { createAuditRepository } from '../audit/audit-repository.ts';
import { createAuditService } from '../audit/audit-service.ts';
import { createManualClock } from '../lib/clock.ts';
import { randomIds } from '../lib/ids.ts';
import type { Database } from '../storage/database.ts';
import { createCommunityRepository } from './community-repository.ts';
import { createCommunityService } from './community-service.ts';
import {
  nextStatus,
  transitions,
  verificationEvents,
  verificationStatuses,
  type VerificationStatus,
} from './state.ts';
import type { Verification } from './types.ts';
import { createVerificationRepository } from './verification-repository.ts';
import { createVerificationService } from './verification-service.ts';

const DAY = 86_400_000;

describe('verification state machine', () => {
  // Every (status, event) pair: the status it leads to, or '-' when the table refuses it.
  const table: Record<VerificationStatus, string[]> = {
    //                   submit                begin_review  approve     reject      resubmission          expire     revoke
    started: ['evidence_submitted', '-', '-', '-', '-', '-', '-'],
    evidence_submitted: ['-', 'in_review', 'verified', 'rejected', 'needs_resubmission', '-', '-'],
    in_review: ['-', '-', 'verified', 'rejected', 'needs_resubmission', '-', '-'],
    verified: ['-', '-', '-', '-', '-', 'expired', 'revoked'],
    rejected: ['-', '-', '-', '-', '-', '-', '-'],
    needs_resubmission: ['evidence_submitted', '-', '-', '-', '-', '-', '-'],
    expired: ['-', '-', '-', '-', '-', '-', '-'],
    revoked: ['-', '-', '-', '-', '-', '-', '-'],
  };

  it.each(verificationStatuses.map((status) => [status]))(
    '%s: allows exactly the transitions of the table',
    (status) => {
      const actual = verificationEvents.map((event) => nextStatus(status, event) ?? '-');
      expect(actual).toEqual(table[status]);
    },
  );

  it('names an audit verb for every event', () => {
    expect(Object.values(transitions).map((transition) => transition.audit)).toEqual([
      'evidence_submitted',
      'review_started',
      'approved',
      'rejected',
      'resubmission_requested',
      'expired',
      'revoked',
    ]);
  });
});

describeEachDatabase('verification lifecycle', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  function setup() {
    const clock = createManualClock(new Date('2026-03-01T12:00:00Z'));
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
    const deleted: Verification[] = [];
    const verification = createVerificationService({
      repository: createVerificationRepository(database.db),
      communities,
      audit,
      clock,
      ids: randomIds,
      beforeDelete: (gone) => {
        deleted.push(gone);
        return Promise.resolve();
      },
    });
    const events = async (id: string) =>
      (await audit.list({ subjectType: 'verification', subjectId: id }))
        .map((event) => event.event)
        .reverse();
    return { clock, verification, events, deleted };
  }

  const insertUser = () => insertTestUser(database.db);

  it('takes a document through review to verified, auditing every step', async () => {
    const { verification, events, clock } = setup();
    const userId = await insertUser();
    const started = await verification.start({ userId, community: 'military', method: 'document' });
    expect(started.status).toBe('started');
    clock.advance(60_000);
    const submitted = await verification.submitEvidence(
      started.id,
      { kind: 'document', details: { documentType: 'dd214' }, subgroups: ['Veteran'] },
      { actor: { type: 'user', id: userId } },
    );
    expect(submitted).toMatchObject({
      status: 'evidence_submitted',
      subgroups: ['Veteran'],
      submittedAt: clock.now(),
    });
    await verification.beginReview(started.id, { actor: { type: 'administrator', id: 'reviewer-1' } });
    const approved = await verification.approve(started.id, {
      subgroups: ['Veteran'],
      actor: { type: 'administrator', id: 'reviewer-1' },
    });
    expect(approved).toMatchObject({ status: 'verified', reviewerId: 'reviewer-1', expiresAt: null });
    expect(await verification.findById(started.id)).toEqual(approved);
    expect(await events(started.id)).toEqual([
      'verification.started',
      'verification.evidence_submitted',
      'verification.review_started',
      'verification.approved',
    ]);
    expect(await verification.statusFor(userId, ['military'])).toEqual([
      { group: 'military', subgroups: ['Veteran'], verified: true },
    ]);
  });

  it('sends a submission back for another try, then rejects it with a reason', async () => {
    const { verification, events } = setup();
    const userId = await insertUser();
    const { id } = await verification.start({ userId, community: 'student', method: 'document' });
    await verification.submitEvidence(id, { kind: 'document', details: {} });
    const back = await verification.requestResubmission(id, { reasonCode: 'illegible', note: 'Too blurry.' });
    expect(back).toMatchObject({
      status: 'needs_resubmission',
      reasonCode: 'illegible',
      note: 'Too blurry.',
    });
    await verification.submitEvidence(id, { kind: 'document', details: {} });
    const rejected = await verification.reject(id, { reasonCode: 'not_a_member' });
    expect(rejected).toMatchObject({ status: 'rejected', reasonCode: 'not_a_member', note: null });
    expect(await verification.listEvidence(id)).toHaveLength(2);
    expect(await events(id)).toEqual([
      'verification.started',
      'verification.evidence_submitted',
      'verification.resubmission_requested',
      'verification.evidence_submitted',
      'verification.rejected',
    ]);
  });

  it('refuses transitions the table does not allow, and loses a race cleanly', async () => {
    const { verification } = setup();
    const userId = await insertUser();
    const { id } = await verification.start({ userId, community: 'teacher', method: 'document' });
    await expect(verification.approve(id, { subgroups: ['Teacher'] })).rejects.toMatchObject({
      code: 'verification.transition_not_allowed',
      status: 409,
    });
    await verification.submitEvidence(id, { kind: 'document', details: {} });
    const decisions = await Promise.allSettled([
      verification.approve(id, { subgroups: ['Teacher'] }),
      verification.reject(id, { reasonCode: 'not_a_member' }),
    ]);
    expect(decisions.filter((decision) => decision.status === 'fulfilled')).toHaveLength(1);
    expect(decisions.find((decision) => decision.status === 'rejected')?.reason).toMatchObject({
      code: expect.stringMatching(/^verification\.(conflict|transition_not_allowed)$/),
    });
    await expect(verification.approve('no-such-id', { subgroups: ['Teacher'] })).rejects.toMatchObject({
      code: 'verification.not_found',
    });
    await expect(verification.submitEvidence(id, { kind: 'document', details: {} })).rejects.toMatchObject({
      code: 'verification.transition_not_allowed',
    });
  });

  it('expires verified verifications once their time has come (injected clock)', async () => {
    const { verification, clock, events } = setup();
    const userId = await insertUser();
    const student = await verification.attest({
      userId,
      community: 'student',
      subgroups: ['University Student'],
    });
    const veteran = await verification.attest({ userId, community: 'military', subgroups: ['Veteran'] });
    clock.advance(365 * DAY - 1);
    expect(await verification.expireDue()).toBe(0);
    expect(await verification.statusFor(userId, ['student'])).toMatchObject([{ verified: true }]);
    clock.advance(1);
    // Not verified from the first moment past the expiry, whether or not the sweeper has run.
    expect(await verification.statusFor(userId, ['student'])).toMatchObject([{ verified: false }]);
    expect(await verification.expireDue()).toBe(1);
    expect(await verification.findById(student.id)).toMatchObject({ status: 'expired' });
    expect((await events(student.id)).at(-1)).toBe('verification.expired');
    expect(await verification.findById(veteran.id)).toMatchObject({ status: 'verified' });
    expect(await verification.unverifiedCommunities(userId, ['military', 'student', 'openid'])).toMatchObject(
      [{ handle: 'student' }],
    );
  });

  it('revokes, and deletes with the evidence, for the user who owns it', async () => {
    const { verification, events, deleted } = setup();
    const userId = await insertUser();
    const nurse = await verification.attest({ userId, community: 'nurse', subgroups: ['Nurse'] });
    await verification.revoke(nurse.id, { note: 'Licence withdrawn.' });
    expect(await verification.statusFor(userId, ['nurse'])).toMatchObject([{ verified: false }]);
    const other = await insertUser();
    await expect(verification.findOwn(other, nurse.id)).rejects.toMatchObject({
      code: 'verification.not_found',
    });
    expect((await verification.findOwn(userId, nurse.id)).status).toBe('revoked');
    await verification.remove(nurse.id, { actor: { type: 'user', id: userId } });
    expect(deleted.map((gone) => gone.id)).toEqual([nurse.id]);
    expect(await verification.findById(nurse.id)).toBeUndefined();
    expect(await verification.listEvidence(nurse.id)).toEqual([]);
    expect((await events(nurse.id)).at(-1)).toBe('verification.deleted');
  });
});
