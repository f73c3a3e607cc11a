import { AppError } from '../lib/app-error.ts';

export const rateLimitErrors = {
  /**
   * The store behind a limit (Redis) cannot be reached. The request is refused, not let through: the limits
   * guard things an attacker wants in bulk (document images), so failing open would switch them off.
   */
  unavailable: (cause: unknown) =>
    new AppError({
      code: 'rate_limit.unavailable',
      status: 503,
      expose: true,
      message: 'This service is briefly unavailable; try again in a moment.',
      detail: cause instanceof Error ? cause.message : String(cause),
      cause,
    }),
};
