import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares two secrets in time that depends on neither their contents nor where they first differ. */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
