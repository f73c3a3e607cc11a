import { button, clientLogo, csrfField } from '../components.ts';
import { html, safeUrl, type SafeHtml } from '../html.ts';
import { page } from '../layout.ts';

export interface ConsentView {
  action: string;
  csrfToken: string;
  client: { name: string; logoUri?: string; policyUri?: string; tosUri?: string; color?: string };
  /** Human-readable labels of what will be released: "First name", "Military status: Veteran". */
  fields: string[];
  account: { email: string };
  /** Labels the app already received with an earlier consent; only the rest are listed as new. */
  previouslyShared?: string[];
  /** "Not you?" leads here (signing out or switching account), when given. */
  switchAccountHref?: string;
}

function list(items: readonly string[]): SafeHtml {
  return html`<ul class="claims">
    ${items.map((item) => html`<li class="claims__item">${item}</li>`)}
  </ul>`;
}

function externalLink(href: string | undefined, text: string): SafeHtml | false {
  const url = safeUrl(href);
  return (
    url !== undefined &&
    html`<a href="${url}" target="_blank" rel="noopener noreferrer"
      >${text}<span class="visually-hidden"> (opens in a new tab)</span></a
    >`
  );
}

function policies(client: ConsentView['client']): SafeHtml | false {
  const privacy = externalLink(client.policyUri, 'privacy policy');
  const terms = externalLink(client.tosUri, 'terms of service');
  if (privacy === false && terms === false) return false;
  const links = privacy !== false && terms !== false ? html`${privacy} and ${terms}` : privacy || terms;
  return html`<p class="consent__policies">Before you continue, review ${client.name}’s ${links}.</p>`;
}

export function renderConsent(view: ConsentView): string {
  const { client } = view;
  const already = view.previouslyShared ?? [];
  const added = already.length === 0 ? view.fields : view.fields.filter((item) => !already.includes(item));
  return page({
    title: `Share with ${client.name}`,
    brandColor: client.color,
    body: html`<div class="consent__apps">${clientLogo(client, 'large')}</div>
      <h1 class="card__title">${client.name} wants to access your Vetted account</h1>
      <p class="account">
        Signed in as <strong class="email">${view.account.email}</strong>${
          view.switchAccountHref !== undefined &&
          html` · <a class="nowrap" href="${view.switchAccountHref}">Not you?</a>`
        }
      </p>
      ${
        already.length > 0 &&
        html`<p>${client.name} already has your:</p>
          ${list(already)}`
      }
      ${
        added.length > 0
          ? html`<p>
                ${already.length > 0 ? 'If you allow it, it will also receive:' : `${client.name} will receive:`}
              </p>
              ${list(added)}`
          : html`<p>Nothing new will be shared.</p>`
      }
      <p class="consent__note">Vetted shares only what is listed here, and only if you choose Allow.</p>
      ${policies(client)}
      <form class="form consent__form" method="post" action="${view.action}">
        ${csrfField(view.csrfToken)}
        <div class="button-row">
          ${button('Allow', { name: 'decision', value: 'allow' })}
          ${button('Deny', { name: 'decision', value: 'deny', variant: 'secondary' })}
        </div>
      </form>`,
  });
}
