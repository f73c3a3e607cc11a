/**
 * The lifecycle of a verification, as an explicit table. Every transition is audited as
 * `verification.<audit verb>`; anything not in the table is refused.
 *
 *   started ──submit──▶ evidence_submitted ──begin_review──▶ in_review
 *      ▲                  │      │                              │
 *      └─ needs_resubmission ◀───┴── request_resubmission ──────┤
 *                         │                                     │
 *                         ├──approve──▶ verified ──expire──▶ expired
 *                         │                 └────revoke──▶ revoked
 *                         └──reject───▶ rejected
 */
export const verificationStatuses = [
  'started',
  'evidence_submitted',
  'in_review',
  'verified',
  'rejected',
  'needs_resubmission',
  'expired',
  'revoked',
] as const;

export type VerificationStatus = (typeof verificationStatuses)[number];

export const verificationEvents = [
  'submit_evidence',
  'begin_review',
  'approve',
  'reject',
  'request_resubmission',
  'expire',
  'revoke',
] as const;

export type VerificationEvent = (typeof verificationEvents)[number];

/** Each event: the statuses it applies to, the status it leads to, and its audit event's verb. */
export const transitions: Readonly<
  Record<VerificationEvent, { from: readonly VerificationStatus[]; to: VerificationStatus; audit: string }>
> = {
  submit_evidence: {
    from: ['started', 'needs_resubmission'],
    to: 'evidence_submitted',
    audit: 'evidence_submitted',
  },
  begin_review: { from: ['evidence_submitted'], to: 'in_review', audit: 'review_started' },
  approve: { from: ['evidence_submitted', 'in_review'], to: 'verified', audit: 'approved' },
  reject: { from: ['evidence_submitted', 'in_review'], to: 'rejected', audit: 'rejected' },
  request_resubmission: {
    from: ['evidence_submitted', 'in_review'],
    to: 'needs_resubmission',
    audit: 'resubmission_requested',
  },
  expire: { from: ['verified'], to: 'expired', audit: 'expired' },
  revoke: { from: ['verified'], to: 'revoked', audit: 'revoked' },
};

/** The status `event` leads to from `status`, or undefined when the table does not allow it. */
export function nextStatus(
  status: VerificationStatus,
  event: VerificationEvent,
): VerificationStatus | undefined {
  const transition = transitions[event];
  return transition.from.includes(status) ? transition.to : undefined;
}

/** Statuses that wait for a reviewer: the review queue. */
export const awaitingReview: readonly VerificationStatus[] = ['evidence_submitted', 'in_review'];

/** Statuses after which nothing more happens to a verification (a new one is started instead). */
export const finalStatuses: readonly VerificationStatus[] = ['rejected', 'expired', 'revoked'];

export function isVerificationStatus(value: string): value is VerificationStatus {
  return (verificationStatuses as readonly string[]).includes(value);
}
