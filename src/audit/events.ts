/** Every audit event name, `<entity>.<verb>`, in one place. */
export const auditEvents = ['signing_key.created', 'signing_key.rotated', 'signing_key.retired'] as const;

export type AuditEventName = (typeof auditEvents)[number];

export type ActorType = 'system' | 'operator' | 'user' | 'partner' | 'administrator';
