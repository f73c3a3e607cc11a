import { html, type HtmlValue } from './html.ts';

export interface PageOptions {
  /** The page's own title; the document title becomes "{title} · Vetted". */
  title: string;
  body: HtmlValue;
  /** `narrow` (default) centres the body in a card, as sign-in pages do; `wide` is for lists such as the outbox. */
  width?: 'narrow' | 'wide';
  /** A partner's colour (`#rrggbb`), applied from /branding/<rrggbb>.css (no inline styles under the CSP). */
  brandColor?: string | null | undefined;
}

// The wordmark's shield: presentation only (aria-hidden), coloured from the stylesheet.
const shield = html`<svg class="wordmark__mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path class="wordmark__shield" d="M12 1.5 3 5v6.2c0 5.3 3.8 10.2 9 11.3 5.2-1.1 9-6 9-11.3V5l-9-3.5Z" />
  <path class="wordmark__check" d="m7.5 12.2 3 3 6-6.2" />
</svg>`;

/** The one document shell every page shares. Styling comes only from /static/vetted.css (strict CSP). */
export function page(options: PageOptions): string {
  const wide = options.width === 'wide';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${options.title} · Vetted</title>
        <link rel="stylesheet" href="/static/vetted.css" />
        ${
          options.brandColor != null &&
          /^#[0-9a-f]{6}$/.test(options.brandColor) &&
          html`<link rel="stylesheet" href="/branding/${options.brandColor.slice(1)}.css" />`
        }
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <span class="wordmark">${shield}<span class="wordmark__name">Vetted</span></span>
        </header>
        <main id="main" class="page${wide ? ' page--wide' : ''}" tabindex="-1">
          ${wide ? options.body : html`<div class="card">${options.body}</div>`}
        </main>
        <footer class="site-footer">
          <p>
            Vetted verifies who you are and the communities you belong to, and shares only what you allow.
          </p>
        </footer>
      </body>
    </html> `.toString();
}
