import { domainToASCII } from 'node:url';

/** The wildcard label: it stands for one or more whole DNS labels. */
export const WILDCARD = '*';

/** A checked email-domain pattern such as `*.mil`, `army.mil` or `*.k12.*.us`. */
export interface DomainPattern {
  /** The canonical form: lower case, internationalized labels in ASCII (punycode). */
  text: string;
  /** Its labels, left to right; `*` for a wildcard. */
  labels: readonly string[];
  /** How many labels are literal: the more, the more specific the pattern. */
  literalLabels: number;
}

export type DomainPatternResult = { ok: true; pattern: DomainPattern } | { ok: false; problem: string };

const MAX_DOMAIN_LENGTH = 253;
/** A DNS label in ASCII: letters, digits and inner hyphens, 1 to 63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * What may be typed before conversion: ASCII letters, digits, hyphens, dots and `*`, or any non-ASCII
 * letter (converted to punycode). Everything else is refused first, since `domainToASCII` would quietly
 * drop or reinterpret it (`a.com/x.mil` becomes `a.com`, `0x7f.1` becomes `127.0.0.1`).
 */
const TYPABLE = /^(?:[A-Za-z0-9.*-]|[^\p{ASCII}\p{Cc}\p{Cf}\p{Z}])+$/u;

/**
 * Checks an email-domain pattern: dot-separated DNS labels, where `*` may stand as a whole label for one or
 * more labels, with at least one literal label and no trailing dot. Case does not matter; the result is in
 * canonical form.
 */
export function parseDomainPattern(pattern: string): DomainPatternResult {
  const refuse = (problem: string): DomainPatternResult => ({ ok: false, problem });
  if (pattern === '') return refuse('it is empty');
  if (pattern.length > MAX_DOMAIN_LENGTH * 4 || !TYPABLE.test(pattern)) {
    return refuse('use only letters, digits, hyphens, dots and *, without spaces');
  }
  if (pattern.endsWith('.')) return refuse('it must not end with a dot');
  const rawLabels = pattern.split('.');
  if (rawLabels.some((label) => label === '')) return refuse('it has an empty label (two dots in a row)');
  if (rawLabels.some((label) => label.includes(WILDCARD) && label !== WILDCARD)) {
    return refuse('* must stand alone between dots, as in *.mil');
  }
  if (rawLabels.every((label) => label === WILDCARD)) {
    return refuse('it needs at least one literal label, as in *.mil');
  }
  if (/^\d+$/.test(rawLabels.at(-1) ?? '')) return refuse('the last label must not be a number');
  const ascii = domainToASCII(pattern);
  if (ascii === '') return refuse('it is not a valid domain name');
  const labels = ascii.split('.');
  if (labels.some((label) => label !== WILDCARD && !LABEL.test(label))) {
    return refuse('each label is 1 to 63 letters, digits or inner hyphens');
  }
  if (ascii.length > MAX_DOMAIN_LENGTH) return refuse(`it is longer than ${MAX_DOMAIN_LENGTH} characters`);
  if (/^\d+$/.test(labels.at(-1) ?? '')) return refuse('the last label must not be a number');
  const literalLabels = labels.filter((label) => label !== WILDCARD).length;
  if (literalLabels === 0) return refuse('it needs at least one literal label, as in *.mil');
  return { ok: true, pattern: { text: ascii, labels, literalLabels } };
}

/**
 * A domain in canonical form (lower case, ASCII), or undefined when it is not a valid host name: DNS labels
 * of 1 to 63 characters, at most 253 in all, no trailing dot, no IP address.
 */
export function toAsciiDomain(domain: string): string | undefined {
  if (domain === '' || domain.length > MAX_DOMAIN_LENGTH * 4 || domain.includes(WILDCARD)) return undefined;
  if (!TYPABLE.test(domain)) return undefined;
  const ascii = domainToASCII(domain);
  if (ascii === '' || ascii.length > MAX_DOMAIN_LENGTH) return undefined;
  const labels = ascii.split('.');
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels.at(-1) ?? '')) return undefined;
  return ascii;
}

/**
 * Whether `domain` matches `pattern`: literal labels match themselves (case-insensitively, international
 * labels by their punycode), each `*` one or more whole labels. `*.edu` matches `mit.edu` and `cs.mit.edu`
 * but neither `edu` nor `mit.edu.evil.com`. An invalid pattern or domain matches nothing.
 */
export function domainMatches(pattern: string | DomainPattern, domain: string): boolean {
  const parsed = typeof pattern === 'string' ? parseDomainPattern(pattern) : { ok: true as const, pattern };
  if (!parsed.ok) return false;
  const ascii = toAsciiDomain(domain);
  if (ascii === undefined) return false;
  return labelsMatch(parsed.pattern.labels, ascii.split('.'));
}

/**
 * Matches label arrays by dynamic programming over (pattern label, domain label): O(p·d) steps with both
 * at most 127 labels, whatever the input, so no backtracking blow-up.
 */
function labelsMatch(pattern: readonly string[], domain: readonly string[]): boolean {
  if (domain.length < pattern.length) return false;
  // next[j]: whether pattern labels after the current one match domain labels from j on.
  let next = domain.map(() => false).concat(true);
  for (let i = pattern.length - 1; i >= 0; i--) {
    const current = new Array<boolean>(domain.length + 1).fill(false);
    for (let j = domain.length - 1; j >= 0; j--) {
      current[j] =
        pattern[i] === WILDCARD
          ? next[j + 1] === true || current[j + 1] === true
          : pattern[i] === domain[j] && next[j + 1] === true;
    }
    next = current;
  }
  return next[0] === true;
}
