import { describe, expect, it } from 'vitest';
import { domainMatches, parseDomainPattern, toAsciiDomain } from './domain-pattern.ts';

describe('parseDomainPattern', () => {
  it.each([
    ['*.mil', '*.mil', 1],
    ['army.mil', 'army.mil', 2],
    ['*.k12.*.us', '*.k12.*.us', 2],
    ['*.forces.gc.ca', '*.forces.gc.ca', 3],
    ['*.*.mil', '*.*.mil', 1],
    ['mil', 'mil', 1],
    ['*.MIL', '*.mil', 1],
    ['Army.Mil', 'army.mil', 2],
    ['*.bücher.de', '*.xn--bcher-kva.de', 2],
    ['*.xn--bcher-kva.de', '*.xn--bcher-kva.de', 2],
    ['a-b.edu', 'a-b.edu', 2],
    ['123.example', '123.example', 2],
    [`*.${'a'.repeat(63)}.com`, `*.${'a'.repeat(63)}.com`, 2],
  ])('accepts %s as %s with %i literal labels', (input, text, literalLabels) => {
    const result = parseDomainPattern(input);
    expect(result).toEqual({ ok: true, pattern: { text, labels: text.split('.'), literalLabels } });
  });

  it.each([
    ['', 'it is empty'],
    ['*', 'it needs at least one literal label, as in *.mil'],
    ['*.*', 'it needs at least one literal label, as in *.mil'],
    ['a*.mil', '* must stand alone between dots, as in *.mil'],
    ['*a.mil', '* must stand alone between dots, as in *.mil'],
    ['**.mil', '* must stand alone between dots, as in *.mil'],
    ['army.*mil', '* must stand alone between dots, as in *.mil'],
    ['*.mil.', 'it must not end with a dot'],
    ['.mil', 'it has an empty label (two dots in a row)'],
    ['*..mil', 'it has an empty label (two dots in a row)'],
    [' *.mil', 'use only letters, digits, hyphens, dots and *, without spaces'],
    ['*.mil ', 'use only letters, digits, hyphens, dots and *, without spaces'],
    ['army mil', 'use only letters, digits, hyphens, dots and *, without spaces'],
    ['a_b.mil', 'use only letters, digits, hyphens, dots and *, without spaces'],
    ['evil.com/x.mil', 'use only letters, digits, hyphens, dots and *, without spaces'],
    ['a@b.mil', 'use only letters, digits, hyphens, dots and *, without spaces'],
    ['a\u200b.mil', 'use only letters, digits, hyphens, dots and *, without spaces'],
    ['-a.mil', 'each label is 1 to 63 letters, digits or inner hyphens'],
    ['a-.mil', 'each label is 1 to 63 letters, digits or inner hyphens'],
    [`${'a'.repeat(64)}.mil`, 'each label is 1 to 63 letters, digits or inner hyphens'],
    [`${'a.'.repeat(126)}mil`, 'it is longer than 253 characters'],
    ['*.123', 'the last label must not be a number'],
    ['0x7f.1', 'the last label must not be a number'],
    ['*.\uff11\uff12\uff13', 'it is not a valid domain name'],
  ])('refuses %j: %s', (input, problem) => {
    expect(parseDomainPattern(input)).toEqual({ ok: false, problem });
  });
});

describe('domainMatches', () => {
  it.each([
    ['*.edu', 'mit.edu', true],
    ['*.edu', 'cs.mit.edu', true],
    ['*.edu', 'a.b.c.d.mit.edu', true],
    ['*.edu', 'edu', false],
    ['*.edu', 'mit.edu.evil.com', false],
    ['*.edu', 'mitedu', false],
    ['*.edu', 'mit.education', false],
    ['*.edu', 'MIT.EDU', true],
    ['*.EDU', 'mit.edu', true],
    ['army.mil', 'army.mil', true],
    ['army.mil', 'ARMY.MIL', true],
    ['army.mil', 'us.army.mil', false],
    ['army.mil', 'navy.mil', false],
    ['army.mil', 'army.mil.evil.com', false],
    ['*.k12.*.us', 'lausd.k12.ca.us', true],
    ['*.k12.*.us', 'school.district.k12.ca.us', true],
    ['*.k12.*.us', 'lausd.k12.north.ca.us', true],
    ['*.k12.*.us', 'k12.ca.us', false],
    ['*.k12.*.us', 'lausd.k12.us', false],
    ['*.k12.*.us', 'lausd.k12.ca.us.evil.com', false],
    ['*.k12.*.us', 'lausd.k13.ca.us', false],
    ['*.*.mil', 'army.mil', false],
    ['*.*.mil', 'us.army.mil', true],
    ['*.forces.gc.ca', 'cmp.forces.gc.ca', true],
    ['*.forces.gc.ca', 'forces.gc.ca', false],
    ['*.forces.gc.ca', 'evilforces.gc.ca', false],
    ['*.bücher.de', 'shop.bücher.de', true],
    ['*.bücher.de', 'shop.xn--bcher-kva.de', true],
    ['*.xn--bcher-kva.de', 'shop.BÜCHER.de', true],
    ['*.bucher.de', 'shop.bücher.de', false],
    ['*.mil', 'army.mil.', false],
    ['*.mil', '', false],
    ['*.mil', 'army..mil', false],
    ['*.mil', '*.mil', false],
    ['*.mil', 'evil.com/.mil', false],
    ['*.mil', 'army mil', false],
    ['a*.mil', 'ab.mil', false],
    ['*', 'army.mil', false],
  ])('%s against %j: %s', (pattern, domain, expected) => {
    expect(domainMatches(pattern, domain)).toBe(expected);
  });

  it('accepts a parsed pattern', () => {
    const parsed = parseDomainPattern('*.mil');
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(domainMatches(parsed.pattern, 'army.mil')).toBe(true);
    expect(domainMatches(parsed.pattern, 'army.com')).toBe(false);
  });

  it('stays fast on adversarial input (no backtracking)', () => {
    const pattern = `${'*.'.repeat(60)}b`;
    const domain = `${'a.'.repeat(126)}a`;
    const started = performance.now();
    expect(domainMatches(pattern, domain)).toBe(false);
    expect(domainMatches(pattern, `${'a.'.repeat(125)}b`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('toAsciiDomain', () => {
  it.each([
    ['army.mil', 'army.mil'],
    ['Army.MIL', 'army.mil'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['a.b\u3002c', 'a.b.c'],
    ['', undefined],
    ['army.mil.', undefined],
    ['127.0.0.1', undefined],
    ['0x7f.1', undefined],
    ['[::1]', undefined],
    ['a.com/x', undefined],
    ['a:b.com', undefined],
    ['*.mil', undefined],
    [`${'a.'.repeat(126)}mil`, undefined],
  ])('%j → %s', (domain, expected) => {
    expect(toAsciiDomain(domain)).toBe(expected);
  });
});
