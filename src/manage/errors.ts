import { AppError } from '../lib/app-error.ts';

export const manageErrors = {
  unauthenticated: () =>
    new AppError({
      code: 'manage.unauthenticated',
      status: 401,
      message: 'Sign in to the console, or send an API key as "Authorization: Bearer vtd_…".',
    }),
  csrf: () =>
    new AppError({
      code: 'manage.csrf_token_invalid',
      status: 403,
      message: 'Requests made with the console session must carry the X-CSRF-Token header of the page.',
    }),
  missingScope: (scope: string) =>
    new AppError({
      code: 'manage.insufficient_scope',
      status: 403,
      message: `This API key lacks the ${scope} scope.`,
    }),
  sessionOnly: () =>
    new AppError({
      code: 'manage.session_required',
      status: 403,
      message: 'This operation is for people signed in to the console, not for API keys.',
    }),
  emailUnverified: () =>
    new AppError({
      code: 'manage.email_unverified',
      status: 403,
      message: 'Confirm your email address first: invitations go to confirmed addresses only.',
    }),
  invalidRequest: (message: string) => new AppError({ code: 'manage.invalid_request', status: 400, message }),
  unsupportedMediaType: (types: readonly string[]) =>
    new AppError({
      code: 'manage.unsupported_media_type',
      status: 415,
      message: `Send the body as ${types.join(' or ')}.`,
    }),
};
