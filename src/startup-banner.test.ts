import { describe, expect, it } from 'vitest';
import { setupLine, startupBanner } from './startup-banner.ts';

describe('start-up banner', () => {
  it('names one page to open per line, at the public URL, with the outbox in development', () => {
    const lines = startupBanner({ baseUrl: 'http://localhost:3000', env: 'development' });
    expect(lines).toEqual([
      'Vetted is ready. Open:',
      '  Home page:          http://localhost:3000/',
      '  Developer console:  http://localhost:3000/developer',
      '  Administration:     http://localhost:3000/admin',
      '  Development outbox: http://localhost:3000/dev/outbox',
    ]);
  });

  it('names the Demo Shop sign-in at /demo, second, when the demo is on', () => {
    const lines = startupBanner({ baseUrl: 'http://localhost:3000', env: 'development', demo: true });
    expect(lines).toEqual([
      'Vetted is ready. Open:',
      '  Home page:          http://localhost:3000/',
      '  Try a sign-in:      http://localhost:3000/demo',
      '  Developer console:  http://localhost:3000/developer',
      '  Administration:     http://localhost:3000/admin',
      '  Development outbox: http://localhost:3000/dev/outbox',
    ]);
    expect(
      startupBanner({ baseUrl: 'http://localhost:3000', env: 'development', demo: false }),
    ).not.toContain('  Try a sign-in:      http://localhost:3000/demo');
  });

  it('ends with the first-run setup line while there is a setup code', () => {
    const lines = startupBanner({
      baseUrl: 'https://id.example',
      env: 'development',
      setupCode: 'ABCD-EFGH-JKLM',
    });
    expect(lines.at(-1)).toBe(setupLine('https://id.example', 'ABCD-EFGH-JKLM'));
    expect(lines.at(-1)).toContain('open https://id.example/setup and enter the code ABCD-EFGH-JKLM');
    expect(lines.at(-1)).toContain('vetted admin create');
  });

  it('prints nothing in production, where the JSON logs carry the URLs and the setup line', () => {
    expect(
      startupBanner({
        baseUrl: 'https://id.example',
        env: 'production',
        demo: true,
        setupCode: 'ABCD-EFGH-JKLM',
      }),
    ).toEqual([]);
  });
});
