import { describe, expect, it } from 'vitest';
import { brandStylesheet, contrastWithWhite, readablePrimary } from './brand-colors.ts';

describe('brand colours', () => {
  it('keeps a colour that white text is readable on', () => {
    expect(readablePrimary('#1d4ed8')).toBe('#1d4ed8');
    expect(contrastWithWhite('#1d4ed8')).toBeGreaterThan(4.5);
  });

  it('darkens a light colour until white text reaches 4.5:1', () => {
    for (const light of ['#ffff00', '#ffffff', '#7fdbff', '#00ff00']) {
      const readable = readablePrimary(light);
      expect(contrastWithWhite(readable), light).toBeGreaterThanOrEqual(4.5);
      expect(readable).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('writes custom properties only', () => {
    expect(brandStylesheet('#aa3300')).toMatch(
      /^:root\{--primary:#[0-9a-f]{6};--primary-hover:#[0-9a-f]{6};--focus:#[0-9a-f]{6};\}\n$/,
    );
  });
});
