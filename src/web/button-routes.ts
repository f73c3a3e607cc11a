import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { loadStaticFiles, sendStaticFile, type StaticFile } from './static-routes.ts';

/** The stable URLs partners include; ID.me's file name works too, so a page changes only the host. */
const STABLE_PATHS = ['/js/button.js', '/js/idme-wallet-button.js'];

/** The URL of this exact version of the script, cacheable for a year (its content hash is in the name). */
export function versionedButtonPath(file: Pick<StaticFile, 'hash'>): string {
  return `/js/button.${file.hash}.js`;
}

/**
 * The verification button script (SPEC §8), loaded by partners' pages from another origin: so it carries
 * `Cross-Origin-Resource-Policy: cross-origin` and CORS for `<script crossorigin integrity=…>`. The stable
 * URLs are revalidated hourly by ETag, so a fix reaches every partner within the hour; the versioned URL
 * (`Link: rel=canonical` on the stable ones) never changes and may be cached for good.
 */
export function buttonRoutes(router: Router, options: { folder?: URL } = {}): void {
  const file = loadStaticFiles(options.folder).get('button.js');
  if (file === undefined) throw new Error('the button script (static/button.js) is missing');
  const versioned = versionedButtonPath(file);
  const crossOrigin = (ctx: Context) => {
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Access-Control-Allow-Origin', '*');
  };
  for (const path of STABLE_PATHS) {
    router.get(path, (ctx) => {
      crossOrigin(ctx);
      ctx.set('Link', `<${versioned}>; rel="canonical"`);
      sendStaticFile(ctx, file, 'public, max-age=3600');
    });
  }
  router.get(versioned, (ctx) => {
    crossOrigin(ctx);
    sendStaticFile(ctx, file, 'public, max-age=31536000, immutable');
  });
}
