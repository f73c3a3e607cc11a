import { normalizeEmail } from '../../accounts/user-input.ts';
import { toAsciiDomain } from './domain-pattern.ts';
import { methodErrors } from './errors.ts';

export interface CommunityEmailAddress {
  /** Normalized (lower case), the domain in ASCII (punycode): what is mailed, matched and recorded. */
  address: string;
  domain: string;
}

const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_OCTETS = 64;
/**
 * A dot-atom local part (RFC 5322 atext, plus non-ASCII letters as RFC 6531 allows): no quotes, spaces,
 * commas or angle brackets, so an address can never name a second recipient.
 */
const LOCAL_PART =
  /^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]|[^\p{ASCII}\p{C}\p{Z}])+(?:\.(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]|[^\p{ASCII}\p{C}\p{Z}])+)*$/u;

/**
 * Checks an address typed to prove membership: one `@`, a local part of 1 to 64 octets, a valid domain.
 * Throws `verification.invalid_email_address` with a message for the form.
 */
export function parseCommunityEmailAddress(input: string): CommunityEmailAddress {
  const normalized = normalizeEmail(input);
  if (normalized === '') throw methodErrors.invalidAddress('Enter your email address.');
  if (normalized.length > MAX_ADDRESS_LENGTH) {
    throw methodErrors.invalidAddress('That email address is too long.');
  }
  const invalid = () => methodErrors.invalidAddress('Enter a valid email address, like name@example.com.');
  const parts = normalized.split('@');
  if (parts.length !== 2) throw invalid();
  const [local = '', domainPart = ''] = parts;
  if (local === '' || !LOCAL_PART.test(local)) throw invalid();
  if (Buffer.byteLength(local, 'utf8') > MAX_LOCAL_PART_OCTETS) {
    throw methodErrors.invalidAddress('The part before the @ can be at most 64 characters.');
  }
  const domain = toAsciiDomain(domainPart);
  if (domain === undefined) throw invalid();
  return { address: `${local}@${domain}`, domain };
}
