import sharp from 'sharp';

/** The bounds of each side of a requested `size=WxH` (SPEC §7). */
export const SIZE_BOUNDS = { min: 16, max: 4096 } as const;

export interface SizeBox {
  width: number;
  height: number;
}

/** `WxH` with both whole numbers in 16…4096, exactly (no sign, no spaces, no third part); else undefined. */
export function parseSize(value: string): SizeBox | undefined {
  const match = /^(\d{1,4})x(\d{1,4})$/.exec(value);
  if (match === null) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  const inBounds = (side: number) => side >= SIZE_BOUNDS.min && side <= SIZE_BOUNDS.max;
  return inBounds(width) && inBounds(height) ? { width, height } : undefined;
}

/**
 * Fits `image` inside `box` keeping the aspect ratio and never enlarging: `scale = min(W/w, H/h, 1)`, each
 * side `round(side · scale)` and at least 1. 300x200 on 500x400 → 250x200.
 */
export function fitInside(image: SizeBox, box: SizeBox): SizeBox {
  const scale = Math.min(box.width / image.width, box.height / image.height, 1);
  return {
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  };
}

export type ImageFormat = 'image/jpeg' | 'image/png';

/**
 * The image at `target` in its own format (JPEG stays JPEG, PNG stays PNG with its alpha). The bytes were
 * normalized on upload, so they are decoded as trusted; unchanged when `target` is the original size.
 */
export async function resizeImage(
  bytes: Buffer,
  format: ImageFormat,
  original: SizeBox,
  target: SizeBox,
): Promise<Buffer> {
  if (target.width === original.width && target.height === original.height) return bytes;
  // `fill` with the exact size computed above: sharp's own `inside` rounds differently on some ratios.
  const pipeline = sharp(bytes, { failOn: 'error' }).resize(target.width, target.height, { fit: 'fill' });
  return (format === 'image/jpeg' ? pipeline.jpeg({ quality: 85 }) : pipeline.png()).toBuffer();
}
