import { DISCOUNT_PERCENT, PRODUCTS, discounted, formatPrice, type Product } from './catalogue.ts';
import { html, toText, type Html } from './html.ts';
import type { Notice, Verification } from './session-state.ts';

export interface Integration {
  vettedUrl: string;
  clientId: string;
  redirectUri: string;
}

function layout(
  page: { title: string; current?: '/' | '/idme-compatible'; scripts?: string[] },
  main: Html,
): Html {
  const link = (href: '/' | '/idme-compatible', label: string) =>
    html`<li><a href="${href}" ${page.current === href ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} · Partner Shop</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/shop.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <p class="brand"><a href="/">Partner Shop</a></p>
          <nav aria-label="Example pages">
            <ul>
              ${link('/', 'Shop')} ${link('/idme-compatible', 'ID.me-compatible widget')}
            </ul>
          </nav>
        </header>
        <main id="main">${main}</main>
        <footer class="site-footer">
          <p>An example partner site for Vetted. Not a real shop: nothing here is for sale.</p>
        </footer>
        ${(page.scripts ?? []).map((src) => html`<script src="${src}"></script>`)}
      </body>
    </html>`;
}

function noticeBox(notice: Notice | undefined): Html {
  if (notice === undefined) return html``;
  const role = notice.tone === 'error' ? 'alert' : 'status';
  return html`<div class="notice notice-${notice.tone}" role="${role}"><p>${notice.text}</p></div>`;
}

function price(product: Product, verified: boolean): Html {
  if (!verified) return html`<p class="price">${formatPrice(product.price)}</p>`;
  return html`<p class="price">
    <span class="visually-hidden">Regular price:</span> <del>${formatPrice(product.price)}</del>
    <span class="visually-hidden">Your price:</span>
    <strong>${formatPrice(discounted(product.price))}</strong>
  </p>`;
}

function products(verified: boolean): Html {
  return html`<section aria-labelledby="products-heading">
    <h2 id="products-heading">Products</h2>
    <ul class="products">
      ${PRODUCTS.map(
        (product) =>
          html`<li class="product">
            <h3>${product.name}</h3>
            <p>${product.description}</p>
            ${price(product, verified)}
          </li>`,
      )}
    </ul>
  </section>`;
}

interface ButtonVariant {
  attributes: Record<string, string>;
  caption: Html;
  /** Shown on a dark background, which the dark theme's white button is made for. */
  dark?: boolean;
}

function buttonVariants(): ButtonVariant[] {
  return [
    {
      attributes: { 'data-scope': 'military', 'data-display': 'popup', 'data-size': 'large' },
      caption: html`<strong>Popup</strong> (<code>data-display="popup"</code>,
        <code>data-size="large"</code>): Vetted opens in a small window, which hands the result back to this
        page and closes.`,
    },
    {
      attributes: { 'data-scope': 'military', 'data-theme': 'dark' },
      dark: true,
      caption: html`<strong>Full page</strong> (the default, here with <code>data-theme="dark"</code> for a
        dark background): this page goes to Vetted, and Vetted sends you back to <code>/callback</code>.`,
    },
    {
      attributes: {
        'data-scope': 'military,responder',
        'data-text': 'Verify military or first responder status',
      },
      caption: html`<strong>Several communities</strong> (<code>data-scope="military,responder"</code> with
        <code>data-text</code>): Vetted first asks which community to verify.`,
    },
  ];
}

function verifyButtons(integration: Integration, state: string): Html {
  const common = {
    'data-client-id': integration.clientId,
    'data-redirect': integration.redirectUri,
    'data-response': 'code',
    'data-state': state,
  };
  return html`<section class="verify" aria-labelledby="verify-heading">
    <h2 id="verify-heading">Verify to get ${DISCOUNT_PERCENT}% off</h2>
    <p>Each button below is rendered by Vetted's button script from one <code>&lt;span&gt;</code>.</p>
    <ul class="variants">
      ${buttonVariants().map(({ attributes, caption, dark }) => {
        const all = { ...attributes, ...common };
        const rendered = Object.entries(all).map(([name, value]) => html` ${name}="${value}"`);
        return html`<li class="variant${dark === true ? ' variant-dark' : ''}">
          <span data-vetted-button${rendered}></span>
          <p class="caption">${caption}</p>
        </li>`;
      })}
    </ul>
    <noscript><p>The verify buttons need JavaScript.</p></noscript>
  </section>`;
}

