import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../examples/partner-shop/src/settings.ts';
import { defaultShopUrl, startShop, type Credentials } from '../../examples/partner-shop/src/shop.ts';
import {
  authorize,
  authorizeUrl,
  Browser,
  freePort,
  registerApp,
  registerUser,
  startOidcServer,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * The shop's first seconds (it binds its port, then registers) and the URL a developer is told to open:
 * the shop's README and the repository's README against what the shop really does.
 */

const README = readFileSync(new URL('../../examples/partner-shop/README.md', import.meta.url), 'utf8');
const ROOT_README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The shop README's settings table: variable → default column. */
function documentedDefaults(): Record<string, string> {
  const rows = [...README.matchAll(/^\| `([A-Z_]+)`\s*\|([^|]*)\|/gm)];
  return Object.fromEntries(rows.map((row) => [row[1] ?? '', (row[2] ?? '').trim()]));
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A request that gives up after 3 s instead of hanging (a shop that never answers fails the test). */
function get(url: string, headers: Record<string, string> = {}) {
  return fetch(url, { redirect: 'manual', headers, signal: AbortSignal.timeout(3000) });
}

describe('the partner shop while it starts', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(() => server.stop());

  it('answers 503 with Retry-After until it is registered, then serves the shop', async () => {
    const port = await freePort();
    const registration = deferred<Credentials>();
    let redirectUri = '';
    const starting = startShop({
      vettedUrl: server.config.baseUrl,
      port,
      host: '127.0.0.1',
      credentials: (uri) => {
        redirectUri = uri;
        return registration.promise;
      },
    });
    // The port is bound before registration; wait until the shop asks for its credentials.
    await expect.poll(() => redirectUri, { timeout: 5000 }).not.toBe('');

    const early = await get(`http://localhost:${String(port)}/`);
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(early.headers.get('content-type')).toMatch(/^text\/html/);
    expect(early.headers.get('cache-control')).toBe('no-store');
    expect(await early.text()).toContain('The shop is starting…');
    const callback = await get(`http://localhost:${String(port)}/callback?code=x&state=y`);
    expect(callback.status).toBe(503);
    await callback.body?.cancel();

    registration.resolve(await registerApp(server, { redirectUris: [redirectUri], scopes: ['military'] }));
    const shop = await starting;
    try {
      const ready = await get(`${shop.url}/`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toContain('Military members and veterans get 15% off');
    } finally {
      await shop.close();
    }
  });

  it('stops with the reason when registration fails, and frees its port', async () => {
    const port = await freePort();
    await expect(
      startShop({
        vettedUrl: server.config.baseUrl,
        port,
        host: '127.0.0.1',
        credentials: () => Promise.reject(new Error('vetted apps create failed (exit 1): no database')),
      }),
    ).rejects.toThrow('vetted apps create failed (exit 1): no database');
    await expect(get(`http://127.0.0.1:${String(port)}/`)).rejects.toThrow();
  });

  it('serves the documented URL, http://localhost:<port>, also when it listens on 127.0.0.1', async () => {
    const port = await freePort();
    let app: Credentials | undefined;
    const shop = await startShop({
      vettedUrl: server.config.baseUrl,
      port,
      host: '127.0.0.1',
      credentials: async (redirectUri) => {
        app = await registerApp(server, { redirectUris: [redirectUri], scopes: ['military'] });
        return app;
      },
    });
    try {
      const documented = documentedDefaults().SHOP_URL?.replace(/`/g, '').replace('<port>', String(port));
      expect(shop.url).toBe(documented);
      expect(shop.redirectUri).toBe(`http://localhost:${String(port)}/callback`);

      // Another name for the same address sends the visitor to the shop's URL before any session starts.
      const wrongHost = await get(`http://127.0.0.1:${String(port)}/idme-compatible?x=1`);
      expect(wrongHost.status).toBe(307);
      expect(wrongHost.headers.get('location')).toBe(`${shop.url}/idme-compatible?x=1`);
      expect(wrongHost.headers.getSetCookie()).toEqual([]);

      // The whole journey from the documented URL: Vetted sends the visitor back to the same origin.
      const browser = new Browser();
      const home = await browser.request(`${shop.url}/`);
      const state = /data-state="([^"]+)"/.exec(await home.text())?.[1];
      expect(state).toBeDefined();
      const user = await registerUser(server, { verify: [['military', 'Veteran']] });
      const url = authorizeUrl(server, {
        client_id: app?.clientId ?? '',
        redirect_uri: shop.redirectUri,
        response_type: 'code',
        scope: 'military',
        state: state ?? '',
      });
      const journey = await authorize(new Browser(), server, url, { user });
      expect(journey.callback?.origin).toBe(new URL(shop.url).origin);
      const landed = await browser.request(journey.callback ?? '');
      expect(landed.status).toBe(200);
      expect(await landed.text()).toContain('15% off applied');
    } finally {
      await shop.close();
    }
  });
});

describe("the partner shop's READMEs", () => {
  it('state the defaults the shop uses', () => {
    const defaults = documentedDefaults();
    const settings = readSettings({});
    expect(defaults.VETTED_URL).toBe(`\`${settings.vettedUrl}\``);
    expect(defaults.SHOP_PORT).toBe(`\`${String(settings.port)}\``);
    expect(settings.host).toBeUndefined();
    expect(defaults.SHOP_HOST).toBe('all interfaces');
    for (const host of [undefined, '0.0.0.0', '::', '127.0.0.1', '::1', 'localhost']) {
      expect(defaultShopUrl(host, 4000)).toBe('http://localhost:4000');
    }
    expect(defaults.SHOP_URL).toContain('`http://localhost:<port>`');
    expect(README).toContain('the shop on http://localhost:4000');
    expect(ROOT_README).toContain('the shop on http://localhost:4000');
  });

  it('create different users, so following both works', () => {
    const emails = (text: string) => [...text.matchAll(/users create --email (\S+)/g)].map((m) => m[1]);
    const shopUsers = emails(README);
    expect(shopUsers.length).toBeGreaterThan(0);
    for (const email of shopUsers) expect(emails(ROOT_README)).not.toContain(email);
  });
});
