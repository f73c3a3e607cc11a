import type { SignUpInput } from '../accounts/user-input.ts';

/**
 * The sign-up form (interaction and account pages alike): `values` to show again after an error (never the
 * password), and the `input` for `accounts.signUp`, empty optional fields left out.
 */
export function readSignUpForm(field: (name: string) => string) {
  const values = {
    email: field('email'),
    firstName: field('first_name'),
    lastName: field('last_name'),
    postalCode: field('postal_code'),
    birthDate: field('birth_date'),
  };
  const input: SignUpInput = {
    ...values,
    password: field('password'),
    postalCode: values.postalCode === '' ? undefined : values.postalCode,
    birthDate: values.birthDate === '' ? undefined : values.birthDate,
  };
  return { values, input };
}
