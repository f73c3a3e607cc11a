import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Router } from '@koa/router';
import type { Context } from 'koa';

export interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
  /** The first 27 characters of the body's SHA-256, base64url: the ETag's value and versioned URLs' key. */
  hash: string;
}

const types: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The default folder: src/web/static/ when running from source, dist/web/static/ once built and copied. */
export const staticFolder = new URL('./static/', import.meta.url);

/**
 * Reads every file of the folder once, at startup. Only these names are ever served, so no request path
 * reaches the file system (no traversal, no dotfiles, no files added later).
 */
export function loadStaticFiles(folder: URL = staticFolder): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const type = types[extname(entry.name).toLowerCase()];
    if (!entry.isFile() || entry.name.startsWith('.') || type === undefined) continue;
    const body = readFileSync(new URL(entry.name, folder));
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
    files.set(entry.name, { body, type, etag: `"${hash}"`, hash });
  }
  return files;
}

/** Serves /static/<name> from memory, cacheable for an hour and revalidated by ETag (304). */
export function staticRoutes(router: Router, options: { folder?: URL } = {}): void {
  const files = loadStaticFiles(options.folder);
  router.get('/static/:name', (ctx) => {
    const file = files.get(ctx.params.name ?? '');
    if (file === undefined) return; // 404 by the error handler
    sendStaticFile(ctx, file, 'public, max-age=3600');
  });
}

/** Answers with the file, or 304 when the request already holds this version (its ETag). */
export function sendStaticFile(ctx: Context, file: StaticFile, cacheControl: string): void {
  ctx.set('Cache-Control', cacheControl);
  ctx.set('ETag', file.etag);
  if (matches(ctx.get('If-None-Match'), file.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.type = file.type;
  ctx.body = file.body;
}

/**
 * If-None-Match by weak comparison (RFC 9110 §13.1.2). Not Koa's `ctx.fresh`: that also honours a request's
 * `Cache-Control: no-cache`, which is for caches, and which fetch() adds to every conditional request.
 */
function matches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
