import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { AuditFilter, AuditRepository, AuditRow } from './audit-repository.ts';
import type { ActorType, AuditEventName } from './events.ts';

export interface Actor {
  type: ActorType;
  id?: string;
}

/** Where an action came from, when it came over HTTP. */
export interface RequestOrigin {
  requestId?: string;
  ip?: string;
}

export interface AuditRecord {
  actor: Actor;
  subject?: { type: string; id: string };
  origin?: RequestOrigin;
  data?: Record<string, unknown>;
}

export function createAuditService(deps: { repository: AuditRepository; clock: Clock; ids: IdGenerator }) {
  return {
    async record(event: AuditEventName, record: AuditRecord): Promise<void> {
      await deps.repository.insert({
        id: deps.ids.uuid(),
        occurredAt: deps.clock.now().getTime(),
        event,
        actorType: record.actor.type,
        actorId: record.actor.id ?? null,
        subjectType: record.subject?.type ?? null,
        subjectId: record.subject?.id ?? null,
        requestId: record.origin?.requestId ?? null,
        ip: record.origin?.ip ?? null,
        data: record.data ?? {},
      });
    },

    /** Newest first, narrowed by `filter` (see AuditFilter); at most 1000 rows, 100 unless told. */
    list(filter: Omit<AuditFilter, 'limit'> & { limit?: number } = {}): Promise<AuditRow[]> {
      return deps.repository.list({ ...filter, limit: Math.min(filter.limit ?? 100, 1000) });
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
