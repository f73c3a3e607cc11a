import type { RequestOrigin } from '../audit/audit-service.ts';
import { AppError, isAppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import type { CommunityService } from './community-service.ts';
import { verificationErrors } from './errors.ts';
import type { DocumentEvidence, StoredDocument } from './evidence/documents.ts';
import { checkUpload, type CheckedUpload } from './evidence/upload-check.ts';
import type { ActionContext } from './lifecycle.ts';
import type { EmailDomainMethod, SentCode } from './methods/email-domain.ts';
import type { EmailDomainRules } from './methods/email-domain-rules.ts';
import { acceptedAddressesHint } from './methods/email-domain-messages.ts';
import {
  checkSubgroups,
  type SourcePerson,
  type SourceResult,
  type VerificationSource,
} from './sources/source.ts';
import type { Community, Verification, VerificationMethod } from './types.ts';
import type { VerificationService } from './verification-service.ts';

/** The ways a user is offered on the verify step, in order. `organization` asks rosters and registries. */
export type OfferedMethod = 'sandbox' | 'email_domain' | 'organization' | 'document';

/** Uploads per user per hour, and per network address per hour. */
export const UPLOAD_LIMITS = {
  perUser: { limit: 10, windowMs: 3_600_000 },
  perIp: { limit: 30, windowMs: 3_600_000 },
};

/** Look-ups in organizations' records: a member number must not be guessable by trying them all. */
export const LOOKUP_LIMITS = {
  perUser: { limit: 10, windowMs: 86_400_000 },
  perIp: { limit: 30, windowMs: 3_600_000 },
};

export interface VerifyContext {
  person: SourcePerson;
  community: Community;
  /** The application whose authorization this is, if any. */
  applicationId?: string | null;
  origin?: RequestOrigin;
}

/** What the user's attempt came to: a verification (verified, or waiting for review) or why not. */
export type AttemptOutcome =
  | { outcome: 'verified' | 'in_review' | 'rejected'; verification: Verification }
  | { outcome: 'not_found' | 'unavailable'; reason: string };

/**
 * The verify step's use cases: which methods a community offers this person, and each method carried out
 * through the lifecycle (start, evidence, decision), so that every attempt leaves an audited trail.
 */
export function createVerificationEngine(deps: {
  verification: VerificationService;
  communities: CommunityService;
  emailMethod: EmailDomainMethod;
  emailRules: EmailDomainRules;
  documents: DocumentEvidence;
  /** Rosters and registries that can answer for a community, in the order to ask them. */
  organizationSources(community: Community): Promise<VerificationSource[]>;
  sandbox: VerificationSource;
  rateLimiter: RateLimiter;
  clock: Clock;
}) {
  const { verification } = deps;
  /** A community's methods are enforced here too, not only by what the page offers. */
  const requireMethod = (community: Community, method: VerificationMethod) => {
    if (!community.methods.includes(method))
      throw verificationErrors.methodNotOffered(community.name, method);
  };
  const requireSomeMethod = (community: Community, methods: VerificationMethod[]) => {
    if (!methods.some((method) => community.methods.includes(method))) {
      throw verificationErrors.methodNotOffered(community.name, methods.join('|'));
    }
  };
  const actorOf = (context: VerifyContext): ActionContext => ({
    actor: { type: 'user', id: context.person.userId },
    ...(context.origin === undefined ? {} : { origin: context.origin }),
  });

  /** Records a source's answer as a verification with its evidence: verified, in review, or rejected. */
  async function recordSourceResult(
    context: VerifyContext,
    source: VerificationSource,
    result: SourceResult,
  ): Promise<AttemptOutcome> {
    if (result.outcome === 'not_found' || result.outcome === 'unavailable') return result;
    const method = source.kind === 'sandbox' ? 'sandbox' : source.kind;
    const started = await verification.start({
      userId: context.person.userId,
      community: context.community.handle,
      method,
      applicationId: context.applicationId ?? null,
      ...actorOf(context),
    });
    const kind = source.kind === 'roster' ? 'roster_match' : source.kind;
    await verification.submitEvidence(
      started.id,
      { kind, details: { source: source.id, name: source.name, reference: result.reference } },
      actorOf(context),
    );
    const system = { actor: { type: 'system' as const } };
    if (result.outcome === 'needs_review') {
      return { outcome: 'in_review', verification: (await verification.findById(started.id)) ?? started };
    }
    if (result.outcome === 'rejected') {
      const rejected = await verification.reject(started.id, {
        reasonCode: 'source_rejected',
        note: result.reason,
        ...system,
      });
      return { outcome: 'rejected', verification: rejected };
    }
    const approved = await verification.approve(started.id, {
      subgroups: result.subgroups,
      ...(result.expiresAt === undefined ? {} : { expiresAt: result.expiresAt }),
      ...(result.attributes === undefined ? {} : { attributes: result.attributes }),
      sourceReference: result.reference,
      ...system,
    });
    return { outcome: 'verified', verification: approved };
  }

  return {
    /** The methods to offer: the sandbox only for a test persona in a sandbox app; else the community's. */
    async offeredMethods(context: { person: SourcePerson; community: Community; sandboxApp: boolean }) {
      if (context.sandboxApp && context.person.testPersona !== null) return ['sandbox'] as OfferedMethod[];
      const offered: OfferedMethod[] = [];
      const methods = context.community.methods;
      if (
        methods.includes('email_domain') &&
        (await deps.emailRules.acceptedPatterns(context.community.handle)).length > 0
      ) {
        offered.push('email_domain');
      }
      if (
        (methods.includes('roster') || methods.includes('registry')) &&
        (await deps.organizationSources(context.community)).length > 0
      ) {
        offered.push('organization');
      }
      if (methods.includes('document') && context.community.documentTypes.length > 0)
        offered.push('document');
      return offered;
    },

    /** "Use an address ending in .mil." */
    async acceptedAddresses(community: Community): Promise<string> {
      return acceptedAddressesHint(community.name, await deps.emailRules.acceptedPatterns(community.handle));
    },

    async sendEmailCode(context: VerifyContext & { address: string; ip: string }): Promise<SentCode> {
      requireMethod(context.community, 'email_domain');
      return deps.emailMethod.sendCode({
        userId: context.person.userId,
        community: context.community,
        address: context.address,
        ip: context.ip,
      });
    },

    /** The code from the community address: verified at once, the address kept as evidence. */
    async confirmEmailCode(context: VerifyContext & { code: string }): Promise<Verification> {
      requireMethod(context.community, 'email_domain');
      const confirmed = await deps.emailMethod.confirmCode({
        userId: context.person.userId,
        community: context.community,
        code: context.code,
      });
      const started = await verification.start({
        userId: context.person.userId,
        community: context.community.handle,
        method: 'email_domain',
        subgroups: [confirmed.subgroup],
        applicationId: context.applicationId ?? null,
        ...actorOf(context),
      });
      await verification.submitEvidence(
        started.id,
        { kind: 'email_address', details: { address: confirmed.address } },
        actorOf(context),
      );
      return verification.approve(started.id, { subgroups: [confirmed.subgroup], actor: { type: 'system' } });
    },

    /**
     * A document for review: each side checked by content (and refused before anything is stored), kept
     * encrypted, and the attempt queued. A verification sent back for another document is resumed.
     */
    async submitDocument(
      context: VerifyContext & {
        subgroup: string;
        documentType: string;
        front: Buffer;
        back?: Buffer;
        ip: string;
      },
    ): Promise<Verification> {
      const { community, person } = context;
      requireMethod(community, 'document');
      if (!community.subgroups.includes(context.subgroup)) {
        throw verificationErrors.unknownSubgroup(community.handle, context.subgroup);
      }
      const documentType = community.documentTypes.find((type) => type.handle === context.documentType);
      if (documentType === undefined) throw verificationErrors.invalid('Choose one of the documents listed.');
      for (const [key, window] of [
        [`evidence-upload:user:${person.userId}`, UPLOAD_LIMITS.perUser],
        [`evidence-upload:ip:${context.ip}`, UPLOAD_LIMITS.perIp],
      ] as const) {
        const allowance = await deps.rateLimiter.hit(key, window);
        if (!allowance.allowed) throw verificationErrors.uploadsThrottled(allowance.retryAfterMs);
      }
      const sides: ['front' | 'back', CheckedUpload][] = [['front', await checkSide('front', context.front)]];
      if (context.back !== undefined) sides.push(['back', await checkSide('back', context.back)]);

      // Uploads are never the sandbox's: its attempts are not resumed here.
      const latest = await verification.latestFor(person.userId, community.handle, 'production');
      const attempt =
        latest?.status === 'needs_resubmission'
          ? latest
          : await verification.start({
              userId: person.userId,
              community: community.handle,
              method: 'document',
              subgroups: [context.subgroup],
              applicationId: context.applicationId ?? null,
              ...actorOf(context),
            });
      const stored: StoredDocument[] = [];
      try {
        for (const [side, upload] of sides) {
          stored.push(
            await deps.documents.store({
              verificationId: attempt.id,
              userId: person.userId,
              documentType: documentType.handle,
              side,
              upload,
            }),
          );
        }
        return await verification.submitEvidence(
          attempt.id,
          {
            kind: 'document',
            details: { documentType: documentType.handle, documents: stored.map((document) => document.id) },
            subgroups: [context.subgroup],
          },
          actorOf(context),
        );
      } catch (error) {
        // Not submitted (a storage failure, or a concurrent upload won): the images of this try go.
        await deps.documents.deleteDocuments(stored.map((document) => document.id));
        throw error;
      }
    },

    /** Asks the community's rosters and registries in turn; the first that knows the person decides. */
    async checkWithOrganization(
      context: VerifyContext & { memberId?: string; ip: string },
    ): Promise<AttemptOutcome> {
      requireSomeMethod(context.community, ['roster', 'registry']);
      for (const [key, window] of [
        [
          `organization-lookup:user:${context.person.userId}:${context.community.handle}`,
          LOOKUP_LIMITS.perUser,
        ],
        [`organization-lookup:ip:${context.ip}`, LOOKUP_LIMITS.perIp],
      ] as const) {
        const allowance = await deps.rateLimiter.hit(key, window);
        if (!allowance.allowed) throw verificationErrors.lookupsThrottled(allowance.retryAfterMs);
      }
      let unavailable: string | undefined;
      for (const source of await deps.organizationSources(context.community)) {
        const result = checkSubgroups(
          context.community,
          await source.verify({
            person: context.person,
            community: context.community,
            ...(context.memberId === undefined || context.memberId === ''
              ? {}
              : { memberId: context.memberId }),
          }),
        );
        if (result.outcome === 'unavailable') unavailable ??= result.reason;
        if (result.outcome === 'not_found' || result.outcome === 'unavailable') continue;
        return recordSourceResult(context, source, result);
      }
      return unavailable === undefined
        ? { outcome: 'not_found', reason: 'We could not find you in the records we can check.' }
        : { outcome: 'unavailable', reason: unavailable };
    },

    /** A sandbox test persona's fixed outcome. */
    async runSandbox(context: VerifyContext): Promise<AttemptOutcome> {
      const result = checkSubgroups(
        context.community,
        await deps.sandbox.verify({ person: context.person, community: context.community }),
      );
      return recordSourceResult(context, deps.sandbox, result);
    },
  };
}

export type VerificationEngine = ReturnType<typeof createVerificationEngine>;

/** Checks one side of a document; a refusal says which side (`detail.side`) so the page can point at it. */
async function checkSide(side: 'front' | 'back', bytes: Buffer): Promise<CheckedUpload> {
  try {
    return await checkUpload(bytes);
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError({
      code: error.code,
      status: error.status,
      message: error.message,
      detail: { side },
      cause: error,
    });
  }
}
