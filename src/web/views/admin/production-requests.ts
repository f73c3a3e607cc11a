import type { ProductionRequest } from '../../../partners/production-request-repository.ts';
import { button, csrfField, errorSummary, notice, textareaField } from '../../components.ts';
import { pager } from '../../console-layout.ts';
import { html, type SafeHtml } from '../../html.ts';
import { checklistList } from './application.ts';
import { applicationHref, organizationHref } from './applications.ts';
import { adminPage, when, type AdminFrame } from './shared.ts';

/** The note field of one request's decision form (one form per request on the page). */
export const noteField = (requestId: string) => `note-${requestId}`;

export interface ProductionQueueView extends AdminFrame {
  offset: number;
  limit: number;
  total: number;
  items: readonly { request: ProductionRequest; organization: { id: string; name: string } | undefined }[];
  /** A decision that was refused: which request, the message, and the note as typed. */
  refused?: { requestId: string; message: string; onNote: boolean; note: string };
  notice?: string;
}

function decisionForm(view: ProductionQueueView, request: ProductionRequest): SafeHtml {
  const refused = view.refused?.requestId === request.id ? view.refused : undefined;
  return html`<form
    class="form"
    method="post"
    action="/admin/production-requests/${encodeURIComponent(request.id)}/decision"
    novalidate
  >
    ${csrfField(view.csrfToken)}
    ${textareaField({
      name: noteField(request.id),
      label: 'Note to the partner',
      hint: 'Optional when approving; when declining, say what to fix.',
      value: refused?.note ?? '',
      maxlength: 2000,
      error: refused?.onNote === true ? refused.message : undefined,
    })}
    <div class="actions">
      ${button('Approve', { name: 'decision', value: 'approve' })}
      ${button('Decline', { name: 'decision', value: 'decline', variant: 'secondary' })}
    </div>
  </form>`;
}

/** `/admin/production-requests`: the requests waiting, oldest first, each with its decision form. */
export function renderProductionQueue(view: ProductionQueueView): string {
  const href = (offset: number) => `/admin/production-requests?offset=${offset}`;
  const refused = view.refused;
  return adminPage(view, {
    title: 'Production requests',
    current: '/admin/production-requests',
    body: html`${notice(view.notice)}
      ${errorSummary(
        refused === undefined
          ? []
          : [
              refused.onNote
                ? { message: refused.message, field: noteField(refused.requestId) }
                : { message: refused.message },
            ],
      )}
      <p>${view.total === 1 ? '1 request waits' : `${view.total} requests wait`}, oldest first.</p>
      ${
        view.items.length === 0
          ? html`<p class="empty">No production request is waiting.</p>`
          : view.items.map(
              ({ request, organization }) =>
                html`<section class="section" aria-labelledby="request-${request.id}">
                  <h2 id="request-${request.id}">
                    <a href="${applicationHref(request.clientId)}">${request.applicationName}</a>
                  </h2>
                  <dl class="facts">
                    <div>
                      <dt>Organization</dt>
                      <dd>
                        ${
                          organization === undefined
                            ? 'None'
                            : html`<a href="${organizationHref(organization.id)}">${organization.name}</a>`
                        }
                      </dd>
                    </div>
                    <div>
                      <dt>Requested</dt>
                      <dd>${when(request.requestedAt)}</dd>
                    </div>
                  </dl>
                  <h3>Checklist when requested</h3>
                  ${checklistList(request.checklist)} ${decisionForm(view, request)}
                </section>`,
            )
      }
      ${pager({ total: view.total, offset: view.offset, limit: view.limit, href })}`,
  });
}
