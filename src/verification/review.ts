import type { AccountService, User } from '../accounts/account-service.ts';
import type { Actor, AuditService, RequestOrigin } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { CommunityService } from './community-service.ts';
import { reviewDecisionMessage } from './emails.ts';
import { verificationErrors } from './errors.ts';
import type { DocumentEvidence, DuplicateDocument, StoredDocument } from './evidence/documents.ts';
import { isReviewReason } from './review-reasons.ts';
import { awaitingReview } from './state.ts';
import type { Community, Evidence, Verification } from './types.ts';
import type { VerificationRepository } from './verification-repository.ts';
import type { VerificationService } from './verification-service.ts';

const DAY_MS = 86_400_000;
/** Webmail domains shared by millions: many accounts on one of them is no signal. */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'example.com',
]);

export interface QueueItem {
  verification: Verification;
  user: Pick<User, 'firstName' | 'lastName' | 'email'> | undefined;
  community: Community | undefined;
  waitingMs: number;
}

export interface Attempt {
  verification: Verification;
  user: User | undefined;
  community: Community;
  documents: StoredDocument[];
  evidence: Evidence[];
  signals: {
    /** The same document content in other accounts. */
    duplicates: DuplicateDocument[];
    /** Other accounts on the user's email domain verified or verifying for this community in 30 days. */
    sameDomainAccounts: { domain: string; count: number } | undefined;
  };
}

export interface Reviewer {
  actor: Actor & { id: string };
  origin?: RequestOrigin;
}

/**
 * The review queue: documents waiting for a person, oldest first; one attempt at a time with its images and
 * the signals that deserve a second look; decisions (approve, reject, ask for another document) that update
 * what partners see at once and are mailed to the user.
 */
export function createReviewService(deps: {
  verification: VerificationService;
  repository: VerificationRepository;
  audit: AuditService;
  documents: DocumentEvidence;
  accounts: AccountService;
  communities: CommunityService;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  /** The user's "My verifications" page, linked from the decision mail. */
  accountUrl: string;
}) {
  const { verification, repository, documents, accounts, communities, clock } = deps;

  /** The verification, unless it is the reviewer's own: nobody reviews their own evidence. */
  async function requireReviewable(id: string, reviewer: Reviewer): Promise<Verification> {
    const found = await verification.findById(id);
    if (found === undefined) throw verificationErrors.notFound(id);
    if (found.userId === reviewer.actor.id) throw verificationErrors.ownVerification();
    return found;
  }

  /** Mails the decision; a mail failure is logged, never undoes the decision. */
  async function notify(decided: Verification): Promise<void> {
    const [user, community] = await Promise.all([
      accounts.findById(decided.userId),
      communities.find(decided.community),
    ]);
    if (user === undefined || community === undefined) return;
    const message = reviewDecisionMessage({
      to: user.email,
      firstName: user.firstName,
      community,
      verification: decided,
      accountUrl: deps.accountUrl,
    });
    if (message === undefined) return;
    await deps.mailer.send(message).catch((error: unknown) => {
      deps.logger.error({ err: error, verificationId: decided.id }, 'could not mail a review decision');
    });
  }

  async function sameDomainAccounts(user: User | undefined, community: string) {
    const domain = user?.email.slice(user.email.lastIndexOf('@') + 1).toLowerCase();
    if (user === undefined || domain === undefined || PUBLIC_MAIL_DOMAINS.has(domain)) return undefined;
    const count = await repository.countOtherUsersOnDomain({
      community,
      domain,
      exceptUserId: user.id,
      since: clock.now().getTime() - 30 * DAY_MS,
    });
    return { domain, count };
  }

  return {
    async queue(page: { limit: number; offset: number }): Promise<{ total: number; items: QueueItem[] }> {
      const [total, waiting] = await Promise.all([
        repository.countAwaitingReview(),
        repository.listAwaitingReview(page),
      ]);
      const now = clock.now().getTime();
      const items = await Promise.all(
        waiting.map(async (item) => {
          const [user, community] = await Promise.all([
            accounts.findById(item.userId),
            communities.find(item.community),
          ]);
          return {
            verification: item,
            user:
              user === undefined
                ? undefined
                : { firstName: user.firstName, lastName: user.lastName, email: user.email },
            community,
            waitingMs: now - (item.submittedAt ?? item.createdAt).getTime(),
          };
        }),
      );
      return { total, items };
    },

    /** One attempt with everything a reviewer needs; opening it marks it in review. */
    async open(id: string, reviewer: Reviewer): Promise<Attempt> {
      let current = await requireReviewable(id, reviewer);
      if (current.status === 'evidence_submitted') current = await verification.beginReview(id, reviewer);
      const community = await communities.find(current.community);
      if (community === undefined) throw verificationErrors.unknownCommunity(current.community);
      const [user, attached, evidence, duplicates] = await Promise.all([
        accounts.findById(current.userId),
        documents.listForVerification(id),
        verification.listEvidence(id),
        documents.duplicatesOf(id),
      ]);
      return {
        verification: current,
        user,
        community,
        documents: attached,
        evidence,
        signals: { duplicates, sameDomainAccounts: await sameDomainAccounts(user, current.community) },
      };
    },

    /** A document's decrypted bytes, only as part of its own verification; every view is audited. */
    async documentImage(verificationId: string, documentId: string, reviewer: Reviewer) {
      const owner = await requireReviewable(verificationId, reviewer);
      const read = await documents.read(documentId);
      if (read?.document.verificationId !== verificationId) return undefined;
      await deps.audit.record('document.viewed', {
        actor: reviewer.actor,
        subject: { type: 'document', id: documentId },
        ...(reviewer.origin === undefined ? {} : { origin: reviewer.origin }),
        data: { verificationId, userId: owner.userId, side: read.document.side },
      });
      return read;
    },

    async approve(
      id: string,
      input: { subgroups: string[]; expiresAt?: Date | null; expectedUpdatedAt?: Date },
      reviewer: Reviewer,
    ) {
      await requireReviewable(id, reviewer);
      const decided = await verification.approve(id, { ...input, ...reviewer });
      await notify(decided);
      return decided;
    },

    async reject(
      id: string,
      input: { reasonCode: string; note?: string; expectedUpdatedAt?: Date },
      reviewer: Reviewer,
    ) {
      await requireReviewable(id, reviewer);
      if (!isReviewReason(input.reasonCode))
        throw verificationErrors.invalid('Choose a reason from the list.');
      const decided = await verification.reject(id, {
        reasonCode: input.reasonCode,
        note: input.note ?? null,
        ...(input.expectedUpdatedAt === undefined ? {} : { expectedUpdatedAt: input.expectedUpdatedAt }),
        ...reviewer,
      });
      await notify(decided);
      return decided;
    },

    async requestResubmission(
      id: string,
      input: { reasonCode: string; note?: string; expectedUpdatedAt?: Date },
      reviewer: Reviewer,
    ) {
      await requireReviewable(id, reviewer);
      if (!isReviewReason(input.reasonCode))
        throw verificationErrors.invalid('Choose a reason from the list.');
      const decided = await verification.requestResubmission(id, {
        reasonCode: input.reasonCode,
        note: input.note ?? null,
        ...(input.expectedUpdatedAt === undefined ? {} : { expectedUpdatedAt: input.expectedUpdatedAt }),
        ...reviewer,
      });
      await notify(decided);
      return decided;
    },

    isAwaiting: (item: Verification) => awaitingReview.includes(item.status),
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