function verifiedBox(verification: Verification, csrfToken: string): Html {
  const who = verification.subgroups.length > 0 ? verification.subgroups.join(', ') : verification.group;
  return html`<section class="verified" aria-labelledby="verified-heading">
    <h2 id="verified-heading">Your discount</h2>
    <p>Verified: ${who} — ${DISCOUNT_PERCENT}% off applied</p>
    <form method="post" action="/forget">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <button type="submit">Sign out of the shop</button>
    </form>
    <p class="hint">Signing out forgets your verification: this shop keeps it only in your session.</p>
  </section>`;
}

export interface ShopPage {
  integration: Integration;
  /** The state for this render's buttons; unused once verified. */
  state: string;
  csrfToken: string;
  verification?: Verification | undefined;
  notice?: Notice | undefined;
}

/** The shop, also the answer to /callback: it loads button.js (window.Vetted) and then shop.js. */
export function shopPage(page: ShopPage): string {
  const verified = page.verification !== undefined;
  return toText(
    layout(
      {
        title: 'Shop',
        current: '/',
        scripts: [`${page.integration.vettedUrl}/js/button.js`, '/static/shop.js'],
      },
      html`<h1>Partner Shop</h1>
        <p class="offer">Military members and veterans get ${DISCOUNT_PERCENT}% off</p>
        ${noticeBox(page.notice)}
        ${
          page.verification === undefined
            ? verifyButtons(page.integration, page.state)
            : verifiedBox(page.verification, page.csrfToken)
        }
        ${products(verified)}`,
    ),
  );
}

/** ID.me's published widget markup (seed 002), unchanged except for the script's URL. */
export function idmeWidgetMarkup(integration: Integration): Html {
  // prettier-ignore
  return html`<span id='idme-wallet-button' data-scope='military' data-client-id='${integration.clientId}' data-redirect='${integration.redirectUri}' data-response='code'></span><script src='${integration.vettedUrl}/js/idme-wallet-button.js'></script>`;
}

export function idmeCompatiblePage(integration: Integration): string {
  const markup = idmeWidgetMarkup(integration);
  return toText(
    layout(
      { title: 'ID.me-compatible widget', current: '/idme-compatible' },
      html`<h1>ID.me-compatible widget</h1>
        <p>
          This button comes from ID.me's published widget markup, unchanged except that the script is loaded
          from Vetted:
        </p>
        <pre><code>${toText(markup)}</code></pre>
        <p>
          That markup sends no <code>state</code>, and state is what proves a callback answers a verification
          this browser started (without it, someone could slip their own verification into your session), so
          the shop accepts a callback without state only within 10 minutes of this page being opened in your
          session.
        </p>
        <div class="variant">${markup}</div>`,
    ),
  );
}

export function messagePage(title: string, message: string): string {
  return toText(
    layout(
      { title },
      html`<h1>${title}</h1>
        <p>${message}</p>
        <p><a href="/">Back to the shop</a></p>`,
    ),
  );
}

/** What the shop answers (503) while it registers with Vetted: a plain page that reloads itself. */
export function startingPage(retryAfterSeconds: number): string {
  return toText(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta http-equiv="refresh" content="${retryAfterSeconds}" />
          <title>Starting · Partner Shop</title>
        </head>
        <body>
          <main>
            <h1>The shop is starting…</h1>
            <p>It is registering with Vetted. This page reloads in a few seconds.</p>
          </main>
        </body>
      </html>`,
  );
}
