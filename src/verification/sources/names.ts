/**
 * The one normalization of people's names for roster matching, applied to roster entries when they are
 * stored and to the user's names when they are compared:
 *
 * 1. Unicode NFKD, so compatibility forms (ligatures, full-width letters) become plain letters and accented
 *    letters become a base letter and combining marks;
 * 2. combining marks removed (`José` → `Jose`, `Müller` → `Muller`);
 * 3. lower case;
 * 4. every run of characters that are neither letters nor digits (spaces, hyphens, apostrophes, dots,
 *    commas…) becomes one space, and the ends are trimmed: `  Mary-Jane ` → `mary jane`, `O’Brien` → `o brien`.
 *
 * Names compare with `sameName`, which also ignores where the spaces are: `O'Brien`, `OBrien` and `O Brien`
 * are one name, as are `Mary-Jane` and `MaryJane`. Letters without a decomposition (`ß`, `ø`, `ł`) are kept.
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether two names (raw or already normalized) are the same name for roster matching. */
export function sameName(a: string, b: string): boolean {
  const compact = (name: string) => normalizeName(name).replaceAll(' ', '');
  const left = compact(a);
  return left !== '' && left === compact(b);
}
