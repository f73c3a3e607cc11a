import { AppError } from '../lib/app-error.ts';

const invalid = (code: string, message: string) => new AppError({ code, status: 400, message });

export const partnerErrors = {
  invalidName: () => invalid('partners.name_invalid', 'The application name must be 1 to 100 characters.'),
  noRedirectUri: () => invalid('partners.redirect_uri_required', 'At least one redirect URI is required.'),
  invalidRedirectUri: (uri: string, why: string) =>
    invalid('partners.redirect_uri_invalid', `Redirect URI ${JSON.stringify(uri)} is not allowed: ${why}.`),
  unknownScope: (scope: string) =>
    invalid(
      'partners.scope_unknown',
      `There is no scope ${JSON.stringify(scope)}; use a community handle, openid, profile or email.`,
    ),
  noScopes: () => invalid('partners.scopes_required', 'At least one scope (a community handle) is required.'),
  invalidResponseType: (type: string) =>
    invalid('partners.response_type_invalid', `Response type ${JSON.stringify(type)} is not supported.`),
  notFound: (clientId: string) =>
    new AppError({
      code: 'partners.application_not_found',
      status: 404,
      message: `There is no application ${clientId}.`,
    }),
};
