import {
  button,
  csrfField,
  errorSummary,
  field,
  fileField,
  heading,
  notice,
  selectField,
  type ChoiceOption,
  type ClientSummary,
} from '../components.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';

export interface VerifyCodeView {
  client: ClientSummary;
  community: { name: string };
  address: string;
  csrfToken: string;
  actions: { confirm: string; resend: string; back: string };
  error?: string;
  notice?: string;
}

/** "Check your email": the code sent to the community address. */
export function renderVerifyCode(view: VerifyCodeView): string {
  return page({
    title: 'Enter your code',
    body: html`${heading('Check your email', view.client, '')}
      <p class="card__lede">We sent a 6-digit code to <strong class="email">${view.address}</strong></p>
      ${notice(view.notice)}
      ${errorSummary(view.error === undefined ? [] : [{ message: view.error, field: 'code' }])}
      <form class="form" method="post" action="${view.actions.confirm}" novalidate>
        ${csrfField(view.csrfToken)}
        ${field({
          name: 'code',
          label: 'Verification code',
          hint: 'Enter the 6 digits from the email. The code works for 10 minutes.',
          error: view.error,
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          pattern: '[0-9]{6}',
          maxlength: 6,
          required: true,
          verbatim: true,
        })}
        ${button(`Verify ${view.community.name.toLowerCase()} status`)}
      </form>
      <form class="form form--secondary" method="post" action="${view.actions.resend}">
        ${csrfField(view.csrfToken)}
        <input type="hidden" name="address" value="${view.address}" />
        <p class="form__aside">Didn’t get it? Check your spam folder, or ask for another code.</p>
        ${button('Send a new code', { variant: 'secondary' })}
      </form>
      <p class="card__footer"><a href="${view.actions.back}">Use another way</a></p>`,
  });
}

export interface VerifyDocumentView {
  client: ClientSummary;
  community: { name: string };
  csrfToken: string;
  subgroups: readonly ChoiceOption[];
  documentTypes: readonly ChoiceOption[];
  action: string;
  backHref: string;
  values?: { subgroup?: string; documentType?: string };
  errors?: { subgroup?: string; documentType?: string; front?: string; back?: string; form?: string };
  /** The reviewer's note when an earlier upload was sent back. */
  reviewerNote?: string;
}

/** The upload form: the claimed subgroup, the document type, its front and (optionally) back. */
export function renderVerifyDocument(view: VerifyDocumentView): string {
  const errors = view.errors ?? {};
  const values = view.values ?? {};
  const summary = (['form', 'subgroup', 'documentType', 'front', 'back'] as const).flatMap((name) =>
    errors[name] === undefined
      ? []
      : [{ message: errors[name], ...(name === 'form' ? {} : { field: name }) }],
  );
  return page({
    title: 'Upload a document',
    body: html`${heading('Upload a document', view.client, '')}
      <p>
        A person at Vetted checks that it shows your ${view.community.name.toLowerCase()} status. It is kept
        encrypted, and you can delete it at any time from your Vetted account.
      </p>
      ${notice(view.reviewerNote === undefined ? undefined : `Our reviewer asked for another try: ${view.reviewerNote}`)}
      ${errorSummary(summary)}
      <form class="form" method="post" action="${view.action}" enctype="multipart/form-data" novalidate>
        ${csrfField(view.csrfToken)}
        ${selectField({
          name: 'subgroup',
          label: 'Your status',
          choices: view.subgroups,
          value: values.subgroup,
          error: errors.subgroup,
          placeholder: 'Choose…',
          required: true,
        })}
        ${selectField({
          name: 'documentType',
          label: 'Document',
          choices: view.documentTypes,
          value: values.documentType,
          error: errors.documentType,
          placeholder: 'Choose…',
          required: true,
        })}
        ${fileField({
          name: 'front',
          label: 'Front of the document',
          accept: 'image/jpeg,image/png,application/pdf',
          hint: 'A photo or scan as JPEG, PNG or PDF, up to 10 MB.',
          error: errors.front,
          required: true,
        })}
        ${fileField({
          name: 'back',
          label: 'Back of the document (optional)',
          accept: 'image/jpeg,image/png,application/pdf',
          error: errors.back,
        })}
        ${button('Upload document')}
      </form>
      <p class="card__footer"><a href="${view.backHref}">Use another way</a></p>`,
  });
}

export interface VerifyPendingView {
  client: ClientSummary;
  community: { handle: string; name: string };
  /** Other requested communities still to verify: then the button continues to them. */
  othersToVerify: boolean;
  documentName: string;
  email: string;
  csrfToken: string;
  skipAction: string;
}

/** After an upload: the review takes time; the user may go back to the partner now. */
export function renderVerifyPending(view: VerifyPendingView): string {
  return page({
    title: 'We’re reviewing your document',
    body: html`${heading('We’re reviewing your document', view.client, '')}
      <p>
        Someone at Vetted will check your ${view.documentName}. We’ll email you at
        <strong class="email">${view.email}</strong> as soon as it is decided, usually within a day.
      </p>
      <p>
        You can ${view.othersToVerify ? 'go on' : `return to ${view.client.name}`} now: until the review is
        done, ${view.client.name} will see that your ${view.community.name.toLowerCase()} status is not
        verified yet.
      </p>
      <form class="form" method="post" action="${view.skipAction}">
        ${csrfField(view.csrfToken)}
        <input type="hidden" name="community" value="${view.community.handle}" />
        ${button(view.othersToVerify ? 'Continue' : `Return to ${view.client.name}`)}
      </form>`,
  });
}
