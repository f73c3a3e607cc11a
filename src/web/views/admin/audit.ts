import type { AuditRow } from '../../../audit/audit-repository.ts';
import { button, errorSummary, field, type SummaryItem } from '../../components.ts';
import { html, type SafeHtml } from '../../html.ts';
import { adminPage, type AdminFrame } from './shared.ts';

/** The filters as typed in the query string (dates as YYYY-MM-DD). */
export interface AuditFilterForm {
  actor: string;
  entity_type: string;
  entity_id: string;
  event: string;
  from: string;
  to: string;
}

export const auditFilterNames = ['actor', 'entity_type', 'entity_id', 'event', 'from', 'to'] as const;

export interface AuditView extends AdminFrame {
  filters: AuditFilterForm;
  errors: Partial<Record<keyof AuditFilterForm, string>>;
  rows: readonly AuditRow[];
  /** The link to the next, older page, when there may be one. */
  olderHref?: string;
  /** Whether this is a later page (`before` was given). */
  paged: boolean;
}

/** `/admin/audit?…` with these filters (empty ones left out) and `extra`. */
export function auditHref(filters: Partial<AuditFilterForm>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const name of auditFilterNames) {
    const value = filters[name];
    if (value !== undefined && value !== '') params.set(name, value);
  }
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const query = params.toString();
  return query === '' ? '/admin/audit' : `/admin/audit?${query}`;
}

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function filterForm(view: AuditView): SafeHtml {
  const { filters, errors } = view;
  const input = (name: keyof AuditFilterForm, label: string, hint?: string) =>
    field({
      name,
      label,
      value: filters[name],
      error: errors[name],
      verbatim: true,
      ...(hint === undefined ? {} : { hint }),
      ...(name === 'from' || name === 'to' ? { type: 'date' as const } : {}),
    });
  return html`<form class="form" method="get" action="/admin/audit" role="search" novalidate>
    ${input('actor', 'Actor ID', 'The user, administrator or reviewer who acted.')}
    ${input('entity_type', 'Subject type', 'application, organization, user, verification, document…')}
    ${input('entity_id', 'Subject ID')}
    ${input('event', 'Event', 'A name or its start: application. for every application event.')}
    ${input('from', 'From (date, UTC)')} ${input('to', 'To (date, UTC, included)')}
    <div class="actions">
      ${button('Filter', { variant: 'secondary' })} <a href="/admin/audit">Clear the filters</a>
    </div>
  </form>`;
}

function row(view: AuditView, event: AuditRow): SafeHtml {
  const actor =
    event.actorId === null
      ? event.actorType
      : html`${event.actorType}
          <a href="${auditHref({ ...view.filters, actor: event.actorId })}"
            ><code>${event.actorId}</code></a
          >`;
  const subject =
    event.subjectType === null
      ? ''
      : html`${event.subjectType}
        ${
          event.subjectId !== null &&
          html`<a
            href="${auditHref({ ...view.filters, entity_type: event.subjectType, entity_id: event.subjectId })}"
            ><code>${event.subjectId}</code></a
          >`
        }`;
  return html`<tr>
    <td class="nowrap">${time(event.occurredAt)}</td>
    <td><code>${event.event}</code></td>
    <td>${actor}</td>
    <td>${subject}</td>
    <td><code>${JSON.stringify(event.data)}</code></td>
  </tr>`;
}

/** `/admin/audit`: the audit log, newest first, filtered, a page at a time backwards by sequence number. */
export function renderAuditLog(view: AuditView): string {
  const summary: SummaryItem[] = auditFilterNames
    .filter((name) => view.errors[name] !== undefined)
    .map((name) => ({ message: view.errors[name] ?? '', field: name }));
  return adminPage(view, {
    title: 'Audit log',
    current: '/admin/audit',
    body: html`${errorSummary(summary)} ${filterForm(view)}
      ${
        view.rows.length === 0
          ? html`<p class="empty">No event matches.</p>`
          : html`<table class="table">
              <caption class="visually-hidden">
                Audit events, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Event</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Data</th>
                </tr>
              </thead>
              <tbody>
                ${view.rows.map((event) => row(view, event))}
              </tbody>
            </table>`
      }
      <nav class="pager" aria-label="Pages">
        ${view.paged && html`<a href="${auditHref(view.filters)}">Newest</a>`}
        ${view.olderHref !== undefined && html`<a href="${view.olderHref}" rel="next">Older</a>`}
      </nav>`,
  });
}
