import { sql, type Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

export interface AuditRow {
  id: string;
  seq: number;
  occurredAt: number;
  event: string;
  actorType: string;
  actorId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  requestId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}

export type NewAuditRow = Omit<AuditRow, 'seq'>;

/** What `list` narrows by; every field is optional and they combine with AND. */
export interface AuditFilter {
  subjectType?: string;
  subjectId?: string;
  actorId?: string;
  /** Events whose name starts with this (`application.` for every application event). */
  event?: string;
  /** Occurred at or after this time (ms). */
  from?: number;
  /** Occurred before this time (ms). */
  to?: number;
  beforeSeq?: number;
  limit: number;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern (with `ESCAPE '\'`). */
const literalLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** Append-only: there is deliberately no update or delete. */
export function createAuditRepository(db: Kysely<Schema>) {
  return {
    async insert(row: NewAuditRow): Promise<void> {
      await db
        .insertInto('audit_events')
        .values({
          id: row.id,
          occurred_at: row.occurredAt,
          event: row.event,
          actor_type: row.actorType,
          actor_id: row.actorId,
          subject_type: row.subjectType,
          subject_id: row.subjectId,
          request_id: row.requestId,
          ip: row.ip,
          data: JSON.stringify(row.data),
        })
        .execute();
    },

    /** Newest first; `beforeSeq` pages backwards. */
    async list(filter: AuditFilter) {
      let query = db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(filter.limit);
      if (filter.subjectType !== undefined) query = query.where('subject_type', '=', filter.subjectType);
      if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId);
      if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
      if (filter.event !== undefined && filter.event !== '') {
        const pattern = `${literalLike(filter.event)}%`;
        query = query.where(sql<boolean>`event like ${pattern} escape '\\'`);
      }
      if (filter.from !== undefined) query = query.where('occurred_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('occurred_at', '<', filter.to);
      if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
      const rows = await query.execute();
      return rows.map((row): AuditRow => ({
        id: row.id,
        seq: row.seq,
        occurredAt: row.occurred_at,
        event: row.event,
        actorType: row.actor_type,
        actorId: row.actor_id,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        requestId: row.request_id,
        ip: row.ip,
        data: JSON.parse(row.data) as Record<string, unknown>,
      }));
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
