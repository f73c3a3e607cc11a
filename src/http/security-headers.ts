import helmet from 'helmet';
import type { Middleware } from 'koa';

/**
 * Security headers on every response (Helmet's defaults, a strict CSP that forbids framing), plus HSTS when
 * the public URL is https. There is no `form-action`: Chrome applies it to the redirects that follow a form
 * submission, and every sign-in ends with a redirect (or a form_post) to the partner's registered URI.
 */
export function securityHeaders(options: { https: boolean }): Middleware {
  const headers = helmet({
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
  });
  return async (ctx, next) => {
    await new Promise<void>((resolve, reject) => {
      headers(ctx.req, ctx.res, (error?: unknown) => {
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error('helmet failed'));
      });
    });
    await next();
  };
}
