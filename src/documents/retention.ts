import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { RetentionRepository } from './retention-repository.ts';

const DAY_MS = 86_400_000;
const BATCH = 200;

export interface RetentionDeps {
  retention: RetentionRepository;
  documents: { purge(id: string, at: Date): Promise<void> };
  audit: AuditService;
  clock: Clock;
  settings: { retentionDays: number | undefined };
}

/**
 * Retention of document images. With `retentionDays` set, a document's image is purged that many days
 * after its verification's decision (verified, rejected, expired or revoked); unset, it is kept while the
 * verification is valid and purged once it has expired or been revoked. The row stays, marked purged, for
 * the audit trail; its document tokens answer 410.
 */
export function createRetention(deps: RetentionDeps) {
  return {
    async purgeDue(now: Date = deps.clock.now()): Promise<number> {
      const { retentionDays } = deps.settings;
      const decidedBefore = retentionDays === undefined ? undefined : now.getTime() - retentionDays * DAY_MS;
      let purged = 0;
      for (;;) {
        const due = await deps.retention.listDue({ now: now.getTime(), decidedBefore, limit: BATCH });
        for (const item of due) {
          await deps.documents.purge(item.documentId, now);
          await deps.audit.record('document.purged', {
            actor: { type: 'system' },
            subject: { type: 'user', id: item.userId },
            data: {
              documentId: item.documentId,
              verificationId: item.verificationId,
              retentionDays: retentionDays ?? null,
            },
          });
        }
        purged += due.length;
        if (due.length < BATCH) return purged;
      }
    },
  };
}
