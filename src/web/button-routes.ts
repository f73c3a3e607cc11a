import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { loadStaticFiles, sendStaticFile, type StaticFile } from './static-routes.ts';

/** Its own folder: /static/<name> serves only the top level of static/, so the script has one set of URLs. */
const scriptFolder = new URL('./static/js/', import.meta.url);

/** The stable URLs partners include; ID.me's file name works too, so a page changes only the host. */
const STABLE_PATHS = ['/js/button.js', '/js/idme-wallet-button.js'];

/** The URL of this exact version of the script, cacheable for a year (its content hash is in the name). */
export function versionedButtonPath(file: Pick<StaticFile, 'hash'>): string {
  return `/js/button.${file.hash}.js`;
}

type Encoding = 'br' | 'gzip' | 'identity';

/** The script compressed once at start-up (it loads on partners' pages, often on a phone's connection). */
function encodings(file: StaticFile): Record<Encoding, StaticFile> {
  const variant = (body: Buffer, suffix: string) => ({ ...file, body, etag: `"${file.hash}-${suffix}"` });
  return {
    br: variant(brotliCompressSync(file.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), 'br'),
    gzip: variant(gzipSync(file.body, { level: 9 }), 'gz'),
    identity: file,
  };
}

/**
 * Brotli, else gzip, else none. Asked one at a time: with equal weights the negotiator follows the header's
 * order, and browsers list gzip first. No header at all (curl) gets the plain script.
 */
function chooseEncoding(ctx: Context): Encoding {
  if (ctx.get('Accept-Encoding') === '') return 'identity';
  const encoding =
    ctx.acceptsEncodings('br') === 'br'
      ? 'br'
      : ctx.acceptsEncodings('gzip') === 'gzip'
        ? 'gzip'
        : 'identity';
  if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
  return encoding;
}

/**
 * The verification button script (SPEC §8), loaded by partners' pages from another origin: so it carries
 * `Cross-Origin-Resource-Policy: cross-origin` and CORS for `<script crossorigin integrity=…>`. The stable
 * URLs are revalidated hourly by ETag, so a fix reaches every partner within the hour; the versioned URL
 * (`Link: rel=canonical` on the stable ones) never changes and may be cached for good.
 */
export function buttonRoutes(router: Router, options: { folder?: URL } = {}): void {
  const file = loadStaticFiles(options.folder ?? scriptFolder).get('button.js');
  if (file === undefined) throw new Error('the button script (static/js/button.js) is missing');
  const versioned = versionedButtonPath(file);
  const variants = encodings(file);
  const send = (ctx: Context, cacheControl: string) => {
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.vary('Accept-Encoding');
    sendStaticFile(ctx, variants[chooseEncoding(ctx)], cacheControl);
  };
  for (const path of STABLE_PATHS) {
    router.get(path, (ctx) => {
      ctx.set('Link', `<${versioned}>; rel="canonical"`);
      send(ctx, 'public, max-age=3600');
    });
  }
  router.get(versioned, (ctx) => send(ctx, 'public, max-age=31536000, immutable'));
}
