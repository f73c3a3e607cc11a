import { AppError } from '../lib/app-error.ts';

export const keyErrors = {
  notFound: (kid: string) =>
    new AppError({
      code: 'keys.not_found',
      status: 404,
      message: `There is no signing key with kid ${kid}.`,
    }),
  alreadyRetired: (kid: string) =>
    new AppError({
      code: 'keys.already_retired',
      status: 409,
      message: `Signing key ${kid} is already retired.`,
    }),
  cannotRetireActive: (kid: string) =>
    new AppError({
      code: 'keys.active',
      status: 409,
      message: `Signing key ${kid} is the one in use; rotate first, then retire it.`,
    }),
  rotationConflict: (alg: string) =>
    new AppError({
      code: 'keys.rotation_conflict',
      status: 409,
      message: `Another rotation of the ${alg} key is in progress; try again.`,
    }),
};
