import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { PartnerNoticesTable } from '../storage/tables/partners.ts';

export type NoticeKind = 'communities.decided' | 'production.approved' | 'production.declined';

/** What an administrator decided about an application, as its console shows it until dismissed. */
export interface PartnerNotice {
  id: string;
  clientId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  note: string | null;
  createdAt: Date;
}

const toNotice = (row: Selectable<PartnerNoticesTable>): PartnerNotice => ({
  id: row.id,
  clientId: row.client_id,
  kind: row.kind as NoticeKind,
  title: row.title,
  body: row.body,
  note: row.note,
  createdAt: new Date(row.created_at),
});

export function createNoticeRepository(db: Kysely<Schema>) {
  return {
    async insert(notice: PartnerNotice): Promise<void> {
      await db
        .insertInto('partner_notices')
        .values({
          id: notice.id,
          client_id: notice.clientId,
          kind: notice.kind,
          title: notice.title,
          body: notice.body,
          note: notice.note,
          created_at: notice.createdAt.getTime(),
        })
        .execute();
    },

    /** The notices of an application nobody dismissed, newest first. */
    async listOpen(clientId: string, limit: number): Promise<PartnerNotice[]> {
      const rows = await db
        .selectFrom('partner_notices')
        .selectAll()
        .where('client_id', '=', clientId)
        .where('dismissed_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toNotice);
    },

    async dismiss(clientId: string, id: string, by: string | null, at: number): Promise<boolean> {
      const result = await db
        .updateTable('partner_notices')
        .set({ dismissed_at: at, dismissed_by: by })
        .where('id', '=', id)
        .where('client_id', '=', clientId)
        .where('dismissed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async deleteForClient(clientId: string): Promise<void> {
      await db.deleteFrom('partner_notices').where('client_id', '=', clientId).execute();
    },
  };
}

export type NoticeRepository = ReturnType<typeof createNoticeRepository>;
