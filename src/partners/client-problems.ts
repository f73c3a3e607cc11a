import { AppError } from '../lib/app-error.ts';

/** Which part of an application the OAuth provider refused. */
export type ClientProblemField = 'redirect_uris' | 'post_logout_redirect_uris' | 'response_types' | 'client';

/**
 * One reason the OAuth provider refuses an application's client metadata: its error code
 * (`invalid_redirect_uri`, `invalid_client_metadata`) and description, as it would answer every authorization.
 */
export interface ClientProblem {
  field: ClientProblemField;
  error: string;
  description: string;
}

const codes: Record<ClientProblemField, string> = {
  redirect_uris: 'partners.redirect_uri_invalid',
  post_logout_redirect_uris: 'partners.post_logout_redirect_uri_invalid',
  response_types: 'partners.response_type_invalid',
  client: 'partners.client_metadata_invalid',
};

const subjects: Record<ClientProblemField, string> = {
  redirect_uris: 'these redirect URIs',
  post_logout_redirect_uris: 'these post-logout redirect URIs',
  response_types: 'these response types',
  client: 'this application',
};

/** The provider's refusal as the domain's error: a stable code per field, the provider's reason in the message. */
export function clientRefused(problem: ClientProblem): AppError {
  return new AppError({
    code: codes[problem.field],
    status: 400,
    message: `The sign-in service would refuse ${subjects[problem.field]} (${problem.error}): ${problem.description}.`,
    detail: problem,
  });
}
