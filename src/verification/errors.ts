import { RetryLaterError } from '../accounts/errors.ts';
import { AppError } from '../lib/app-error.ts';

export const verificationErrors = {
  unknownCommunity: (handle: string) =>
    new AppError({
      code: 'verification.unknown_community',
      status: 400,
      message: `There is no community ${JSON.stringify(handle)}.`,
    }),
  unknownSubgroup: (community: string, subgroup: string) =>
    new AppError({
      code: 'verification.unknown_subgroup',
      status: 400,
      message: `${JSON.stringify(subgroup)} is not a subgroup of ${community}.`,
    }),
  subgroupsRequired: (community: string) =>
    new AppError({
      code: 'verification.subgroups_required',
      status: 400,
      message: `A verified ${community} verification names at least one subgroup.`,
    }),
  notFound: (id: string) =>
    new AppError({
      code: 'verification.not_found',
      status: 404,
      message: 'There is no such verification.',
      detail: { id },
    }),
  transitionNotAllowed: (status: string, event: string) =>
    new AppError({
      code: 'verification.transition_not_allowed',
      status: 409,
      message: `A verification that is ${status.replaceAll('_', ' ')} cannot ${event.replaceAll('_', ' ')}.`,
    }),
  conflict: (id: string) =>
    new AppError({
      code: 'verification.conflict',
      status: 409,
      message: 'This verification was changed meanwhile; reload it and try again.',
      detail: { id },
    }),
  methodNotOffered: (community: string, method: string) =>
    new AppError({
      code: 'verification.method_not_offered',
      status: 400,
      message: `${community} cannot be verified this way. Choose another way.`,
      detail: { method },
    }),
  ownVerification: () =>
    new AppError({
      code: 'verification.own_verification',
      status: 403,
      message: 'You cannot review your own verification. Another reviewer will decide it.',
    }),
  lookupsThrottled: (retryAfterMs: number) =>
    new RetryLaterError({
      code: 'verification.lookups_throttled',
      message:
        'You have tried many member numbers. Wait a while before checking again, or choose another way.',
      retryAfterMs,
    }),
  uploadsThrottled: (retryAfterMs: number) =>
    new RetryLaterError({
      code: 'verification.uploads_throttled',
      message: 'You have uploaded many documents in a short time. Wait a while and try again.',
      retryAfterMs,
    }),
  invalid: (message: string) => new AppError({ code: 'verification.invalid', status: 400, message }),
  unknownUser: (userId: string, cause: unknown) =>
    new AppError({
      code: 'verification.unknown_user',
      status: 404,
      message: 'There is no such user.',
      detail: { userId },
      cause,
    }),
};
