import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Router } from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStaticFiles, staticRoutes } from './static-routes.ts';

async function listen(app: Koa): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('static files', () => {
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    const app = new Koa();
    const router = new Router();
    staticRoutes(router);
    app.use(router.routes());
    server = await listen(app);
  });

  afterAll(async () => {
    await server.close();
  });

  it('serves the stylesheet with its type, an hour of caching and a content-hash ETag', async () => {
    const response = await fetch(`${server.url}/static/vetted.css`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
    expect(await response.text()).toContain('.skip-link');
    const icon = await fetch(`${server.url}/static/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers 304 without a body when the ETag matches', async () => {
    const first = await fetch(`${server.url}/static/vetted.css`);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${server.url}/static/vetted.css`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const listed = await fetch(`${server.url}/static/vetted.css`, {
      headers: { 'If-None-Match': `"a", W/${etag}` },
    });
    expect(listed.status).toBe(304);
    const changed = await fetch(`${server.url}/static/vetted.css`, {
      headers: { 'If-None-Match': '"other"' },
    });
    expect(changed.status).toBe(200);
  });

  it('serves nothing outside the folder listing', async () => {
    for (const path of [
      '/static/missing.css',
      '/static/..%2Fhtml.ts',
      '/static/%2e%2e%2fhtml.ts',
      '/static/',
      '/static/static-routes.ts',
    ])
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
  });
});

describe('the folder listing', () => {
  const folder = mkdtempSync(join(tmpdir(), 'vetted-static-'));

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps only regular files of known types, never dotfiles or folders', () => {
    writeFileSync(join(folder, 'app.js'), 'console.log(1)');
    writeFileSync(join(folder, '.env'), 'SECRET=1');
    writeFileSync(join(folder, 'notes.md'), '# notes');
    mkdirSync(join(folder, 'nested.css'));
    const files = loadStaticFiles(pathToFileURL(`${folder}/`));
    expect([...files.keys()]).toEqual(['app.js']);
    expect(files.get('app.js')?.type).toBe('text/javascript; charset=utf-8');
  });
});
