import { RetryLaterError } from '../../accounts/errors.ts';
import { AppError } from '../../lib/app-error.ts';

/** Errors of the verification methods (email-domain codes and their rules). */
export const methodErrors = {
  ruleExists: (community: string, pattern: string, cause?: unknown) =>
    new AppError({
      code: 'verification.rule_exists',
      status: 409,
      message: `${community} already has a rule for ${pattern}.`,
      cause,
    }),
  ruleNotFound: (id: string) =>
    new AppError({
      code: 'verification.rule_not_found',
      status: 404,
      message: 'There is no such email-domain rule.',
      detail: { id },
    }),
  invalidDomainPattern: (pattern: string, problem: string) =>
    new AppError({
      code: 'verification.invalid_domain_pattern',
      status: 400,
      message:
        `${JSON.stringify(pattern)} is not a valid domain pattern: ${problem}. Write lower-case domain ` +
        'labels separated by dots, with * standing alone for one or more labels, as in *.mil, army.mil ' +
        'or *.k12.*.us.',
    }),
  invalidAddress: (message: string) =>
    new AppError({ code: 'verification.invalid_email_address', status: 400, message }),
  emailDomainNotAccepted: (message: string, domain?: string) =>
    new AppError({
      code: 'verification.email_domain_not_accepted',
      status: 400,
      message,
      detail: { domain },
    }),
  codeThrottled: (message: string, retryAfterMs: number) =>
    new RetryLaterError({ code: 'verification.code_throttled', message, retryAfterMs }),
  codeInvalid: () =>
    new AppError({
      code: 'verification.code_invalid',
      status: 400,
      message: 'That code is not correct. Check the latest email we sent, or ask for a new code.',
    }),
  codeExpired: () =>
    new AppError({
      code: 'verification.code_expired',
      status: 400,
      message: 'That code has expired. Ask for a new one.',
    }),
  codeTooManyAttempts: () =>
    new AppError({
      code: 'verification.code_too_many_attempts',
      status: 429,
      message: 'Too many wrong codes. Ask for a new one.',
    }),
};
