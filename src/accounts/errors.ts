import { AppError } from '../lib/app-error.ts';

/** A 429 whose caller should wait: `retryAfterSeconds` is for the `Retry-After` header and the page. */
export class RetryLaterError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(options: { code: string; message: string; retryAfterMs: number }) {
    const retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterMs / 1000));
    super({ code: options.code, message: options.message, status: 429, detail: { retryAfterSeconds } });
    this.name = 'RetryLaterError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Bad form input; `fields` maps each bad field to a message safe to show next to it. */
export class InvalidInputError extends AppError {
  readonly fields: Readonly<Record<string, string>>;

  constructor(fields: Record<string, string>) {
    super({
      code: 'accounts.invalid_input',
      status: 400,
      message: Object.values(fields)[0] ?? 'Some of the information is not valid.',
      detail: { fields: Object.keys(fields) },
    });
    this.name = 'InvalidInputError';
    this.fields = Object.freeze({ ...fields });
  }
}

export const accountErrors = {
  invalidInput: (fields: Record<string, string>) => new InvalidInputError(fields),
  emailTaken: () =>
    new AppError({
      code: 'accounts.email_taken',
      status: 409,
      message: 'An account with this email address already exists. Sign in instead.',
    }),
  /** Too many sign-ups from one network or for one address (sign-up-limits.ts). */
  signUpThrottled: (limit: 'network' | 'address', retryAfterMs: number) => {
    const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
    const wait = `Try again in ${minutes === 1 ? 'a minute' : minutes >= 60 ? 'an hour' : `${minutes} minutes`}.`;
    return new RetryLaterError({
      code: 'accounts.sign_up_throttled',
      message:
        limit === 'address'
          ? `Too many attempts to create an account with this email address. ${wait}`
          : `Too many sign-up attempts came from your network. ${wait}`,
      retryAfterMs,
    });
  },
  invalidCredentials: () =>
    new AppError({
      code: 'accounts.invalid_credentials',
      status: 401,
      message: 'The email address or password is incorrect.',
    }),
  tooManyAttempts: (retryAfterMs: number) =>
    new RetryLaterError({
      code: 'accounts.too_many_attempts',
      message: 'Too many failed sign-in attempts. Wait a moment, then try again.',
      retryAfterMs,
    }),
  locked: () =>
    new AppError({
      code: 'accounts.locked',
      status: 403,
      message: 'This account is locked. Contact support.',
    }),
  /** Deleting the account would leave these organizations without an owner. */
  lastOwner: (organizations: readonly string[]) =>
    new AppError({
      code: 'accounts.last_owner',
      status: 409,
      message: `This account is the only owner of ${organizations.join(', ')}. Make another member an owner first.`,
      detail: { organizations },
    }),
  userNotFound: () =>
    new AppError({ code: 'accounts.user_not_found', status: 404, message: 'There is no such account.' }),
  emailAlreadyVerified: () =>
    new AppError({
      code: 'accounts.email_already_verified',
      status: 409,
      message: 'This email address is already verified.',
    }),
  codeThrottled: (retryAfterMs: number) =>
    new RetryLaterError({
      code: 'accounts.code_throttled',
      message: 'A code was sent a moment ago. Wait a minute before asking for another.',
      retryAfterMs,
    }),
  codeInvalid: () =>
    new AppError({
      code: 'accounts.code_invalid',
      status: 400,
      message: 'That code is not correct. Check the latest email we sent, or ask for a new code.',
    }),
  codeExpired: () =>
    new AppError({
      code: 'accounts.code_expired',
      status: 400,
      message: 'That code has expired. Ask for a new one.',
    }),
  codeTooManyAttempts: () =>
    new AppError({
      code: 'accounts.code_too_many_attempts',
      status: 429,
      message: 'Too many wrong codes. Ask for a new one.',
    }),
};
