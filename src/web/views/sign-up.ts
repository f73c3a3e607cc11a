import {
  button,
  csrfField,
  errorSummary,
  field,
  heading,
  type ClientSummary,
  type SummaryItem,
} from '../components.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';

export type SignUpField = 'email' | 'password' | 'firstName' | 'lastName' | 'postalCode' | 'birthDate';

export interface SignUpView {
  action: string;
  csrfToken: string;
  /** What the user typed, shown again after an error. The password is never echoed. */
  values?: Partial<Record<Exclude<SignUpField, 'password'>, string>>;
  errors?: Partial<Record<SignUpField | 'form', string>>;
  client?: ClientSummary;
  signInHref: string;
}

// Form field names, in page order (the error summary follows it).
const names: Record<SignUpField, string> = {
  email: 'email',
  password: 'password',
  firstName: 'first_name',
  lastName: 'last_name',
  postalCode: 'postal_code',
  birthDate: 'birth_date',
};

export function renderSignUp(view: SignUpView): string {
  const values = view.values ?? {};
  const errors = view.errors ?? {};
  const summary: SummaryItem[] = [
    ...(errors.form === undefined ? [] : [{ message: errors.form }]),
    ...(Object.keys(names) as SignUpField[]).flatMap((key) => {
      const message = errors[key];
      return message === undefined ? [] : [{ message, field: names[key] }];
    }),
  ];
  return page({
    title: 'Create account',
    body: html`${heading('Create your Vetted account', view.client, 'One account to prove who you are, privately.')}
      ${errorSummary(summary)}
      <form class="form" method="post" action="${view.action}" novalidate>
        ${csrfField(view.csrfToken)}
        ${field({
          name: names.email,
          label: 'Email',
          type: 'email',
          value: values.email,
          error: errors.email,
          autocomplete: 'username',
          required: true,
          verbatim: true,
        })}
        ${field({
          name: names.password,
          label: 'Password',
          type: 'password',
          hint: 'At least 8 characters',
          error: errors.password,
          autocomplete: 'new-password',
          minlength: 8,
          required: true,
        })}
        <div class="form__row">
          ${field({
            name: names.firstName,
            label: 'First name',
            value: values.firstName,
            error: errors.firstName,
            autocomplete: 'given-name',
            required: true,
          })}
          ${field({
            name: names.lastName,
            label: 'Last name',
            value: values.lastName,
            error: errors.lastName,
            autocomplete: 'family-name',
            required: true,
          })}
        </div>
        ${field({
          name: names.postalCode,
          label: 'ZIP code',
          value: values.postalCode,
          error: errors.postalCode,
          autocomplete: 'postal-code',
          required: true,
        })}
        ${field({
          name: names.birthDate,
          label: 'Date of birth (optional)',
          type: 'date',
          value: values.birthDate,
          error: errors.birthDate,
          autocomplete: 'bday',
        })}
        ${button('Create account')}
      </form>
      <p class="card__footer">Already have an account? <a href="${view.signInHref}">Sign in</a></p>`,
  });
}
