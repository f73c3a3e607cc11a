import { button, csrfField, notice } from '../components.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';
import { accountNav } from './connected-apps.ts';

export interface MyVerificationItem {
  id: string;
  communityName: string;
  subgroups: string[];
  /** The effective status (an expired verification says so even before the sweeper marks it). */
  status: string;
  method: string;
  createdAt: Date;
  verifiedAt: Date | null;
  expiresAt: Date | null;
  /** The reviewer's reason, in words, when rejected or sent back. */
  reason?: string;
  documentCount: number;
}

export interface DocumentAccessItem {
  at: Date;
  applicationName: string;
  side: string;
  size: string | null;
  /** `served`, or why it was refused (`rate_limited`, `expired_token`, …) */
  outcome: string;
}

export interface MyVerificationsView {
  email: string;
  items: readonly MyVerificationItem[];
  csrfToken: string;
  deleteAction: (id: string) => string;
  signOutAction: string;
  notice?: string;
  /** Who fetched images of the user's documents through document passback, newest first. */
  documentAccesses?: readonly DocumentAccessItem[];
}

const statusLabels: Record<string, string> = {
  started: 'Not finished',
  evidence_submitted: 'Waiting for review',
  in_review: 'Being reviewed',
  verified: 'Verified',
  rejected: 'Not accepted',
  needs_resubmission: 'Another document needed',
  expired: 'Expired',
  revoked: 'Revoked',
};

const methodLabels: Record<string, string> = {
  email_domain: 'Code sent to your work or school email',
  document: 'Document checked by a reviewer',
  roster: 'Your organization’s records',
  registry: 'An official registry',
  attestation: 'Confirmed by a Vetted administrator',
  operator: 'Confirmed by a Vetted administrator',
  sandbox: 'Sandbox test persona',
};

const day = (date: Date) =>
  date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** "My verifications": what the user is verified for, how, until when; each can be deleted. */
export function renderMyVerifications(view: MyVerificationsView): string {
  return page({
    title: 'My verifications',
    width: 'wide',
    body: html`<div class="card">
      ${accountNav('verifications')}
      <h1 class="card__title">My verifications</h1>
      <p class="account">Signed in as <strong class="email">${view.email}</strong></p>
      <form class="form form--inline" method="post" action="${view.signOutAction}">
        ${csrfField(view.csrfToken)} ${button('Sign out', { variant: 'secondary' })}
      </form>
      ${notice(view.notice)}
      ${
        view.items.length === 0
          ? html`<p class="empty">
              You have no verifications yet. Sites that ask for one let you verify as you sign in.
            </p>`
          : html`<ul class="verifications">
                ${view.items.map(
                  (item) =>
                    html`<li class="verification">
                      <h2 class="verification__title">
                        ${item.communityName}${item.subgroups.length > 0 && html` · ${item.subgroups.join(', ')}`}
                      </h2>
                      <p class="verification__status verification__status--${item.status}">
                        ${statusLabels[item.status] ?? item.status}
                      </p>
                      <dl class="verification__facts">
                        <div>
                          <dt>How</dt>
                          <dd>${methodLabels[item.method] ?? item.method}</dd>
                        </div>
                        <div>
                          <dt>Started</dt>
                          <dd>${day(item.createdAt)}</dd>
                        </div>
                        ${
                          item.verifiedAt !== null &&
                          html`<div>
                            <dt>Verified</dt>
                            <dd>${day(item.verifiedAt)}</dd>
                          </div>`
                        }
                        ${
                          item.verifiedAt !== null &&
                          html`<div>
                            <dt>${item.status === 'expired' ? 'Expired' : 'Valid until'}</dt>
                            <dd>${item.expiresAt === null ? 'No end date' : day(item.expiresAt)}</dd>
                          </div>`
                        }
                        ${
                          item.reason !== undefined &&
                          html`<div>
                            <dt>Why</dt>
                            <dd>${item.reason}</dd>
                          </div>`
                        }
                        ${
                          item.documentCount > 0 &&
                          html`<div>
                            <dt>Documents</dt>
                            <dd>${item.documentCount} kept encrypted</dd>
                          </div>`
                        }
                      </dl>
                      <form method="post" action="${view.deleteAction(item.id)}">
                        ${csrfField(view.csrfToken)}
                        <button class="button button--secondary" type="submit">
                          Delete<span class="visually-hidden"> ${item.communityName} verification</span>
                        </button>
                      </form>
                    </li>`,
                )}
              </ul>
              <p class="form__aside">
                Deleting a verification deletes its documents too. Sites that received it keep what they were
                given, but see you as not verified from then on.
              </p>`
      }
      ${documentAccesses(view.documentAccesses ?? [])}
    </div>`,
  });
}

function documentAccesses(items: readonly DocumentAccessItem[]) {
  return html`<section class="section" aria-labelledby="document-accesses">
    <h2 id="document-accesses">Who accessed my documents</h2>
    ${
      items.length === 0
        ? html`<p class="empty">No application has fetched images of your documents.</p>`
        : html`<table class="table">
            <caption class="visually-hidden">
              Fetches of your document images, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Application</th>
                <th scope="col">Side</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              ${items.map(
                (item) =>
                  html`<tr>
                    <td class="nowrap">${item.at.toISOString().slice(0, 16).replace('T', ' ')}</td>
                    <td>${item.applicationName}</td>
                    <td>${item.side}${item.size === null ? '' : ` (${item.size})`}</td>
                    <td>
                      ${item.outcome === 'served' ? 'Sent' : `Refused (${item.outcome.replaceAll('_', ' ')})`}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}
