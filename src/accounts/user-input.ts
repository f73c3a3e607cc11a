import { z } from 'zod';
import { accountErrors } from './errors.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength } from './password.ts';

/** What a person types into the sign-up form (optional fields may be empty strings). */
export interface SignUpInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  postalCode?: string | undefined;
  birthDate?: string | undefined;
}

/** An operator may create an account without a password (the person then sets one through recovery). */
export type OperatorUserInput = Omit<SignUpInput, 'password'> & { password?: string | undefined };

export interface ValidUserInput {
  email: string;
  emailNormalized: string;
  password: string | null;
  firstName: string;
  lastName: string;
  postalCode: string | null;
  birthDate: string | null;
}

/** Email addresses are unique regardless of case: `Ann@Example.com` and `ann@example.com` are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const name = (label: string) =>
  z
    .string(`Enter your ${label}.`)
    .trim()
    .min(1, `Enter your ${label}.`)
    .max(100, `Your ${label} can be at most 100 characters.`);

const emptyToNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

function userSchema(today: string, passwordRequired: boolean) {
  const password = z
    .string('Choose a password.')
    .refine((value) => passwordLength(value) >= PASSWORD_MIN_LENGTH, {
      message: `Your password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
    })
    .refine((value) => passwordLength(value) <= PASSWORD_MAX_LENGTH, {
      message: `Your password can be at most ${PASSWORD_MAX_LENGTH} characters.`,
    });
  return z.object({
    email: z
      .string('Enter your email address.')
      .trim()
      .max(254, 'That email address is too long.')
      .pipe(z.email('Enter a valid email address, like name@example.com.')),
    password: passwordRequired
      ? password
      : z.string().optional().transform(emptyToNull).pipe(password.nullable()),
    firstName: name('first name'),
    lastName: name('last name'),
    postalCode: z
      .string()
      .trim()
      .max(20, 'A postal code can be at most 20 characters.')
      .optional()
      .transform(emptyToNull),
    birthDate: z
      .string()
      .trim()
      .optional()
      .transform(emptyToNull)
      .refine((value) => value === null || isRealDate(value), {
        message: 'Enter your birth date as YYYY-MM-DD.',
      })
      .refine((value) => value === null || !isRealDate(value) || (value >= '1900-01-01' && value < today), {
        message: 'Enter a birth date in the past.',
      }),
  });
}

/** Validates and trims user input; throws `accounts.invalid_input` naming each bad field. */
export function validateUserInput(
  input: SignUpInput | OperatorUserInput,
  options: { now: Date; passwordRequired: boolean },
): ValidUserInput {
  const today = options.now.toISOString().slice(0, 10);
  const parsed = userSchema(today, options.passwordRequired).safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'form');
      fields[field] ??= issue.message;
    }
    throw accountErrors.invalidInput(fields);
  }
  const valid = parsed.data;
  return {
    email: valid.email,
    emailNormalized: normalizeEmail(valid.email),
    password: valid.password,
    firstName: valid.firstName,
    lastName: valid.lastName,
    postalCode: valid.postalCode,
    birthDate: valid.birthDate,
  };
}

/** `YYYY-MM-DD` naming a day that exists (no 2023-02-29). */
function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
