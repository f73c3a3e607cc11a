import { AppError } from '../lib/app-error.ts';
import { SIZE_BOUNDS } from './image-size.ts';

/**
 * The errors of document passback. Unknown, expired and other applications' document tokens share one
 * error, word for word, so a caller cannot tell which it holds.
 */
export const passbackErrors = {
  apiTokenRequired: () =>
    new AppError({
      code: 'passback.api_token_required',
      status: 401,
      message:
        'An API token is required: send it as the `token` query parameter or as `Authorization: Bearer`.',
    }),
  apiTokenInvalid: () =>
    new AppError({
      code: 'passback.api_token_invalid',
      status: 401,
      message: 'The API token is not valid.',
    }),
  notEnabled: (clientId: string) =>
    new AppError({
      code: 'passback.not_enabled',
      status: 403,
      message: 'Document passback is not enabled for this application.',
      detail: { clientId },
    }),
  tokenNotFound: (detail?: Record<string, unknown>) =>
    new AppError({
      code: 'passback.document_token_not_found',
      status: 404,
      message: 'The document token is unknown or has expired.',
      detail,
    }),
  documentPurged: () =>
    new AppError({
      code: 'passback.document_purged',
      status: 410,
      message: 'The document image is no longer kept: it was deleted under the retention policy.',
    }),
  badSize: (given: string) =>
    new AppError({
      code: 'passback.invalid_size',
      status: 400,
      message: `size must be WxH with whole numbers W and H from ${SIZE_BOUNDS.min} to ${SIZE_BOUNDS.max}, e.g. 300x200.`,
      detail: { given },
    }),
  unsupportedFormat: (contentType: string) =>
    new AppError({
      code: 'passback.size_not_supported',
      status: 415,
      message: 'This document is a PDF: it can be fetched only at its original size (omit size).',
      detail: { contentType },
    }),
  rateLimited: (retryAfterSeconds: number, max: number, windowSeconds: number) =>
    new AppError({
      code: 'passback.rate_limited',
      status: 429,
      message: `Too many requests for this document: at most ${max} in ${windowSeconds} seconds. Retry in ${retryAfterSeconds} s.`,
      detail: { retryAfterSeconds },
    }),
  refreshTokenRequired: () =>
    new AppError({
      code: 'passback.document_token_required',
      status: 400,
      message: 'document_token is required (in a JSON or form body).',
    }),
  unknownApplication: (clientId: string) =>
    new AppError({
      code: 'passback.unknown_application',
      status: 404,
      message: 'There is no such application.',
      detail: { clientId },
    }),
};

/** A refused request that carries a `Retry-After` (the route sets the header). */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  if (!(error instanceof AppError) || error.code !== 'passback.rate_limited') return undefined;
  return (error.detail as { retryAfterSeconds: number }).retryAfterSeconds;
}
