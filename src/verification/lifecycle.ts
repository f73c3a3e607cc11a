import type { Actor, AuditService, RequestOrigin } from '../audit/audit-service.ts';
import type { AuditEventName } from '../audit/events.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { CommunityService } from './community-service.ts';
import { verificationErrors } from './errors.ts';
import { nextStatus, transitions, type VerificationEvent } from './state.ts';
import type { Community, EvidenceKind, JsonObject, JsonValue, Verification } from './types.ts';
import type { TransitionChanges, VerificationRepository } from './verification-repository.ts';

const DAY_MS = 86_400_000;

/** Who did it and from where, for the audit log. */
export interface ActionContext {
  actor: Actor;
  origin?: RequestOrigin;
}

export interface StartInput extends Partial<ActionContext> {
  userId: string;
  community: string;
  method: string;
  /** The subgroups the user claims (a reviewer or source decides what is granted). */
  subgroups?: readonly string[];
  applicationId?: string | null;
}

export interface ApproveInput extends Partial<ActionContext> {
  /** The update time of the verification the decision was taken on (a reviewer's page): else a conflict. */
  expectedUpdatedAt?: Date;
  /** At least one subgroup of the community. */
  subgroups: readonly string[];
  /** Defaults to now plus the validity of the subgroups; null never expires. */
  expiresAt?: Date | null;
  attributes?: JsonObject;
  sourceReference?: string | null;
}

export interface DecisionInput extends Partial<ActionContext> {
  expectedUpdatedAt?: Date;
  reasonCode: string;
  note?: string | null;
}

/**
 * The verification state machine (state.ts) applied to stored verifications: every change is a transition
 * of the table, made atomically (a concurrent change wins, the other is `verification.conflict`), and
 * audited as `verification.<verb>`.
 */
