import type { MailMessage } from '../../mail/mailer.ts';
import { WILDCARD, type DomainPattern } from './domain-pattern.ts';

/** How many patterns a message names before it says "or another accepted domain". */
const MAX_NAMED_PATTERNS = 5;

/** The mail carrying a code that proves the user reads an address at a community's domain. */
export function communityEmailCodeMessage(
  to: string,
  code: string,
  ttlMinutes: number,
  communityName: string,
): MailMessage {
  return {
    to,
    subject: `Your Vetted code for ${communityName}`,
    text: [
      'Hello,',
      '',
      `Your Vetted code is ${code}. It expires in ${ttlMinutes} minutes.`,
      '',
      `Enter it on the Vetted page where you asked to verify as ${communityName}, to show that this`,
      'email address is yours.',
      '',
      'If you did not ask for this code, you can ignore this email: nothing happens without the code.',
      '',
      'Vetted will never ask you for this code by phone or email.',
      '',
    ].join('\n'),
  };
}

/**
 * Which addresses prove membership, in words: `Use an address ending in .mil.`,
 * `Use an address ending in .edu or .ac.uk, or at school.org.`; an explanation when none do.
 */
export function acceptedAddressesHint(communityName: string, patterns: readonly DomainPattern[]): string {
  if (patterns.length === 0) {
    return `${communityName} cannot be verified with an email address. Choose another way to verify.`;
  }
  const sorted = [...patterns].sort(
    (a, b) => a.literalLabels - b.literalLabels || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );
  const named = sorted.slice(0, MAX_NAMED_PATTERNS);
  const endings: string[] = [];
  const exact: string[] = [];
  for (const pattern of named) {
    const [first, ...rest] = pattern.labels;
    if (first === WILDCARD) endings.push(`.${rest.join('.')}`);
    else exact.push(pattern.text);
  }
  const parts = [
    ...(endings.length > 0 ? [`ending in ${joinWithOr(endings)}`] : []),
    ...(exact.length > 0 ? [`at ${joinWithOr(exact)}`] : []),
  ];
  const more = sorted.length > named.length ? ', or at another accepted domain' : '';
  const wildcardNote = named.some((pattern) => pattern.labels.slice(1).includes(WILDCARD))
    ? ' (where * is any name)'
    : '';
  return `Use an address ${parts.join(', or ')}${more}${wildcardNote}.`;
}

function joinWithOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}
