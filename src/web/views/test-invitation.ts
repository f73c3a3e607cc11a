import { button, csrfField, errorSummary, field, fieldId } from '../components.ts';
import { attributes, html } from '../html.ts';
import { page } from '../layout.ts';

export interface TestInvitationView {
  applicationName: string;
  organizationName: string;
  expiresAt: Date;
  /** The signed-in account */
  email: string;
  firstName: string;
  action: string;
  csrfToken: string;
  choice?: 'first' | 'other';
  name?: string;
  /** At the name field */
  error?: string;
  /** About the whole form */
  formError?: string;
}

const day = (date: Date) =>
  date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

function radio(name: string, value: string, label: string, checked: boolean) {
  const id = `${fieldId(name)}-${value}`;
  return html`<div class="choice">
    <input${attributes({ type: 'radio', id, name, value, checked })} />
    <label for="${id}">${label}</label>
  </div>`;
}

/** The link mailed to an account's owner: which application asks, the name it will see, Accept or Decline. */
export function renderTestInvitation(view: TestInvitationView): string {
  const choice = view.choice ?? 'first';
  return page({
    title: 'Invitation to test an application',
    body: html`${errorSummary([
        ...(view.error === undefined ? [] : [{ message: view.error, field: 'name' }]),
        ...(view.formError === undefined ? [] : [{ message: view.formError }]),
      ])}
      <h1 class="card__title">Test ${view.applicationName} with your account?</h1>
      <p>
        <strong>${view.applicationName}</strong>, by <strong>${view.organizationName}</strong>, asks to add
        your Vetted account as a test user while the application is in sandbox mode.
      </p>
      <p class="account">Signed in as <strong class="email">${view.email}</strong></p>
      <p>
        If you accept, this account can sign in to the application's sandbox, and its developers see your
        email address and the name you choose below. Until you accept they know only that they invited this
        address; if you decline, they are not told.
      </p>
      <form class="form" method="post" action="${view.action}" novalidate>
        ${csrfField(view.csrfToken)}
        <fieldset class="field choices" id="${fieldId('name_choice')}">
          <legend class="field__label">The name its developers see</legend>
          ${radio('name_choice', 'first', `My first name: ${view.firstName}`, choice === 'first')}
          ${radio('name_choice', 'other', 'Another name', choice === 'other')}
        </fieldset>
        ${field({
          name: 'name',
          label: 'Name to show',
          hint: 'Used when you choose “Another name”: up to 60 characters.',
          value: view.name,
          error: view.error,
          maxlength: 60,
          autocomplete: 'off',
        })}
        <div class="actions">
          ${button('Accept', { name: 'decision', value: 'accept' })}
          ${button('Decline', { variant: 'secondary', name: 'decision', value: 'decline' })}
        </div>
      </form>
      <p class="form__aside">
        The invitation works once and expires on ${day(view.expiresAt)}. You can stop being a test user at any
        time from Connected apps.
      </p>`,
  });
}

/** An invitation link that cannot be answered: unknown, for another account, answered, withdrawn or expired. */
export function renderTestInvitationProblem(view: {
  message: string;
  email: string;
  csrfToken: string;
}): string {
  return page({
    title: 'Invitation to test an application',
    body: html`<h1 class="card__title">This invitation cannot be used</h1>
      <p role="alert">${view.message}</p>
      <p class="account">Signed in as <strong class="email">${view.email}</strong></p>
      <div class="actions">
        <a class="button button--primary" href="/account/apps">Go to your connected apps</a>
        <form method="post" action="/account/sign-out">
          ${csrfField(view.csrfToken)} ${button('Sign out', { variant: 'secondary' })}
        </form>
      </div>`,
  });
}