export function createVerificationLifecycle(deps: {
  repository: VerificationRepository;
  communities: CommunityService;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
  /** Runs before a verification is deleted (its document blobs go first). */
  beforeDelete?: (verification: Verification) => Promise<void>;
}) {
  const { repository, communities, audit, clock, ids } = deps;
  const system: Actor = { type: 'system' };

  async function requireCommunity(handle: string): Promise<Community> {
    const community = await communities.find(handle);
    if (community === undefined) throw verificationErrors.unknownCommunity(handle);
    return community;
  }

  async function requireVerification(id: string): Promise<Verification> {
    const verification = await repository.findById(id);
    if (verification === undefined) throw verificationErrors.notFound(id);
    return verification;
  }

  function checkSubgroups(community: Community, subgroups: readonly string[]): string[] {
    const unique = [...new Set(subgroups)];
    for (const subgroup of unique) {
      if (!community.subgroups.includes(subgroup))
        throw verificationErrors.unknownSubgroup(community.handle, subgroup);
    }
    return unique;
  }

  async function record(
    event: AuditEventName,
    verification: Verification,
    context: Partial<ActionContext>,
    data = {},
  ) {
    await audit.record(event, {
      actor: context.actor ?? system,
      subject: { type: 'verification', id: verification.id },
      ...(context.origin === undefined ? {} : { origin: context.origin }),
      data: {
        userId: verification.userId,
        community: verification.community,
        status: verification.status,
        ...data,
      },
    });
  }

  async function apply(
    id: string,
    event: VerificationEvent,
    changes: TransitionChanges,
    context: Partial<ActionContext> & { expectedUpdatedAt?: Date },
    data: Record<string, unknown> = {},
  ): Promise<Verification> {
    const current = await requireVerification(id);
    const to = nextStatus(current.status, event);
    if (to === undefined) throw verificationErrors.transitionNotAllowed(current.status, event);
    // A decision taken on what a reviewer saw: if the verification changed since, it is not that one.
    if (
      context.expectedUpdatedAt !== undefined &&
      context.expectedUpdatedAt.getTime() !== current.updatedAt.getTime()
    ) {
      throw verificationErrors.conflict(id);
    }
    const now = clock.now();
    if (!(await repository.transition(id, current, to, changes, now.getTime()))) {
      throw verificationErrors.conflict(id);
    }
    const next: Verification = { ...current, ...changes, status: to, updatedAt: now };
    await record(`verification.${transitions[event].audit}` as AuditEventName, next, context, data);
    return next;
  }

  async function start(input: StartInput): Promise<Verification> {
    const community = await requireCommunity(input.community);
    if (input.method.trim() === '') throw verificationErrors.invalid('The verification method is missing.');
    const now = clock.now();
    const verification: Verification = {
      id: ids.uuid(),
      userId: input.userId,
      community: community.handle,
      subgroups: checkSubgroups(community, input.subgroups ?? []),
      status: 'started',
      method: input.method,
      attributes: {},
      verifiedAt: null,
      expiresAt: null,
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      decidedAt: null,
      reasonCode: null,
      note: null,
      reviewerId: null,
      sourceReference: null,
      applicationId: input.applicationId ?? null,
    };
    await repository.insert(verification);
    await record('verification.started', verification, input, { method: verification.method });
    return verification;
  }

  async function submitEvidence(
    id: string,
    evidence: { kind: EvidenceKind; details: JsonObject; subgroups?: readonly string[] },
    context: Partial<ActionContext> = {},
  ): Promise<Verification> {
    const current = await requireVerification(id);
    const community = await requireCommunity(current.community);
    const subgroups =
      evidence.subgroups === undefined ? undefined : checkSubgroups(community, evidence.subgroups);
    if (nextStatus(current.status, 'submit_evidence') === undefined) {
      throw verificationErrors.transitionNotAllowed(current.status, 'submit_evidence');
    }
    const now = clock.now();
    await repository.insertEvidence({
      id: ids.uuid(),
      verificationId: id,
      kind: evidence.kind,
      details: evidence.details,
      createdAt: now,
    });
    return apply(
      id,
      'submit_evidence',
      { submittedAt: now, ...(subgroups === undefined ? {} : { subgroups }) },
      context,
      { evidence: evidence.kind },
    );
  }

  async function approve(id: string, input: ApproveInput): Promise<Verification> {
    const current = await requireVerification(id);
    const community = await requireCommunity(current.community);
    const subgroups = checkSubgroups(community, input.subgroups);
    if (subgroups.length === 0) throw verificationErrors.subgroupsRequired(community.handle);
    const attributes = input.attributes ?? current.attributes;
    if (!isJsonObject(attributes))
      throw verificationErrors.invalid('Verification attributes must be a JSON object.');
    const now = clock.now();
    const expiresAt =
      input.expiresAt === undefined ? defaultExpiry(community, subgroups, now) : input.expiresAt;
    if (expiresAt !== null && Number.isNaN(expiresAt.getTime())) {
      throw verificationErrors.invalid('The expiry is not a valid time.');
    }
    return apply(
      id,
      'approve',
      {
        subgroups,
        attributes,
        verifiedAt: now,
        decidedAt: now,
        expiresAt,
        reasonCode: null,
        reviewerId: reviewerOf(input.actor),
        ...(input.sourceReference === undefined ? {} : { sourceReference: input.sourceReference }),
      },
      input,
      { subgroups, expiresAt: expiresAt?.getTime() ?? null },
    );
  }

  function decide(event: 'reject' | 'request_resubmission') {
    return (id: string, input: DecisionInput) =>
      apply(
        id,
        event,
        {
          reasonCode: input.reasonCode,
          note: input.note ?? null,
          decidedAt: clock.now(),
          reviewerId: reviewerOf(input.actor),
        },
        input,
        { reasonCode: input.reasonCode },
      );
  }

  return {
    start,
    submitEvidence,
    approve,
    reject: decide('reject'),
    requestResubmission: decide('request_resubmission'),

    /** A reviewer opened it: it leaves the untouched part of the queue. */
    beginReview: (id: string, context: Partial<ActionContext> = {}) =>
      apply(id, 'begin_review', { reviewerId: reviewerOf(context.actor) }, context),

    revoke: (id: string, input: Partial<ActionContext> & { note?: string | null } = {}) =>
      apply(id, 'revoke', { note: input.note ?? null, decidedAt: clock.now() }, input),

    /** Marks verified verifications past their expiry as expired; returns how many. */
    async expireDue(limit = 500): Promise<number> {
      let expired = 0;
      for (const verification of await repository.listDueToExpire(clock.now().getTime(), limit)) {
        try {
          await apply(verification.id, 'expire', {}, { actor: system });
          expired++;
        } catch (error) {
          // Revoked or deleted meanwhile: nothing left to expire.
          if ((error as { code?: string }).code !== 'verification.conflict') throw error;
        }
      }
      return expired;
    },

    /**
     * An administrator's (or the operator's) word that the user belongs to the community: started, with the
     * attestation as evidence, and approved, each step audited.
     */
    async attest(
      input: Omit<StartInput, 'method'> &
        Omit<ApproveInput, 'subgroups'> & { subgroups: readonly string[]; method?: string; note?: string },
    ): Promise<Verification> {
      const community = await requireCommunity(input.community);
      const subgroups = checkSubgroups(community, input.subgroups);
      if (subgroups.length === 0) throw verificationErrors.subgroupsRequired(community.handle);
      // Checked before anything is stored: a refused attestation leaves no verification behind.
      if (input.expiresAt != null && Number.isNaN(input.expiresAt.getTime())) {
        throw verificationErrors.invalid('The expiry is not a valid time.');
      }
      if (input.attributes !== undefined && !isJsonObject(input.attributes)) {
        throw verificationErrors.invalid('Verification attributes must be a JSON object.');
      }
      const started = await start({ ...input, method: input.method ?? 'attestation', subgroups });
      const details: Record<string, JsonValue> = { actor: input.actor?.type ?? 'system' };
      if (input.actor?.id !== undefined) details.actorId = input.actor.id;
      if (input.note !== undefined) details.note = input.note;
      await submitEvidence(started.id, { kind: 'attestation', details }, input);
      return approve(started.id, { ...input, subgroups });
    },

    /** Deletes a verification with its evidence and documents (users own their data). */
    async remove(id: string, context: Partial<ActionContext> = {}): Promise<void> {
      const verification = await requireVerification(id);
      await deps.beforeDelete?.(verification);
      if (await repository.deleteById(id)) await record('verification.deleted', verification, context);
    },
  };
}

export type VerificationLifecycle = ReturnType<typeof createVerificationLifecycle>;

function reviewerOf(actor: Actor | undefined): string | null {
  return actor !== undefined && actor.type !== 'system' && actor.id !== undefined ? actor.id : null;
}

/**
 * Now plus the validity of the granted subgroups: the longest of them, or none when any of them never
 * expires (a Veteran stays a Veteran).
 */
export function defaultExpiry(community: Community, subgroups: readonly string[], now: Date): Date | null {
  const validity = (subgroup: string) =>
    subgroup in community.subgroupValidityDays
      ? community.subgroupValidityDays[subgroup]
      : community.validityDays;
  const days = subgroups.length === 0 ? [community.validityDays] : subgroups.map(validity);
  if (days.some((value) => value === null || value === undefined)) return null;
  return new Date(now.getTime() + Math.max(...(days as number[])) * DAY_MS);
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null) &&
    Object.values(value).every(isJsonValue)
  );
}

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isJsonObject(value);
}
