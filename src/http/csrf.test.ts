import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import { Router } from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfProtection, type CsrfState } from './csrf.ts';

interface Browser {
  cookie: string;
  token: string;
  setCookie: string;
}

describe('CSRF protection', () => {
  let server: ReturnType<Koa['listen']>;
  let url: string;
  let served = 0;

  beforeAll(async () => {
    const app = new Koa<CsrfState>();
    // DELETE bodies are parsed only when asked for; without that, a DELETE form body never reaches the check.
    app.use(bodyParser({ enableTypes: ['form', 'json'], parsedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'] }));
    app.use(csrfProtection({ secure: false, exempt: (ctx) => ctx.path === '/oauth/token' }));
    const router = new Router<CsrfState>();
    router.get('/form', (ctx) => {
      ctx.body = { token: ctx.state.csrfToken, again: ctx.state.csrfToken };
    });
    router.get('/plain', (ctx) => {
      ctx.body = 'no form here';
    });
    const accept = (ctx: Koa.Context) => {
      served += 1;
      ctx.body = 'accepted';
    };
    router.post('/form', accept);
    router.delete('/form', accept);
    router.post('/oauth/token', accept);
    router.post('/api', accept);
    app.use(router.routes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function openForm(cookie?: string): Promise<Browser> {
    const response = await fetch(`${url}/form`, { headers: cookie === undefined ? {} : { Cookie: cookie } });
    const setCookie = response.headers.get('set-cookie') ?? '';
    const { token } = (await response.json()) as { token: string };
    return { cookie: cookie ?? setCookie.split(';')[0]!, token, setCookie };
  }

  function post(body: Record<string, string>, cookie?: string, path = '/form', method = 'POST') {
    return fetch(`${url}${path}`, {
      method,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(cookie === undefined ? {} : { Cookie: cookie }),
      },
      body: new URLSearchParams(body).toString(),
    });
  }

  it('keeps a per-browser secret in an HttpOnly, SameSite=Lax cookie and hands views a token', async () => {
    const browser = await openForm();
    expect(browser.setCookie).toMatch(/^vetted_csrf=[^;]+; path=\/; samesite=lax; httponly$/);
    expect(browser.token).toMatch(/^[\w-]+$/);
    // Returning browsers keep their secret: no new cookie.
    const again = await fetch(`${url}/form`, { headers: { Cookie: browser.cookie } });
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('sets the cookie only when a token is asked for', async () => {
    const response = await fetch(`${url}/plain`);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('accepts a form post carrying the token for this browser', async () => {
    const browser = await openForm();
    const before = served;
    const response = await post({ _csrf: browser.token, name: 'x' }, browser.cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('accepted');
    expect(served).toBe(before + 1);
    // Any token minted for the same secret is good, not only the latest.
    const second = await openForm(browser.cookie);
    expect((await post({ _csrf: browser.token }, second.cookie)).status).toBe(200);
  });

  it('rejects a post without a token, or without the cookie, with a 403 HTML page', async () => {
    const browser = await openForm();
    const before = served;
    for (const response of [
      await post({ name: 'x' }, browser.cookie),
      await post({ _csrf: browser.token }),
    ]) {
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('<!doctype html>');
      expect(page).toContain('This form has expired');
      expect(page).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(served).toBe(before);
  });

  it('rejects a token minted for another browser, and a forged one', async () => {
    const victim = await openForm();
    const attacker = await openForm();
    expect((await post({ _csrf: attacker.token }, victim.cookie)).status).toBe(403);
    expect((await post({ _csrf: 'forged-token' }, victim.cookie)).status).toBe(403);
    expect((await post({ _csrf: '' }, victim.cookie)).status).toBe(403);
  });

  it('checks every unsafe method and every body type a cross-site form can send', async () => {
    const browser = await openForm();
    expect((await post({}, browser.cookie, '/form', 'DELETE')).status).toBe(403);
    expect((await post({ _csrf: browser.token }, browser.cookie, '/form', 'DELETE')).status).toBe(200);
    const textPlain = await fetch(`${url}/form`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Cookie: browser.cookie },
      body: `_csrf=${browser.token}`,
    });
    expect(textPlain.status).toBe(403);
    const multipart = new FormData();
    multipart.set('name', 'x');
    const response = await fetch(`${url}/form`, {
      method: 'POST',
      headers: { Cookie: browser.cookie },
      body: multipart,
    });
    expect(response.status).toBe(403);
    const empty = await fetch(`${url}/form`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: browser.cookie },
    });
    expect(empty.status).toBe(403);
    const bodiless = await fetch(`${url}/form`, { method: 'POST', headers: { Cookie: browser.cookie } });
    expect(bodiless.status).toBe(403);
  });

  it('leaves exempt paths and JSON requests alone', async () => {
    expect((await post({ grant_type: 'client_credentials' }, undefined, '/oauth/token')).status).toBe(200);
    const json = await fetch(`${url}/api`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(json.status).toBe(200);
  });
});

describe('CSRF protection behind https', () => {
  it('marks the cookie Secure even when TLS ends before Koa', async () => {
    const app = new Koa<CsrfState>();
    app.use(csrfProtection({ secure: true }));
    app.use((ctx) => {
      ctx.body = ctx.state.csrfToken;
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toMatch(/; secure;/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
