import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import type { Middleware } from 'koa';

/**
 * Security headers on every response (Helmet's defaults, a strict CSP that forbids framing), plus HSTS when
 * the public URL is https. There is no `form-action`: Chrome applies it to the redirects that follow a form
 * submission, and every sign-in ends with a redirect (or a form_post) to the partner's registered URI.
 *
 * The headers depend on nothing in the request, so Helmet computes them once, at start-up, and each response
 * gets a copy: running Helmet's dozen middlewares per request cost a noticeable share of every response.
 */
export function securityHeaders(options: { https: boolean }): Middleware {
  const headers = computeHeaders(
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
  return async (ctx, next) => {
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    await next();
  };
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
