import { describe, expect, it } from 'vitest';
import { normalizeName, sameName } from './names.ts';

describe('normalizeName', () => {
  it.each([
    ['José', 'jose'],
    ['  Müller  ', 'muller'],
    ['ZOË', 'zoe'],
    ['Mary-Jane', 'mary jane'],
    ['Mary   Jane', 'mary jane'],
    ["O'Brien", 'o brien'],
    ['O’Brien', 'o brien'],
    ['St. John-Smith', 'st john smith'],
    ['ﬁnn', 'finn'],
    ['Ｓａｍ', 'sam'],
    ['Łukasz Øster Straße', 'łukasz øster straße'],
    ['Nguyễn', 'nguyen'],
    ['李 小龍', '李 小龍'],
    ['-', ''],
  ])('%s → %s', (name, normalized) => {
    expect(normalizeName(name)).toBe(normalized);
  });
});

describe('sameName', () => {
  it('ignores case, accents, punctuation and where the spaces are', () => {
    expect(sameName("O'Brien", 'obrien')).toBe(true);
    expect(sameName('O Brien', 'O’BRIEN')).toBe(true);
    expect(sameName('MaryJane', 'mary-jane')).toBe(true);
    expect(sameName('Renée', 'renee')).toBe(true);
    expect(sameName(normalizeName('Anne Marie'), 'Anne-Marie')).toBe(true);
  });

  it('tells different names apart, and never matches an empty name', () => {
    expect(sameName('Smith', 'Smyth')).toBe(false);
    expect(sameName('Ann', 'Anne')).toBe(false);
    expect(sameName('', '')).toBe(false);
    expect(sameName('--', "'")).toBe(false);
  });
});
