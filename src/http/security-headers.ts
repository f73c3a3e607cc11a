import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import type { Context, Middleware } from 'koa';

/**
 * Security headers on every response, in two profiles chosen by what the response is:
 *
 * - HTML documents get Helmet's full set: a strict CSP that forbids framing, COOP, CORP, no referrer, and
 *   the rest. There is no `form-action`: Chrome applies it to the redirects that follow a form submission,
 *   and every sign-in ends with a redirect (or a form_post) to the partner's registered URI.
 * - Everything else (JSON, JavaScript, CSS, images, redirects) gets what matters for a resource (OWASP's
 *   REST headers): `nosniff`, a CSP that lets nothing run or frame it should a browser render it, and HSTS.
 *   The document-only headers do nothing there, and on the busiest endpoints they were most of the bytes
 *   of every response. `Cross-Origin-Resource-Policy` is left to each route: JSONP and the button script
 *   must load from partners' pages, which Helmet's `same-origin` would forbid.
 *
 * The pages of a sign-in (the picker, the authorization endpoint's own pages, the interaction) may run in
 * the verification button's popup, which must keep its `window.opener` to hand the result back: there COOP
 * is `unsafe-none`, since Helmet's `same-origin` would cut the popup off from the partner's page.
 *
 * HTML documents are `Cache-Control: no-store` unless their handler said otherwise: every page is rendered
 * for its viewer (the sign-in's steps and consent, account pages, the consoles, secrets shown once), and
 * none may be kept by a shared browser's history or a proxy.
 *
 * A header the handler already set (a route's own CORP) is kept; the document CSP is there before the
 * handler runs, because oidc-provider adds its form_post script's hash to the CSP it finds. The values
 * depend on nothing in the request, so Helmet computes them once, at start-up.
 */
const CSP = 'Content-Security-Policy';
const RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'";
const COOP = 'Cross-Origin-Opener-Policy';
const CACHE_CONTROL = 'Cache-Control';
const POPUP_PAGES = /^\/(?:oauth\/authorize(?:\/|$)|interaction\/|groups$)/;

export function securityHeaders(options: { https: boolean }): Middleware {
  const hsts = 'max-age=31536000; includeSubDomains';
  const document = computeHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          imgSrc: ["'self'", 'data:'],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
        },
      },
      strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  const documentCsp = document.find(([name]) => name === CSP)?.[1] ?? '';
  const resource: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ...(options.https ? [['Strict-Transport-Security', hsts] as [string, string]] : []),
  ];
  return async (ctx, next) => {
    // Set before the handler: oidc-provider adds its form_post script's hash to the CSP it finds.
    ctx.set(CSP, documentCsp);
    await next();
    if (isDocument(ctx)) {
      if (POPUP_PAGES.test(ctx.path) && !ctx.res.hasHeader(COOP)) ctx.set(COOP, 'unsafe-none');
      // Every page is rendered for its viewer: a sign-in step, personal data, a secret shown once.
      if (!ctx.res.hasHeader(CACHE_CONTROL)) ctx.set(CACHE_CONTROL, 'no-store');
      for (const [name, value] of document) if (!ctx.res.hasHeader(name)) ctx.set(name, value);
      return;
    }
    if (ctx.response.get(CSP) === documentCsp) ctx.set(CSP, RESOURCE_CSP);
    for (const [name, value] of resource) if (!ctx.res.hasHeader(name)) ctx.set(name, value);
  };
}

function isDocument(ctx: Context): boolean {
  return ctx.response.type === 'text/html';
}

/** Runs Helmet once against a recording response and returns the headers it set. */
function computeHeaders(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void,
): [string, string][] {
  const recorded = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => recorded.set(name, String(value)),
    removeHeader: (name: string) => recorded.delete(name),
    getHeader: (name: string) => recorded.get(name),
  };
  let failure: unknown;
  middleware(new IncomingMessage(new Socket()), recorder as unknown as ServerResponse, (error) => {
    failure = error;
  });
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('helmet failed');
  return [...recorded];
}
