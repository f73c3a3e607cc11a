import { AppError } from '../lib/app-error.ts';

export const attributeErrors = {
  invalidCallback: () =>
    new AppError({
      code: 'attributes.invalid_callback',
      status: 400,
      message:
        'The callback must be a plain JavaScript identifier or dotted path of at most 128 characters, such as my_callback or $.cb.',
    }),
};
