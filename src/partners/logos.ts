import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { AppError } from '../lib/app-error.ts';

/** The largest logo file accepted, before any decoding. */
export const MAX_LOGO_BYTES = 512 * 1024;
/** Logos are stored to fit inside this square (the consent page shows them smaller). */
export const LOGO_BOX = 256;
/** Decoded pixels allowed for a raster logo: a decompression bomb is refused before it is decoded. */
export const MAX_LOGO_PIXELS = 40_000_000;

const ACCEPTED = 'Upload the logo as PNG, JPEG or SVG, up to 512 KB.';

export const logoErrors = {
  tooLarge: (byteSize: number) =>
    new AppError({
      code: 'partners.logo_too_large',
      status: 413,
      message: `The logo file is larger than 512 KB. ${ACCEPTED}`,
      detail: { byteSize, limitBytes: MAX_LOGO_BYTES },
    }),
  unsupported: (detected: string) =>
    new AppError({
      code: 'partners.logo_unsupported',
      status: 400,
      message: `This kind of file is not accepted as a logo. ${ACCEPTED}`,
      detail: { detected },
    }),
  invalid: (reason: string, cause?: unknown) =>
    new AppError({
      code: 'partners.logo_invalid',
      status: 400,
      message: `The logo could not be used: ${reason}. ${ACCEPTED}`,
      cause,
    }),
};

export interface ProcessedLogo {
  /** A PNG without metadata, fitting inside LOGO_BOX × LOGO_BOX. */
  png: Buffer;
  width: number;
  height: number;
}

type LogoFormat = 'png' | 'jpeg' | 'svg';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
// Untrusted input: stop at decoder errors (a truncated file included), not only at warnings.
const DECODE: SharpOptions = { failOn: 'error', limitInputPixels: MAX_LOGO_PIXELS };
const FIT = { width: LOGO_BOX, height: LOGO_BOX, fit: 'inside', withoutEnlargement: true } as const;

/**
 * Checks an uploaded logo by its content (never its name or declared type) and re-encodes it as a small PNG:
 * oriented, without metadata, fitting inside 256×256 without enlarging a raster image. An SVG is rasterized
 * here, so no SVG ever reaches a browser (its scripts cannot run); one that refers to anything outside
 * itself or declares entities is refused before it is parsed.
 */
export async function processLogo(bytes: Buffer): Promise<ProcessedLogo> {
  if (bytes.length > MAX_LOGO_BYTES) throw logoErrors.tooLarge(bytes.length);
  const format = detectLogoFormat(bytes);
  if (format === undefined) throw logoErrors.unsupported(bytes.subarray(0, 8).toString('hex'));
  return format === 'svg' ? rasterizeSvg(bytes) : normalizeRaster(bytes, format);
}

