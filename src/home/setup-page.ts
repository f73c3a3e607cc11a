import { button, csrfField, errorSummary, field, type SummaryItem } from '../web/components.ts';
import { html } from '../web/html.ts';
import { page } from '../web/layout.ts';

export interface SetupValues {
  email: string;
  firstName: string;
  lastName: string;
}

export interface SetupView {
  action: string;
  csrfToken: string;
  values?: SetupValues;
  /** Messages per field (`code`, `email`, `password`, `firstName`, `lastName`) or for the whole form (`form`). */
  errors?: Readonly<Record<string, string>>;
}

const fieldNames: Record<string, string> = {
  code: 'setup_code',
  email: 'email',
  password: 'password',
  firstName: 'first_name',
  lastName: 'last_name',
};

/** `/setup`: the first administrator, with the one-time setup code from the start-up log. */
export function renderSetup(view: SetupView): string {
  const errors = view.errors ?? {};
  const summary: SummaryItem[] = Object.entries(errors).map(([name, message]) => {
    const fieldName = fieldNames[name];
    return fieldName === undefined ? { message } : { message, field: fieldName };
  });
  return page({
    title: 'Create the first administrator',
    body: html`<h1 class="card__title">Create the first administrator</h1>
      <p class="card__lede">
        Vetted has no administrator yet. The setup code is in the start-up log, on the line that starts with
        “First-run setup”; it works once.
      </p>
      ${errorSummary(summary)}
      <form class="form" method="post" action="${view.action}" novalidate>
        ${csrfField(view.csrfToken)}
        ${field({
          name: 'setup_code',
          label: 'Setup code',
          hint: 'Twelve letters and digits, like ABCD-EFGH-JKLM.',
          autocomplete: 'off',
          required: true,
          verbatim: true,
          maxlength: 40,
          error: errors.code,
        })}
        ${field({
          name: 'email',
          label: 'Email',
          type: 'email',
          value: view.values?.email,
          autocomplete: 'username',
          required: true,
          verbatim: true,
          error: errors.email,
        })}
        ${field({
          name: 'first_name',
          label: 'First name',
          value: view.values?.firstName,
          autocomplete: 'given-name',
          required: true,
          error: errors.firstName,
        })}
        ${field({
          name: 'last_name',
          label: 'Last name',
          value: view.values?.lastName,
          autocomplete: 'family-name',
          required: true,
          error: errors.lastName,
        })}
        ${field({
          name: 'password',
          label: 'Password',
          type: 'password',
          hint: 'At least 8 characters.',
          autocomplete: 'new-password',
          required: true,
          error: errors.password,
        })}
        ${button('Create the first administrator')}
      </form>
      <p class="card__footer">
        From a shell on the server you can do the same with
        <code>npx vetted admin create --email &lt;email&gt; --role admin --password &lt;password&gt;</code>.
      </p>`,
  });
}

/** `/setup` once an administrator exists: nothing to set up (answered with 404). */
export function renderSetupDone(): string {
  return page({
    title: 'Setup is done',
    body: html`<p class="status-code">Error 404</p>
      <h1 class="card__title">Setup is done</h1>
      <p>Vetted already has an administrator. Sign in to the administration with that account.</p>
      <p><a class="button button--primary" href="/admin">Go to the administration</a></p>
      <p class="card__footer">
        To add another administrator, use <code>npx vetted admin create … --role admin</code>.
      </p>`,
  });
}
