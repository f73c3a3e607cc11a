import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Browser,
  csrfToken,
  formAction,
  registerApp,
  registerUser,
  startOidcServer,
  type TestApp,
} from '../helpers/oidc.ts';
import { httpRequest, rawRequest, truncatedMultipart } from '../helpers/raw-http.ts';
import type { TestServer } from '../helpers/server.ts';
import { atUploadForm, blobFiles, countRows, documentJpeg, documentPng } from '../verification/support.ts';

const BOUNDARY = 'vetted-hostile-boundary';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/**
 * Uploads whose body breaks off or is malformed (issue 13, point 1): a file part never closed used to make
 * busboy emit an error on the file stream that nobody listened to, and that took the process down.
 */
describe('uploads that break off', () => {
  let server: TestServer;
  let app: TestApp;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military'] });
  });
  afterAll(() => server.stop());

  async function healthy() {
    const health = await fetch(url('/healthz'));
    expect(health.status).toBe(200);
  }

  async function documentForm() {
    const { journey, form } = await atUploadForm(server, app);
    const action = formAction(form.page, '/verify/document')?.replace(/&amp;/g, '&') ?? '';
    expect(action).not.toBe('');
    return {
      cookie: journey.browser.cookieHeader(),
      csrf: csrfToken(form.page),
      path: new URL(action, url('/')),
    };
  }

  function nothingStored() {
    expect(countRows(server, 'documents')).toBe(0);
    expect(countRows(server, 'verification_evidence')).toBe(0);
    expect(countRows(server, 'verifications')).toBe(0);
    expect(blobFiles(server)).toEqual([]);
  }

  it('answers 400 to a document upload whose file part never ends, and keeps serving', async () => {
    const { cookie, csrf, path } = await documentForm();
    const body = truncatedMultipart(
      BOUNDARY,
      { _csrf: csrf, subgroup: 'Veteran', document_type: 'dd214' },
      { field: 'front', name: 'front.jpg', type: 'image/jpeg', bytes: await documentJpeg() },
    );
    const answer = await rawRequest(
      server.config.baseUrl,
      httpRequest(
        'POST',
        path.pathname + path.search,
        { Cookie: cookie, 'Content-Type': MULTIPART, Accept: 'text/html' },
        body,
      ),
    );
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('This form could not be read');
    expect(answer.closed).toBe(true);
    await healthy();
    nothingStored();
  });

  it('answers 400 to a document upload that is malformed half-way, and does not read the rest', async () => {
    const { cookie, csrf, path } = await documentForm();
    const start = truncatedMultipart(
      BOUNDARY,
      { _csrf: csrf, subgroup: 'Veteran', document_type: 'dd214' },
      { field: 'front', name: 'front.jpg', type: 'image/jpeg', bytes: Buffer.alloc(0) },
    );
    // A part header longer than busboy accepts: the parser fails while the body is still coming.
    const malformed = Buffer.from(`\r\n--${BOUNDARY}\r\nX-Junk: ${'a'.repeat(100_000)}`);
    const body = Buffer.concat([start, malformed]);
    // The declared body is a megabyte longer than what is sent: the server must not wait for the rest.
    const request = httpRequest(
      'POST',
      path.pathname + path.search,
      { Cookie: cookie, 'Content-Type': MULTIPART, 'Content-Length': String(body.length + 1_000_000) },
      body,
    );
    const answer = await rawRequest(server.config.baseUrl, request);
    expect(answer.status).toBe(400);
    expect(answer.closed).toBe(true);
    await healthy();
    nothingStored();
  });

  it('forgets a document upload whose client goes away half-way, and logs it as 499', async () => {
    const { cookie, csrf, path } = await documentForm();
    const body = truncatedMultipart(
      BOUNDARY,
      { _csrf: csrf, subgroup: 'Veteran', document_type: 'dd214' },
      { field: 'front', name: 'front.jpg', type: 'image/jpeg', bytes: await documentJpeg() },
    );
    const request = httpRequest(
      'POST',
      path.pathname + path.search,
      { Cookie: cookie, 'Content-Type': MULTIPART, 'Content-Length': String(body.length + 100_000) },
      body,
    );
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url('/').port), '127.0.0.1', () => {
        socket.write(request);
        setTimeout(() => socket.resetAndDestroy(), 100);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
      socket.resume();
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await healthy();
    nothingStored();
    const line = server.logs.findLast((entry) => entry.msg === 'request' && entry.path === path.pathname);
    expect(line).toMatchObject({ status: 499, aborted: true });
  });

  it('answers 400 to a logo upload whose file part never ends, and keeps serving', async () => {
    const user = await registerUser(server);
    const browser = new Browser();
    const signIn = await (await browser.request(url('/account/sign-in'))).text();
    await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(signIn), email: user.email, password: user.password },
    });
    const home = await (await browser.request(url('/developer'))).text();
    const org =
      (
        await browser.request(url('/developer/orgs'), { form: { _csrf: csrfToken(home), name: 'Logo Co' } })
      ).headers.get('location') ?? '';
    const newApp = await (await browser.request(url(`${org}/apps/new`))).text();
    const created = await browser.request(url(`${org}/apps`), {
      form: {
        _csrf: csrfToken(newApp),
        name: 'Logo',
        redirect_uris: 'https://logo.example/cb',
        client_type: 'confidential',
      },
    });
    const appPath = (created.headers.get('location') ?? '').replace(/\/credentials$/, '');
    const clientId = appPath.split('/').at(-1) ?? '';
    const branding = await (await browser.request(url(`${appPath}/branding`))).text();
    expect(formAction(branding, '/branding/logo')).toBe(`${appPath}/branding/logo`);

    const body = truncatedMultipart(
      BOUNDARY,
      { _csrf: csrfToken(branding) },
      { field: 'logo', name: 'logo.png', type: 'image/png', bytes: await documentPng(64, 64) },
    );
    const answer = await rawRequest(
      server.config.baseUrl,
      httpRequest(
        'POST',
        `${appPath}/branding/logo`,
        { Cookie: browser.cookieHeader(), 'Content-Type': MULTIPART },
        body,
      ),
    );
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('could not be read');
    expect(answer.closed).toBe(true);
    await healthy();
    expect((await server.services.applications.get(clientId)).logoUrl).toBeNull();
    expect(blobFiles(server)).toEqual([]);
  });
});
