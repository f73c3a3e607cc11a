import {
  button,
  csrfField,
  errorSummary,
  field,
  heading,
  notice,
  type ClientSummary,
} from '../components.ts';
import { html, type SafeHtml } from '../html.ts';
import { page } from '../layout.ts';

export type OfferedMethod = 'email_domain' | 'organization' | 'document' | 'sandbox';

export interface VerifyChooseView {
  client: ClientSummary;
  community: { handle: string; name: string };
  csrfToken: string;
  /** The methods to offer, in order. */
  methods: readonly OfferedMethod[];
  /** e.g. "Use an address ending in .mil." */
  acceptedAddresses?: string;
  actions: { email: string; organization: string; documentPage: string; sandbox: string; skip: string };
  values?: { address?: string; memberId?: string };
  /** A problem with one method's form, shown on that form. */
  errors?: { address?: string; memberId?: string; form?: string };
  notice?: string;
  /** The sandbox persona's expected outcome, shown when `sandbox` is offered. */
  persona?: string;
}

function section(title: string, body: SafeHtml): SafeHtml {
  return html`<section class="method" aria-labelledby="method-${title.replace(/\W+/g, '-').toLowerCase()}">
    <h2 class="method__title" id="method-${title.replace(/\W+/g, '-').toLowerCase()}">${title}</h2>
    ${body}
  </section>`;
}

/** "Verify your military status": the community's ways of proving membership, and a way to skip. */
export function renderVerifyChoose(view: VerifyChooseView): string {
  const errors = view.errors ?? {};
  const values = view.values ?? {};
  const summary = [
    ...(errors.form === undefined ? [] : [{ message: errors.form }]),
    ...(errors.address === undefined ? [] : [{ message: errors.address, field: 'address' }]),
    ...(errors.memberId === undefined ? [] : [{ message: errors.memberId, field: 'memberId' }]),
  ];
  const offered = (method: OfferedMethod) => view.methods.includes(method);
  return page({
    title: `Verify your ${view.community.name.toLowerCase()} status`,
    body: html`${heading(`Verify your ${view.community.name.toLowerCase()} status`, view.client, '')}
      <p>
        ${view.client.name} asks whether you are ${view.community.name.toLowerCase()}. Choose how to show it.
      </p>
      ${notice(view.notice)} ${errorSummary(summary)}
      ${
        offered('sandbox') &&
        section(
          'Sandbox test persona',
          html`<p>This is a test account: ${view.persona ?? 'its outcome is fixed'}.</p>
            <form class="form" method="post" action="${view.actions.sandbox}">
              ${csrfField(view.csrfToken)} ${button('Continue as test persona')}
            </form>`,
        )
      }
      ${
        offered('email_domain') &&
        section(
          'Use your work or school email',
          html`<p>${view.acceptedAddresses ?? ''} We’ll send a code to it.</p>
            <form class="form" method="post" action="${view.actions.email}" novalidate>
              ${csrfField(view.csrfToken)}
              ${field({
                name: 'address',
                label: 'Work or school email',
                type: 'email',
                value: values.address,
                error: errors.address,
                autocomplete: 'email',
                required: true,
                verbatim: true,
              })}
              ${button('Send code')}
            </form>`,
        )
      }
      ${
        offered('organization') &&
        section(
          'Check with your organization',
          html`<p>
              We look you up in the records your organization shares with Vetted, by your confirmed email
              address or your member number and name.
            </p>
            <form class="form" method="post" action="${view.actions.organization}" novalidate>
              ${csrfField(view.csrfToken)}
              ${field({
                name: 'memberId',
                label: 'Member or service number (optional)',
                value: values.memberId,
                error: errors.memberId,
                autocomplete: 'off',
                verbatim: true,
              })}
              ${button('Check my membership')}
            </form>`,
        )
      }
      ${
        offered('document') &&
        section(
          'Upload a document',
          html`<p>A person at Vetted checks it, usually within a day. You can continue meanwhile.</p>
            <p>
              <a class="button button--secondary" href="${view.actions.documentPage}">Upload a document</a>
            </p>`,
        )
      }
      <form class="form form--secondary" method="post" action="${view.actions.skip}">
        ${csrfField(view.csrfToken)}
        <p class="form__aside">${view.client.name} will see that you are not verified.</p>
        ${button('Continue without verifying', { variant: 'secondary' })}
      </form>`,
  });
}
