import { describe, expect, it } from 'vitest';
import { parseDomainPattern, type DomainPattern } from './domain-pattern.ts';
import { parseCommunityEmailAddress } from './email-address.ts';
import { acceptedAddressesHint, communityEmailCodeMessage } from './email-domain-messages.ts';

describe('parseCommunityEmailAddress', () => {
  it.each([
    ['sam@army.mil', 'sam@army.mil', 'army.mil'],
    ['  Sam.Smith@Army.MIL ', 'sam.smith@army.mil', 'army.mil'],
    ["o'brien+vetted@cs.mit.edu", "o'brien+vetted@cs.mit.edu", 'cs.mit.edu'],
    ['jörg@münchen.de', 'jörg@xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
    [`${'a'.repeat(64)}@army.mil`, `${'a'.repeat(64)}@army.mil`, 'army.mil'],
  ])('accepts %j as %s', (input, address, domain) => {
    expect(parseCommunityEmailAddress(input)).toEqual({ address, domain });
  });

  it.each([
    ['', 'Enter your email address.'],
    ['   ', 'Enter your email address.'],
    [`${'a'.repeat(250)}@army.mil`, 'That email address is too long.'],
    [`${'a'.repeat(65)}@army.mil`, 'The part before the @ can be at most 64 characters.'],
    [`${'é'.repeat(33)}@army.mil`, 'The part before the @ can be at most 64 characters.'],
    ['sam', 'Enter a valid email address, like name@example.com.'],
    ['@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['sam@', 'Enter a valid email address, like name@example.com.'],
    ['sam@@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['sam@x@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['sam smith@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['"sam"@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['a,b@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['<sam>@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['.sam@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['sam.@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['sa..m@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['sam\n@army.mil', 'Enter a valid email address, like name@example.com.'],
    ['sam@army.mil.', 'Enter a valid email address, like name@example.com.'],
    ['sam@army..mil', 'Enter a valid email address, like name@example.com.'],
    ['sam@*.mil', 'Enter a valid email address, like name@example.com.'],
    ['sam@[127.0.0.1]', 'Enter a valid email address, like name@example.com.'],
    ['sam@127.0.0.1', 'Enter a valid email address, like name@example.com.'],
    ['sam@evil.com/x.mil', 'Enter a valid email address, like name@example.com.'],
  ])('refuses %j: %s', (input, message) => {
    expect(() => parseCommunityEmailAddress(input)).toThrow(
      expect.objectContaining({ code: 'verification.invalid_email_address', status: 400, message }),
    );
  });
});

describe('acceptedAddressesHint', () => {
  const patterns = (...texts: string[]): DomainPattern[] =>
    texts.map((text) => {
      const parsed = parseDomainPattern(text);
      if (!parsed.ok) throw new Error(parsed.problem);
      return parsed.pattern;
    });

  it.each([
    [['*.mil'], 'Use an address ending in .mil.'],
    [['army.mil'], 'Use an address at army.mil.'],
    [['*.edu', '*.ac.uk'], 'Use an address ending in .edu or .ac.uk.'],
    [['school.org', '*.edu', '*.ac.uk'], 'Use an address ending in .edu or .ac.uk, or at school.org.'],
    [['*.k12.*.us'], 'Use an address ending in .k12.*.us (where * is any name).'],
    [
      ['*.a', '*.b', '*.c', '*.d', '*.e', '*.f'],
      'Use an address ending in .a, .b, .c, .d or .e, or at another accepted domain.',
    ],
    [[], 'Military cannot be verified with an email address. Choose another way to verify.'],
  ])('%j: %s', (texts, hint) => {
    expect(acceptedAddressesHint('Military', patterns(...texts))).toBe(hint);
  });
});

describe('communityEmailCodeMessage', () => {
  it('is a short plain-text mail with the code, its lifetime and what to do if unexpected', () => {
    const message = communityEmailCodeMessage('sam@army.mil', '042917', 10, 'Military');
    expect(message.to).toBe('sam@army.mil');
    expect(message.subject).toBe('Your Vetted code for Military');
    expect(message.html).toBeUndefined();
    expect(message.text).toContain('Your Vetted code is 042917. It expires in 10 minutes.');
    expect(message.text).toContain('verify as Military');
    expect(message.text).toContain('If you did not ask for this code, you can ignore this email');
  });
});
