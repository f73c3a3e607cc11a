import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { ProductionRequestsTable } from '../storage/tables/partners.ts';
import type { ChecklistItem } from './production-checklist.ts';

export type ProductionRequestStatus = 'pending' | 'approved' | 'declined';

export interface ProductionRequest {
  id: string;
  applicationId: string;
  clientId: string;
  applicationName: string;
  organizationId: string | null;
  requestedBy: string | null;
  requestedAt: Date;
  checklist: ChecklistItem[];
  status: ProductionRequestStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
}

type Row = Selectable<ProductionRequestsTable> & {
  client_id: string;
  application_name: string;
  organization_id: string | null;
};

const toRequest = (row: Row): ProductionRequest => ({
  id: row.id,
  applicationId: row.application_id,
  clientId: row.client_id,
  applicationName: row.application_name,
  organizationId: row.organization_id,
  requestedBy: row.requested_by,
  requestedAt: new Date(row.requested_at),
  // Written by this repository from the typed checklist.
  checklist: JSON.parse(row.checklist) as ChecklistItem[],
  status: row.status as ProductionRequestStatus,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
  note: row.note,
});

export function createProductionRequestRepository(db: Kysely<Schema>) {
  const withApplication = () =>
    db
      .selectFrom('production_requests')
      .innerJoin('applications', 'applications.id', 'production_requests.application_id')
      .selectAll('production_requests')
      .select([
        'applications.client_id',
        'applications.name as application_name',
        'applications.organization_id',
      ]);

  return {
    /** Inserts a pending request unless the application has one already (one statement: no race); true if so. */
    async insertPending(request: {
      id: string;
      applicationId: string;
      requestedBy: string | null;
      requestedAt: number;
      checklist: ChecklistItem[];
    }): Promise<boolean> {
      const result = await db
        .insertInto('production_requests')
        .columns(['id', 'application_id', 'requested_by', 'requested_at', 'checklist', 'status'])
        .expression(
          db
            .selectNoFrom((eb) => [
              eb.val(request.id).as('id'),
              eb.val(request.applicationId).as('application_id'),
              eb.val(request.requestedBy).as('requested_by'),
              // PostgreSQL types the parameters of INSERT … SELECT as text unless told.
              eb.cast(eb.val(request.requestedAt), 'bigint').as('requested_at'),
              eb.val(JSON.stringify(request.checklist)).as('checklist'),
              eb.val('pending').as('status'),
            ])
            .where((eb) =>
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('production_requests')
                    .select('id')
                    .where('application_id', '=', request.applicationId)
                    .where('status', '=', 'pending'),
                ),
              ),
            ),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async find(id: string): Promise<ProductionRequest | undefined> {
      const row = await withApplication().where('production_requests.id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toRequest(row);
    },

    /** The application's requests, newest first. */
    async listForApplication(applicationId: string): Promise<ProductionRequest[]> {
      const rows = await withApplication()
        .where('production_requests.application_id', '=', applicationId)
        .orderBy('production_requests.requested_at', 'desc')
        .execute();
      return rows.map(toRequest);
    },

    /** The queue: pending requests, oldest first, a page at a time. */
    async listPending(page: { limit: number; offset: number }) {
      const [rows, count] = await Promise.all([
        withApplication()
          .where('production_requests.status', '=', 'pending')
          .orderBy('production_requests.requested_at')
          .orderBy('production_requests.id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        db
          .selectFrom('production_requests')
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('total'))
          .where('status', '=', 'pending')
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toRequest), total: Number(count.total) };
    },

    /** Decides a pending request (compare-and-set on `pending`); false when it was decided already. */
    async decide(
      id: string,
      decision: { status: 'approved' | 'declined'; by: string | null; at: number; note: string | null },
    ): Promise<boolean> {
      const result = await db
        .updateTable('production_requests')
        .set({
          status: decision.status,
          decided_by: decision.by,
          decided_at: decision.at,
          note: decision.note,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Puts a request back in the queue (an approval that could not be applied). */
    async reopen(id: string): Promise<void> {
      await db
        .updateTable('production_requests')
        .set({ status: 'pending', decided_by: null, decided_at: null, note: null })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type ProductionRequestRepository = ReturnType<typeof createProductionRequestRepository>;
