/** Every audit event name, `<entity>.<verb>`, in one place. */
export const auditEvents = [
  'signing_key.created',
  'signing_key.rotated',
  'signing_key.retired',
  'user.created',
  'user.email_verified',
  'user.signed_in',
  'user.sign_in_failed',
  'user.locked',
  'user.unlocked',
  'user.role_granted',
  'user.role_revoked',
  'application.created',
  'application.status_changed',
  'verification.started',
  'verification.evidence_submitted',
  'verification.review_started',
  'verification.approved',
  'verification.rejected',
  'verification.resubmission_requested',
  'verification.expired',
  'verification.revoked',
  'verification.deleted',
  'document.viewed',
  'community.updated',
  'email_domain_rule.added',
  'email_domain_rule.removed',
  'roster.imported',
  'roster.removed',
  'registry_source.added',
  'registry_source.enabled',
  'registry_source.disabled',
  'registry_source.removed',
] as const;

export type AuditEventName = (typeof auditEvents)[number];

export type ActorType = 'system' | 'operator' | 'user' | 'partner' | 'administrator' | 'reviewer';
