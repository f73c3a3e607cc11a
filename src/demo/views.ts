import { button, csrfField, errorSummary, field, selectField } from '../web/components.ts';
import { html, type SafeHtml } from '../web/html.ts';
import { page } from '../web/layout.ts';
import { personaTable, type PersonaDetails } from '../web/views/persona-table.ts';
import type { ShownCall } from './exchange.ts';

/** /demo: the Demo Shop's personas and a button that starts a sign-in. */
export function renderDemo(view: {
  personas: PersonaDetails[];
  communities: { handle: string; name: string }[];
  /** The community whose personas are listed, preselected in the form. */
  chosen: string;
  startAction: string;
  csrfToken: string;
  error?: string;
}): string {
  return page({
    title: 'Try a sign-in',
    width: 'wide',
    body: html`<h1>Try a sign-in</h1>
      <p>
        The <strong>Demo Shop</strong> is a sandbox application (client_id
        <code class="value">demo-shop</code>, a public client using PKCE) that returns to a page on Vetted
        itself. Start a sign-in, sign in as one of the personas below, allow, and that page exchanges the code
        and shows the attributes the shop receives: every request, exactly as a partner's server sends it.
      </p>
      ${errorSummary(view.error === undefined ? [] : [{ message: view.error, field: 'community' }])}
      <form class="form" method="post" action="${view.startAction}">
        ${csrfField(view.csrfToken)}
        ${selectField({
          name: 'community',
          label: 'Community the shop asks for',
          choices: view.communities.map((community) => ({ value: community.handle, label: community.name })),
          value: view.chosen,
          error: view.error,
        })}
        ${button('Start a sign-in')}
      </form>
      <section class="section" aria-labelledby="personas">
        <h2 id="personas">Personas</h2>
        <p>
          Sandbox accounts whose verification always ends the same way, four per community. Sign in as one of
          the community you ask for; "Verified at once" reads <code>"verified": true</code> at the end.
        </p>
        <nav aria-label="Personas of another community">
          <p>
            ${view.communities.map(
              (community, index) =>
                html`${index > 0 && ' · '}<a
                    href="/demo?community=${encodeURIComponent(community.handle)}"
                    ${community.handle === view.chosen ? html`aria-current="page"` : ''}
                    >${community.name}</a
                  >`,
            )}
          </p>
        </nav>
        ${personaTable(view.personas, 'Sandbox personas and their sign-in details')}
      </section>`,
  });
}

function shownCall(title: string, id: string, call: ShownCall): SafeHtml {
  const request = [
    `${call.method} ${call.url}`,
    ...call.headers.map(([name, value]) => `${name}: ${value}`),
    ...(call.body === undefined ? [] : ['', call.body]),
  ].join('\n');
  return html`<section class="section" aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    <h3>Request</h3>
    <pre class="code" tabindex="0" aria-label="${title}: request">${request}</pre>
    <h3>Response${call.status === undefined ? '' : ` (HTTP ${call.status})`}</h3>
    ${
      call.failure === undefined
        ? html`<pre class="code" tabindex="0" aria-label="${title}: response">
${call.responseBody ?? ''}</pre>`
        : html`<p class="field__error">${call.failure}</p>`
    }
  </section>`;
}

export interface CallbackResult {
  code: string;
  token: ShownCall;
  attributes?: ShownCall;
  /** The token endpoint's error, explained. */
  problem?: string;
  verified: { group: string; verified: boolean }[];
  back: { href: string; label: string };
}

/** /demo/callback after the exchange: the code, the token request and response, the attributes response. */
export function renderCallbackResult(view: CallbackResult): string {
  return page({
    title: 'Sign-in result',
    width: 'wide',
    body: html`<h1>Sign-in result</h1>
      <p>
        The authorization returned the code <code class="value">${view.code}</code>, and its
        <code>state</code> matched the one this browser sent.
      </p>
      ${view.problem !== undefined && errorSummary([{ message: view.problem }])}
      ${
        view.verified.length > 0 &&
        html`<ul class="checklist" aria-label="Verification status">
          ${view.verified.map(
            (item) =>
              html`<li>
                <span class="badge badge--${item.verified ? 'good' : 'warn'}">${item.group}</span>
                verified: ${item.verified ? 'true' : 'false'}
              </li>`,
          )}
        </ul>`
      }
      ${shownCall('1. The code exchanged at the token endpoint', 'token-call', view.token)}
      ${view.attributes !== undefined && shownCall('2. The attributes read with the access token', 'attributes-call', view.attributes)}
      <p><a href="${view.back.href}">${view.back.label}</a></p>`,
  });
}

/** A confidential application's test: the developer pastes the secret (used once, never stored). */
export function renderSecretForm(view: {
  clientId: string;
  code: string;
  state: string;
  action: string;
  csrfToken: string;
  error?: string;
}): string {
  return page({
    title: 'Exchange the code',
    body: html`<h1>Exchange the code</h1>
      <p>
        The authorization returned a code and its <code>state</code> matched. <code>${view.clientId}</code> is
        a confidential client, so the token endpoint wants its client secret, which Vetted keeps only as a
        hash. Paste it to exchange the code: it is sent once, in this request, and not kept.
      </p>
      ${errorSummary(view.error === undefined ? [] : [{ message: view.error, field: 'client_secret' }])}
      <form class="form" method="post" action="${view.action}" novalidate>
        ${csrfField(view.csrfToken)}
        <input type="hidden" name="code" value="${view.code}" />
        <input type="hidden" name="state" value="${view.state}" />
        ${field({ name: 'client_secret', label: 'Client secret', type: 'password', autocomplete: 'off', required: true, error: view.error, verbatim: true })}
        ${button('Exchange the code')}
      </form>`,
  });
}

/** Anything that stops the callback: explained, with the way back. */
export function renderCallbackProblem(view: {
  title: string;
  explanation: string;
  back: { href: string; label: string };
}): string {
  return page({
    title: view.title,
    body: html`<h1>${view.title}</h1>
      <p>${view.explanation}</p>
      <p><a href="${view.back.href}">${view.back.label}</a></p>`,
  });
}
