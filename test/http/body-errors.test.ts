import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, registerUser, startOidcServer, type TestUser } from '../helpers/oidc.ts';
import { httpRequest, rawRequest } from '../helpers/raw-http.ts';
import type { TestServer } from '../helpers/server.ts';

const FORM = 'application/x-www-form-urlencoded';
const GARBAGE = Buffer.from('this is not gzip at all');

/**
 * Bodies that cannot be read (issue 13, point 2): every body Vetted reads itself answers 400, 413 or 415
 * with a message, never a 500, and a compressed body is decoded within the same limits.
 */
describe('request bodies that cannot be read', () => {
  let server: TestServer;
  let user: TestUser;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer();
    user = await registerUser(server);
  });
  afterAll(() => server.stop());

  /** The sign-in form's cookies and CSRF token. */
  async function signInForm(browser = new Browser()) {
    const page = await (await browser.request(url('/account/sign-in'))).text();
    return { browser, csrf: csrfToken(page) };
  }

  const post = (path: string, headers: Record<string, string>, body: Buffer | string) =>
    fetch(url(path), { method: 'POST', headers, body, redirect: 'manual' });

  function noServerErrors() {
    const failures = server.logs.filter(
      (line) => line.msg === 'request failed' || (typeof line.status === 'number' && line.status >= 500),
    );
    expect(failures).toEqual([]);
  }

  it('answers 400 to a sign-in form whose gzip body does not decode', async () => {
    const { browser } = await signInForm();
    const answer = await post(
      '/account/sign-in',
      {
        Cookie: browser.cookieHeader(),
        'Content-Type': FORM,
        'Content-Encoding': 'gzip',
        Accept: 'text/html',
      },
      GARBAGE,
    );
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('This form could not be read');
    noServerErrors();
  });

  it('reads a sign-in form sent with gzip', async () => {
    const { browser, csrf } = await signInForm();
    const form = new URLSearchParams({ _csrf: csrf, email: user.email, password: user.password });
    const answer = await post(
      '/account/sign-in',
      {
        Cookie: browser.cookieHeader(),
        'Content-Type': FORM,
        'Content-Encoding': 'gzip',
        Accept: 'text/html',
      },
      gzipSync(form.toString()),
    );
    expect(answer.status).toBe(303);
  });

  it('answers 415 to a form in an encoding it does not know, and 413 to one that decodes too large', async () => {
    const { browser } = await signInForm();
    const headers = { Cookie: browser.cookieHeader(), 'Content-Type': FORM, Accept: 'text/html' };
    const unknown = await post('/account/sign-in', { ...headers, 'Content-Encoding': 'zstd' }, 'a=b');
    expect(unknown.status).toBe(415);
    // A few kilobytes that inflate to 10 MB: the limit holds for the decoded bytes.
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 'a'));
    expect(bomb.length).toBeLessThan(16 * 1024);
    const large = await post('/account/sign-in', { ...headers, 'Content-Encoding': 'gzip' }, bomb);
    expect(large.status).toBe(413);
    expect(await large.text()).toContain('This form is too large');
    noServerErrors();
  });

  it('answers 400 and 415 with JSON on the document token refresh', async () => {
    const path = '/api/public/v3/document_tokens/refresh';
    const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const garbled = await post(path, { ...json, 'Content-Encoding': 'gzip' }, GARBAGE);
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error: 'http.body_unreadable' });
    const unknown = await post(path, { ...json, 'Content-Encoding': 'compress' }, '{}');
    expect(unknown.status).toBe(415);
    expect(await unknown.json()).toMatchObject({ error: 'http.content_encoding_unsupported' });
    const notJson = await post(path, json, '{"document_token":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error: 'http.body_unreadable',
      message: 'The body is not valid JSON.',
    });
    // A body that decodes goes on to the real check: no API token.
    const encoded = await post(
      path,
      { ...json, 'Content-Encoding': 'gzip' },
      gzipSync('{"document_token":"x"}'),
    );
    expect(encoded.status).toBe(401);
    noServerErrors();
  });

  it('answers 400 to a management API body that does not decode, and reads one that does', async () => {
    const { browser, csrf } = await signInForm();
    const signedIn = await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrf, email: user.email, password: user.password },
    });
    expect(signedIn.status).toBe(303);
    // Signing in replaced the form-token secret: take a token made after it.
    const page = await (await browser.request(url('/account/verifications'))).text();
    const headers = {
      Cookie: browser.cookieHeader(),
      'X-CSRF-Token': csrfToken(page),
      'Content-Type': 'application/json',
      Accept: 'application/json',
    };
    const garbled = await post(
      '/api/manage/v1/organizations',
      { ...headers, 'Content-Encoding': 'gzip' },
      GARBAGE,
    );
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error: 'manage.invalid_request' });
    const unknown = await post(
      '/api/manage/v1/organizations',
      { ...headers, 'Content-Encoding': 'zstd' },
      '{}',
    );
    expect(unknown.status).toBe(415);
    const encoded = await post(
      '/api/manage/v1/organizations',
      { ...headers, 'Content-Encoding': 'gzip' },
      gzipSync(JSON.stringify({ name: 'Gzip Org' })),
    );
    expect(encoded.status).toBe(201);
    noServerErrors();
  });

  it('answers 400 to an authorization request posted with a body that does not decode', async () => {
    const answer = await post(
      '/oauth/authorize',
      { 'Content-Type': FORM, 'Content-Encoding': 'gzip' },
      GARBAGE,
    );
    expect(answer.status).toBe(400);
    noServerErrors();
  });

  it('answers 415 to an encoded body on the OAuth endpoints that read bodies as sent', async () => {
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/par']) {
      const answer = await post(
        path,
        { 'Content-Type': FORM, 'Content-Encoding': 'gzip' },
        gzipSync('grant_type=x'),
      );
      expect(answer.status, path).toBe(415);
      expect(await answer.json()).toMatchObject({ error: 'invalid_request' });
    }
    noServerErrors();
  });

  it('answers 415 to an upload sent with a Content-Encoding', async () => {
    const answer = await rawRequest(
      server.config.baseUrl,
      httpRequest(
        'POST',
        '/interaction/unknown/verify/document',
        { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Encoding': 'gzip' },
        GARBAGE,
      ),
      { waitMs: 500 },
    );
    expect(answer.status).toBe(415);
    noServerErrors();
  });
});
