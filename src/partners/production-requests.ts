import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { ApplicationService } from './application-service.ts';
import { partnerErrors } from './errors.ts';
import { productionChecklist } from './production-checklist.ts';
import type { ProductionRequest, ProductionRequestRepository } from './production-request-repository.ts';

const NOTE_MAX = 2000;

/** Sandbox → production: the partner asks with the checklist done; an administrator approves or declines. */
export function createProductionRequestService(deps: {
  repository: ProductionRequestRepository;
  applications: ApplicationService;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
  /** The request was approved or declined (the partner is told: notices.ts). */
  onDecided?: (clientId: string, decision: 'approved' | 'declined', note: string | null) => Promise<void>;
}) {
  const { repository, applications, audit, clock } = deps;
  const subject = (clientId: string) => ({ type: 'application', id: clientId });

  async function pending(id: string): Promise<ProductionRequest> {
    const request = await repository.find(id);
    if (request?.status !== 'pending') throw partnerErrors.productionRequestNotFound();
    return request;
  }

  function validNote(note: string | undefined, required: boolean): string | null {
    const text = note?.trim() ?? '';
    if (text.length > NOTE_MAX || (required && text === '')) {
      throw partnerErrors.invalidNote(required, NOTE_MAX);
    }
    return text === '' ? null : text;
  }

  return {
    /** The checklist as the application stands now. */
    async checklist(clientId: string) {
      return productionChecklist(await applications.get(clientId));
    },

    async request(clientId: string, actor: Actor): Promise<ProductionRequest> {
      const application = await applications.get(clientId);
      if (application.mode === 'production') throw partnerErrors.alreadyInProduction();
      const checklist = productionChecklist(application);
      const missing = checklist.filter((item) => !item.done).map((item) => item.detail ?? item.label);
      if (missing.length > 0) throw partnerErrors.checklistIncomplete(missing);
      const id = deps.ids.uuid();
      const inserted = await repository.insertPending({
        id,
        applicationId: application.id,
        requestedBy: actor.id ?? null,
        requestedAt: clock.now().getTime(),
        checklist,
      });
      if (!inserted) throw partnerErrors.productionPending();
      await audit.record('application.production_requested', {
        actor,
        subject: subject(clientId),
        data: { requestId: id },
      });
      return pending(id);
    },

    /** The application's requests and their decisions, newest first. */
    async history(clientId: string): Promise<ProductionRequest[]> {
      return repository.listForApplication((await applications.get(clientId)).id);
    },

    queue: (page: { limit: number; offset: number }) => repository.listPending(page),
    find: (id: string) => repository.find(id),

    /** Moves the application to production. */
    async approve(id: string, input: { note?: string }, actor: Actor): Promise<void> {
      const request = await pending(id);
      const note = validNote(input.note, false);
      const decided = await repository.decide(id, {
        status: 'approved',
        by: actor.id ?? null,
        at: clock.now().getTime(),
        note,
      });
      if (!decided) throw partnerErrors.productionRequestNotFound();
      try {
        await applications.setMode(request.clientId, 'production', actor);
      } catch (error) {
        // The application changed since it asked (a redirect URI production refuses): back to the queue.
        await repository.reopen(id);
        throw error;
      }
      await audit.record('application.production_approved', {
        actor,
        subject: subject(request.clientId),
        data: { requestId: id, note },
      });
      await deps.onDecided?.(request.clientId, 'approved', note);
    },

    /** Declines with a note saying what to fix; the application stays in sandbox and may ask again. */
    async decline(id: string, input: { note?: string }, actor: Actor): Promise<void> {
      const request = await pending(id);
      const note = validNote(input.note, true);
      const decided = await repository.decide(id, {
        status: 'declined',
        by: actor.id ?? null,
        at: clock.now().getTime(),
        note,
      });
      if (!decided) throw partnerErrors.productionRequestNotFound();
      await audit.record('application.production_declined', {
        actor,
        subject: subject(request.clientId),
        data: { requestId: id, note },
      });
      await deps.onDecided?.(request.clientId, 'declined', note);
    },
  };
}

export type ProductionRequestService = ReturnType<typeof createProductionRequestService>;
