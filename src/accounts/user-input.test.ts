import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.ts';
import { normalizeEmail, validateUserInput, type SignUpInput } from './user-input.ts';

const now = new Date('2026-03-15T12:00:00Z');
const valid: SignUpInput = {
  email: 'Ann@Example.com',
  password: 'correct horse',
  firstName: 'Ann',
  lastName: 'Example',
};

function fieldsOf(input: Partial<SignUpInput>, passwordRequired = true): Record<string, string> {
  try {
    validateUserInput({ ...valid, ...input }, { now, passwordRequired });
  } catch (error) {
    if (error instanceof InvalidInputError) return { ...error.fields };
    throw error;
  }
  return {};
}

describe('user input', () => {
  it('trims, keeps the email as given and normalizes a copy', () => {
    expect(
      validateUserInput(
        { ...valid, email: ' Ann@Example.com ', firstName: ' Ann ', postalCode: ' ', birthDate: '' },
        { now, passwordRequired: true },
      ),
    ).toEqual({
      email: 'Ann@Example.com',
      emailNormalized: 'ann@example.com',
      password: 'correct horse',
      firstName: 'Ann',
      lastName: 'Example',
      postalCode: null,
      birthDate: null,
    });
    expect(normalizeEmail(' ANN@example.COM')).toBe('ann@example.com');
  });

  it('rejects malformed emails', () => {
    for (const email of [
      '',
      'ann',
      'ann@',
      '@example.com',
      'ann example@example.com',
      `${'a'.repeat(250)}@x.io`,
    ]) {
      expect(fieldsOf({ email }), email).toHaveProperty('email');
    }
  });

  it('requires a password of 8 to 256 characters, except from operators', () => {
    expect(fieldsOf({ password: '1234567' })).toEqual({ password: expect.stringContaining('at least 8') });
    expect(fieldsOf({ password: '12345678' })).toEqual({});
    expect(fieldsOf({ password: 'x'.repeat(256) })).toEqual({});
    expect(fieldsOf({ password: 'x'.repeat(257) })).toEqual({
      password: expect.stringContaining('at most 256'),
    });
    expect(fieldsOf({ password: '🔑'.repeat(8) })).toEqual({});
    expect(fieldsOf({ password: undefined }, false)).toEqual({});
    expect(fieldsOf({ password: '' }, false)).toEqual({});
    expect(fieldsOf({ password: 'short' }, false)).toHaveProperty('password');
  });

  it('requires names of 1 to 100 characters and limits postal codes to 20', () => {
    expect(fieldsOf({ firstName: '  ', lastName: 'y'.repeat(101) })).toEqual({
      firstName: 'Enter your first name.',
      lastName: 'Your last name can be at most 100 characters.',
    });
    expect(fieldsOf({ postalCode: '1'.repeat(21) })).toHaveProperty('postalCode');
    expect(fieldsOf({ postalCode: 'SW1A 1AA' })).toEqual({});
  });

  it('accepts only real birth dates in the past', () => {
    expect(fieldsOf({ birthDate: '2000-02-29' })).toEqual({});
    for (const birthDate of ['2001-02-29', '1990-13-01', '1990-1-1', '01/02/1990', 'yesterday']) {
      expect(fieldsOf({ birthDate }), birthDate).toEqual({
        birthDate: 'Enter your birth date as YYYY-MM-DD.',
      });
    }
    for (const birthDate of ['2026-03-15', '2030-01-01', '1899-12-31']) {
      expect(fieldsOf({ birthDate }), birthDate).toEqual({ birthDate: 'Enter a birth date in the past.' });
    }
    expect(fieldsOf({ birthDate: '2026-03-14' })).toEqual({});
  });
});
