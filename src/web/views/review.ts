import { button, csrfField, errorSummary, field, notice, selectField, textareaField } from '../components.ts';
import { html, type SafeHtml } from '../html.ts';
import { page } from '../layout.ts';

export interface ReviewQueueView {
  reviewerEmail: string;
  total: number;
  items: {
    href: string;
    name: string;
    email: string;
    community: string;
    subgroups: string[];
    status: string;
    waiting: string;
  }[];
  previousHref?: string;
  nextHref?: string;
  notice?: string;
  csrfToken: string;
}

/** "1 h 5 min", "3 d 2 h": how long a submission has waited. */
export function waitingFor(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function staffHeader(email: string, csrfToken: string): SafeHtml {
  return html`<div class="staff-bar">
    <p class="account">Reviewer: <strong class="email">${email}</strong></p>
    <form method="post" action="/account/sign-out">
      ${csrfField(csrfToken)} ${button('Sign out', { variant: 'secondary' })}
    </form>
  </div>`;
}

export function renderReviewQueue(view: ReviewQueueView): string {
  return page({
    title: 'Review queue',
    width: 'wide',
    body: html`<div class="card">
      ${staffHeader(view.reviewerEmail, view.csrfToken)}
      <h1 class="card__title">Review queue</h1>
      <p>${view.total === 1 ? '1 submission waits' : `${view.total} submissions wait`}, oldest first.</p>
      ${notice(view.notice)}
      ${
        view.items.length === 0
          ? html`<p class="empty">Nothing to review.</p>`
          : html`<table class="table">
              <caption class="visually-hidden">
                Submissions waiting for review
              </caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Community</th>
                  <th scope="col">Claimed</th>
                  <th scope="col">Status</th>
                  <th scope="col">Waiting</th>
                </tr>
              </thead>
              <tbody>
                ${view.items.map(
                  (item) =>
                    html`<tr>
                      <td>
                        <a href="${item.href}">${item.name}</a><br /><span class="muted">${item.email}</span>
                      </td>
                      <td>${item.community}</td>
                      <td>${item.subgroups.join(', ')}</td>
                      <td>${item.status === 'in_review' ? 'Opened' : 'New'}</td>
                      <td>${item.waiting}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      <nav class="pager" aria-label="Pages">
        ${view.previousHref !== undefined && html`<a href="${view.previousHref}">Previous</a>`}
        ${view.nextHref !== undefined && html`<a href="${view.nextHref}">Next</a>`}
      </nav>
    </div>`,
  });
}

export interface ReviewAttemptView {
  reviewerEmail: string;
  csrfToken: string;
  action: string;
  /** The verification's update time (ms) when shown: a decision on a changed verification is refused. */
  version: number;
  person: { name: string; email: string; emailVerified: boolean; accountCreated: string };
  community: { name: string; subgroups: string[] };
  claimed: string[];
  documentType: string;
  submitted: string;
  documents: { side: string; src: string; isPdf: boolean; width: number | null; height: number | null }[];
  signals: { duplicates: number; sameDomain?: { domain: string; count: number } };
  reasons: readonly { code: string; label: string }[];
  defaultExpiry: string;
  error?: string;
}

export function renderReviewAttempt(view: ReviewAttemptView): string {
  const subgroupChoices = view.community.subgroups.map((subgroup) => ({ value: subgroup, label: subgroup }));
  const reasonChoices = view.reasons.map((reason) => ({ value: reason.code, label: reason.label }));
  return page({
    title: `Review: ${view.person.name}`,
    width: 'wide',
    body: html`<div class="card">
      ${staffHeader(view.reviewerEmail, view.csrfToken)}
      <p><a href="/review">Back to the queue</a></p>
      <h1 class="card__title">${view.person.name} · ${view.community.name}</h1>
      ${errorSummary(view.error === undefined ? [] : [{ message: view.error }])}
      <dl class="facts">
        <div>
          <dt>Email</dt>
          <dd>${view.person.email} ${view.person.emailVerified ? '(confirmed)' : '(not confirmed)'}</dd>
        </div>
        <div>
          <dt>Account created</dt>
          <dd>${view.person.accountCreated}</dd>
        </div>
        <div>
          <dt>Claims</dt>
          <dd>${view.claimed.join(', ')}</dd>
        </div>
        <div>
          <dt>Document</dt>
          <dd>${view.documentType}</dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>${view.submitted}</dd>
        </div>
      </dl>
      ${
        (view.signals.duplicates > 0 || (view.signals.sameDomain?.count ?? 0) > 0) &&
        html`<div class="banner banner--warning" role="note">
          <h2 class="banner__title">Look twice</h2>
          <ul>
            ${view.signals.duplicates > 0 && html`<li>The same document was submitted by ${view.signals.duplicates === 1 ? 'another account' : `${view.signals.duplicates} other accounts`}.</li>`}
            ${
              view.signals.sameDomain !== undefined &&
              view.signals.sameDomain.count > 0 &&
              html`<li>
                ${view.signals.sameDomain.count} other
                ${view.signals.sameDomain.count === 1 ? 'account' : 'accounts'} at
                ${view.signals.sameDomain.domain} started a ${view.community.name} verification in the last 30
                days.
              </li>`
            }
          </ul>
        </div>`
      }
      <div class="documents">
        ${view.documents.map(
          (document) =>
            html`<figure class="document">
              ${
                document.isPdf
                  ? html`<p>
                      <a class="button button--secondary" href="${document.src}"
                        >Download the ${document.side} (PDF)</a
                      >
                    </p>`
                  : html`<img
                      class="document__image"
                      src="${document.src}"
                      alt="${document.side} of the document"
                    />`
              }
              <figcaption>
                ${document.side}${document.width !== null && ` · ${document.width}×${document.height ?? 0}`}
              </figcaption>
            </figure>`,
        )}
      </div>
      <section class="decision" aria-labelledby="approve-title">
        <h2 id="approve-title">Approve</h2>
        <form class="form" method="post" action="${view.action}">
          ${csrfField(view.csrfToken)}
          <input type="hidden" name="version" value="${view.version}" />
          ${selectField({ name: 'subgroup', label: 'Subgroup', choices: subgroupChoices, value: view.claimed[0], required: true })}
          ${field({ name: 'expires', label: 'Valid until', type: 'date', value: view.defaultExpiry, hint: 'Leave empty for no end date.' })}
          ${button('Approve', { name: 'decision', value: 'approve' })}
        </form>
      </section>
      <section class="decision" aria-labelledby="refuse-title">
        <h2 id="refuse-title">Reject or ask for another document</h2>
        <form class="form" method="post" action="${view.action}">
          ${csrfField(view.csrfToken)}
          <input type="hidden" name="version" value="${view.version}" />
          ${selectField({ name: 'reason', label: 'Reason', choices: reasonChoices, placeholder: 'Choose…', required: true })}
          ${textareaField({ name: 'note', label: 'Note to the person (optional)', maxlength: 500 })}
          <div class="button-row">
            ${button('Ask for another document', { name: 'decision', value: 'resubmit', variant: 'secondary' })}
            ${button('Reject', { name: 'decision', value: 'reject', variant: 'secondary' })}
          </div>
        </form>
      </section>
    </div>`,
  });
}
