import { clientLogo, csrfField, notice } from '../components.ts';
import { html, type SafeHtml } from '../html.ts';
import { page } from '../layout.ts';

export interface ConnectedAppItem {
  clientId: string;
  name: string;
  logoUri?: string;
  /** What the application receives, as the consent page named it: "First name", "Military status: Veteran". */
  fields: string[];
  since: Date;
}

/** A sandbox application the user is a test user of. */
export interface TestingItem {
  clientId: string;
  name: string;
  /** The name its developers see; null when they see the account's name */
  shownName: string | null;
  since: Date;
}

export interface ConnectedAppsView {
  email: string;
  items: readonly ConnectedAppItem[];
  testing?: readonly TestingItem[];
  leaveAction?: (clientId: string) => string;
  csrfToken: string;
  revokeAction: (clientId: string) => string;
  notice?: string;
}

const day = (date: Date) =>
  date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** The links between the user's own pages. */
export function accountNav(current: 'verifications' | 'apps'): SafeHtml {
  const link = (href: string, label: string, here: boolean) =>
    here ? html`<a href="${href}" aria-current="page">${label}</a>` : html`<a href="${href}">${label}</a>`;
  return html`<nav class="account-nav" aria-label="Your account">
    ${link('/account/verifications', 'My verifications', current === 'verifications')}
    ${link('/account/apps', 'Connected apps', current === 'apps')}
  </nav>`;
}

/** "Connected apps": what each application the user consented to receives, and a way to take it back. */
export function renderConnectedApps(view: ConnectedAppsView): string {
  return page({
    title: 'Connected apps',
    width: 'wide',
    body: html`<div class="card">
      ${accountNav('apps')}
      <h1 class="card__title">Connected apps</h1>
      <p class="account">Signed in as <strong class="email">${view.email}</strong></p>
      ${notice(view.notice)}
      ${
        view.items.length === 0
          ? html`<p class="empty">No application receives anything from your Vetted account.</p>`
          : html`<ul class="verifications">
                ${view.items.map(
                  (item) =>
                    html`<li class="verification">
                      ${clientLogo({ name: item.name, logoUri: item.logoUri })}
                      <h2 class="verification__title">${item.name}</h2>
                      <p class="muted">Since ${day(item.since)}. It receives:</p>
                      <ul class="claims">
                        ${item.fields.map((field) => html`<li class="claims__item">${field}</li>`)}
                      </ul>
                      <form method="post" action="${view.revokeAction(item.clientId)}">
                        ${csrfField(view.csrfToken)}
                        <button class="button button--secondary" type="submit">
                          Revoke<span class="visually-hidden"> ${item.name}’s access</span>
                        </button>
                      </form>
                    </li>`,
                )}
              </ul>
              <p class="form__aside">
                Revoking ends what an application was given: its tokens stop working at once, and it has to
                ask you again. It keeps what it already received.
              </p>`
      }
      ${testingSection(view)}
    </div>`,
  });
}

/** The sandbox applications the user accepted to test, each with "Leave"; nothing when there is none. */
function testingSection(view: ConnectedAppsView): SafeHtml | false {
  const testing = view.testing ?? [];
  const leave = view.leaveAction;
  return (
    testing.length > 0 &&
    leave !== undefined &&
    html`<section class="section" aria-labelledby="testing">
      <h2 id="testing">Applications you test</h2>
      <ul class="verifications">
        ${testing.map(
          (item) =>
            html`<li class="verification">
              <h3 class="verification__title">${item.name}</h3>
              <p class="muted">
                Test user since ${day(item.since)}.
                ${item.shownName === null ? 'Its developers see your name.' : `Its developers see you as “${item.shownName}”.`}
              </p>
              <form method="post" action="${leave(item.clientId)}">
                ${csrfField(view.csrfToken)}
                <button class="button button--secondary" type="submit">
                  Leave<span class="visually-hidden"> ${item.name}</span>
                </button>
              </form>
            </li>`,
        )}
      </ul>
    </section>`
  );
}
