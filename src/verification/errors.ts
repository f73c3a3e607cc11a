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
