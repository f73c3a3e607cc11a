import { AppError } from '../../lib/app-error.ts';

const ACCEPTED = 'Upload a photo or scan as JPEG, PNG or PDF.';

/** The errors of document evidence: uploads a user can fix, and documents that are not there. */
export const evidenceErrors = {
  empty: () =>
    new AppError({
      code: 'evidence.empty',
      status: 400,
      message: `The file is empty. ${ACCEPTED}`,
    }),
  tooLarge: (byteSize: number, limitBytes: number) =>
    new AppError({
      code: 'evidence.too_large',
      status: 413,
      message: `The file is larger than ${limitBytes / (1024 * 1024)} MB. Upload a smaller photo or scan (JPEG, PNG or PDF up to ${limitBytes / (1024 * 1024)} MB).`,
      detail: { byteSize, limitBytes },
    }),
  unsupportedType: (detected: string) =>
    new AppError({
      code: 'evidence.unsupported_type',
      status: 400,
      message: `This kind of file is not accepted. ${ACCEPTED}`,
      detail: { detected },
    }),
  unreadable: (kind: 'image' | 'pdf', cause?: unknown, reason?: string) =>
    new AppError({
      code: 'evidence.unreadable',
      status: 400,
      message:
        reason ??
        (kind === 'image'
          ? 'The image could not be read: it may be damaged or incomplete. Take the photo again and upload it as JPEG or PNG.'
          : 'The PDF could not be read: it may be damaged. Scan the document again or upload a photo (JPEG or PNG).'),
      cause,
    }),
  badDimensions: (
    width: number,
    height: number,
    limits: { minSide: number; maxSide: number; maxMegapixels: number },
    cause?: unknown,
  ) =>
    new AppError({
      code: 'evidence.bad_dimensions',
      status: 400,
      message:
        Math.min(width, height) < limits.minSide
          ? `The image is too small to read (${width}×${height} pixels); each side needs at least ${limits.minSide} pixels. Upload a sharper, larger photo.`
          : `The image is too large (${width}×${height} pixels); each side can be at most ${limits.maxSide.toLocaleString('en-US')} pixels and the whole at most ${limits.maxMegapixels} megapixels. Upload a smaller photo.`,
      detail: { width, height },
      cause,
    }),
  tooManyPages: (pages: number, maxPages: number) =>
    new AppError({
      code: 'evidence.too_many_pages',
      status: 400,
      message: `The PDF has ${pages} pages; upload at most ${maxPages} pages, only those that show the document.`,
      detail: { pages, maxPages },
    }),
  /** No such verification, or not the user's: the same answer, so ids of others' verifications stay opaque. */
  unknownVerification: (detail: { verificationId: string; userId: string }, cause?: unknown) =>
    new AppError({
      code: 'evidence.unknown_verification',
      status: 404,
      message: 'There is no such verification.',
      detail,
      cause,
    }),
};
