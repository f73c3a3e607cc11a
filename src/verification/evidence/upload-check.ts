import { createHash } from 'node:crypto';
import sharp, { type OutputInfo, type SharpOptions } from 'sharp';
import { evidenceErrors } from './errors.ts';
import { normalizePdfIsolated } from './pdf-isolated.ts';

/** An uploaded document side, checked by its content and normalized: what is stored and shown to reviewers. */
export interface CheckedUpload {
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
  /** The normalized bytes: images re-encoded without metadata, PDFs re-saved without metadata or scripts. */
  bytes: Buffer;
  /** Of the normalized image; null for a PDF. */
  width: number | null;
  height: number | null;
  /** SHA-256 (hex): of the pixels for images, of the normalized bytes for PDFs. Equal for the same document. */
  contentHash: string;
}

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const IMAGE_LIMITS = { minSide: 200, maxSide: 12_000, maxMegapixels: 60 } as const;
export { MAX_PDF_PAGES } from './pdf-normalize.ts';

const MAX_PIXELS = IMAGE_LIMITS.maxMegapixels * 1_000_000;
const SIGNATURES = [
  { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'application/pdf', magic: Buffer.from('%PDF-', 'latin1') },
] as const;

/**
 * Validates an uploaded file by its content (never its name or declared type) and normalizes it: the
 * errors are `evidence.*` AppErrors whose messages tell the user what to upload instead.
 */
export async function checkUpload(input: Buffer): Promise<CheckedUpload> {
  if (input.length === 0) throw evidenceErrors.empty();
  if (input.length > MAX_UPLOAD_BYTES) throw evidenceErrors.tooLarge(input.length, MAX_UPLOAD_BYTES);
  const signature = SIGNATURES.find(({ magic }) => input.subarray(0, magic.length).equals(magic));
  if (signature === undefined) throw evidenceErrors.unsupportedType(input.subarray(0, 8).toString('hex'));
  return signature.type === 'application/pdf' ? checkPdf(input) : checkImage(input, signature.type);
}

// Untrusted input: stop at libvips errors (a truncated file included), not just warnings about odd chunks.
const DECODE: SharpOptions = { failOn: 'error', limitInputPixels: MAX_PIXELS, sequentialRead: true };

async function checkImage(input: Buffer, contentType: 'image/jpeg' | 'image/png'): Promise<CheckedUpload> {
  const format = contentType === 'image/jpeg' ? 'jpeg' : 'png';
  // The header first: a decompression bomb or a thumbnail is refused before any pixel is decoded. Reading
  // it decodes nothing, so sharp's pixel limit waits for the decoding and checkDimensions() words the refusal.
  const metadata = await sharp(input, { ...DECODE, limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw evidenceErrors.unreadable('image', error);
    });
  if (metadata.format !== format) {
    throw evidenceErrors.unreadable('image', new Error(`${format} signature, read as ${metadata.format}`));
  }
  checkDimensions(metadata.width, metadata.height);

  let normalized: { data: Buffer; info: OutputInfo };
  try {
    // autoOrient applies the EXIF orientation; without keepMetadata() sharp writes no EXIF (GPS included),
    // XMP or IPTC and converts to sRGB.
    const pipeline = sharp(input, DECODE).autoOrient().timeout({ seconds: 30 });
    const encoded = format === 'jpeg' ? pipeline.jpeg({ quality: 90, mozjpeg: false }) : pipeline.png();
    normalized = await encoded.toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw evidenceErrors.badDimensions(metadata.width, metadata.height, IMAGE_LIMITS, error);
    }
    throw evidenceErrors.unreadable('image', error);
  }
  const { width, height } = normalized.info;
  checkDimensions(width, height);
  return {
    contentType,
    bytes: normalized.data,
    width,
    height,
    contentHash: await pixelHash(normalized.data),
  };
}

function checkDimensions(width: number, height: number): void {
  const { minSide, maxSide } = IMAGE_LIMITS;
  const sides = [width, height];
  if (sides.some((side) => side < minSide || side > maxSide) || width * height > MAX_PIXELS) {
    throw evidenceErrors.badDimensions(width, height, IMAGE_LIMITS);
  }
}

/** SHA-256 over the decoded pixels and their shape: the same picture hashes the same whatever its metadata. */
async function pixelHash(image: Buffer): Promise<string> {
  const { data, info } = await sharp(image, DECODE).raw().toBuffer({ resolveWithObject: true });
  return createHash('sha256')
    .update(`vetted/pixels/v1:${info.width}x${info.height}x${info.channels}:`)
    .update(data)
    .digest('hex');
}

async function checkPdf(input: Buffer): Promise<CheckedUpload> {
  const { bytes, contentHash } = await normalizePdfIsolated(input);
  return { contentType: 'application/pdf', bytes, width: null, height: null, contentHash };
}
