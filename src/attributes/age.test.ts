import { describe, expect, it } from 'vitest';
import { ageAt } from './age.ts';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('ageAt', () => {
  it('counts whole years, turning a year older on the birthday itself', () => {
    expect(ageAt('1990-05-17', at('2026-05-16'))).toBe(35);
    expect(ageAt('1990-05-17', at('2026-05-17'))).toBe(36);
    expect(ageAt('1990-05-17', at('2026-05-18'))).toBe(36);
    expect(ageAt('1990-12-31', at('2026-01-01'))).toBe(35);
    expect(ageAt('2026-03-01', at('2026-03-01'))).toBe(0);
  });

  it('uses the UTC calendar date of now', () => {
    expect(ageAt('1990-05-17', new Date('2026-05-16T23:59:59.999Z'))).toBe(35);
    expect(ageAt('1990-05-17', new Date('2026-05-17T00:00:00.000Z'))).toBe(36);
  });

  it('ages someone born on 29 February on 1 March in common years and on 29 February in leap years', () => {
    expect(ageAt('2000-02-29', at('2025-02-28'))).toBe(24);
    expect(ageAt('2000-02-29', at('2025-03-01'))).toBe(25);
    expect(ageAt('2000-02-29', at('2028-02-28'))).toBe(27);
    expect(ageAt('2000-02-29', at('2028-02-29'))).toBe(28);
    expect(ageAt('2004-03-01', at('2025-02-28'))).toBe(20);
    expect(ageAt('2004-03-01', at('2025-03-01'))).toBe(21);
  });

  it('knows no age for impossible, malformed or future birth dates', () => {
    expect(ageAt('2001-02-29', at('2026-01-01'))).toBeUndefined();
    expect(ageAt('1990-13-01', at('2026-01-01'))).toBeUndefined();
    expect(ageAt('1990-5-17', at('2026-01-01'))).toBeUndefined();
    expect(ageAt('17/05/1990', at('2026-01-01'))).toBeUndefined();
    expect(ageAt('', at('2026-01-01'))).toBeUndefined();
    expect(ageAt('2026-03-02', at('2026-03-01'))).toBeUndefined();
  });
});