/** PNG and JPEG by their magic bytes; SVG by an `<svg` root after the XML prologue. */
export function detectLogoFormat(bytes: Buffer): LogoFormat | undefined {
  if (bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return 'png';
  if (bytes.subarray(0, JPEG_MAGIC.length).equals(JPEG_MAGIC)) return 'jpeg';
  return svgRootAt(svgText(bytes)) === undefined ? undefined : 'svg';
}

async function normalizeRaster(bytes: Buffer, format: 'png' | 'jpeg'): Promise<ProcessedLogo> {
  // The header first (it decodes no pixel, so without the limit), to word the refusal of a bomb.
  const metadata = await sharp(bytes, { ...DECODE, limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw logoErrors.invalid('the image is damaged or incomplete', error);
    });
  if (metadata.format !== format) {
    throw logoErrors.invalid('the image is damaged or incomplete', new Error(`read as ${metadata.format}`));
  }
  if (metadata.width * metadata.height > MAX_LOGO_PIXELS) {
    throw logoErrors.invalid(`the image has too many pixels (${metadata.width}×${metadata.height})`);
  }
  return encode(sharp(bytes, DECODE).autoOrient(), 'the image is damaged or incomplete');
}

async function rasterizeSvg(bytes: Buffer): Promise<ProcessedLogo> {
  const text = svgText(bytes);
  checkSvgIsSelfContained(text);
  const metadata = await sharp(bytes, DECODE)
    .metadata()
    .catch((error: unknown) => {
      throw logoErrors.invalid('the SVG could not be read', error);
    });
  if (metadata.format !== 'svg') throw logoErrors.invalid('the SVG could not be read');
  // A vector is drawn at the density that makes it fit the box (sharp's default is 72 dpi).
  const longest = Math.max(metadata.width, metadata.height, 1);
  const density = Math.min(Math.max((72 * LOGO_BOX) / longest, 1), 100_000);
  return encode(sharp(bytes, { ...DECODE, density }), 'the SVG could not be drawn');
}

async function encode(pipeline: Sharp, reason: string): Promise<ProcessedLogo> {
  try {
    // Without keepMetadata() sharp writes no EXIF, XMP, IPTC or ICC profile, and converts to sRGB.
    const { data, info } = await pipeline
      .timeout({ seconds: 10 })
      .resize(FIT)
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw logoErrors.invalid('the image has too many pixels', error);
    }
    throw logoErrors.invalid(reason, error);
  }
}

/** The bytes as UTF-8 text without a byte order mark (an SVG in another encoding is not recognised). */
function svgText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * The index of the `<svg` root element when it is the first element, after whitespace, an XML declaration,
 * comments, processing instructions and a doctype (with its internal subset); otherwise undefined.
 */
function svgRootAt(text: string): number | undefined {
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2);
      if (end < 0) return undefined;
      at = end + 2;
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) return undefined;
      at = end + 3;
    } else if (text.slice(at, at + 9).toUpperCase() === '<!DOCTYPE') {
      const end = doctypeEnd(text, at + 9);
      if (end === undefined) return undefined;
      at = end;
    } else {
      return /^<svg[\s/>]/.test(text.slice(at, at + 5)) ? at : undefined;
    }
  }
}

/** The index after a doctype's closing `>`, skipping quoted strings and a `[…]` internal subset. */
function doctypeEnd(text: string, from: number): number | undefined {
  let quote: string | undefined;
  let depth = 0;
  for (let at = from; at < text.length; at += 1) {
    const char = text.charAt(at);
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[') depth += 1;
    else if (char === ']') depth -= 1;
    else if (char === '>' && depth <= 0) return at + 1;
  }
  return undefined;
}

/**
 * Refuses what could make the rasterizer read anything but these bytes: entity declarations (XXE, the
 * billion laughs), stylesheets, and links (`href`, CSS `url()`) other than fragments or embedded images.
 * librsvg reading a buffer already refuses external loads; this keeps it so whatever its version does.
 */
function checkSvgIsSelfContained(text: string): void {
  if (/<!ENTITY/i.test(text)) throw logoErrors.invalid('the SVG declares entities');
  if (/<\?xml-stylesheet/i.test(text) || /@import/i.test(text)) {
    throw logoErrors.invalid('the SVG loads a stylesheet');
  }
  for (const match of text.matchAll(/[\s"'/](?:[\w.-]+:)?href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const target = decodeXmlReferences(match[1] ?? match[2] ?? '').trim();
    if (!isEmbedded(target)) throw logoErrors.invalid('the SVG links to an external resource');
  }
  for (const match of decodeXmlReferences(text).matchAll(/url\s*\(\s*(["']?)([^)]*?)\1\s*\)/gi)) {
    if (!isEmbedded((match[2] ?? '').trim())) {
      throw logoErrors.invalid('the SVG links to an external resource');
    }
  }
}

/** A fragment of the same document, or an embedded raster image (not an SVG, which could link further). */
function isEmbedded(target: string): boolean {
  return target.startsWith('#') || (/^data:image\//i.test(target) && !/^data:image\/svg/i.test(target));
}

function decodeXmlReferences(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[name.toLowerCase()] ?? whole;
  });
}
