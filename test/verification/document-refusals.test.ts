import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerApp, startOidcServer, type TestApp } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import {
  atUploadForm,
  blobFiles,
  countRows,
  DD214,
  documentJpeg,
  documentPng,
  jpegFile,
  pageErrors,
  pageText,
  pageTitle,
} from './support.ts';

/** Uploads the verify step refuses: each shows what is wrong, and none leaves anything behind. */
describe('verify step: refused document uploads', () => {
  let server: TestServer;
  let app: TestApp;
  let jpeg: Buffer;

  beforeAll(async () => {
    // A server of its own: "nothing stored" means nothing at all in its database and blob folder.
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military'] });
    jpeg = await documentJpeg();
  });
  afterEach(() => {
    expect(countRows(server, 'verifications')).toBe(0);
    expect(countRows(server, 'verification_evidence')).toBe(0);
    expect(countRows(server, 'documents')).toBe(0);
    expect(blobFiles(server)).toEqual([]);
  });
  afterAll(() => server.stop());

  it('a text file named .jpg', async () => {
    const { journey, form } = await atUploadForm(server, app);
    const answer = await journey.upload(form, DD214, {
      front: jpegFile(Buffer.from('this is not a picture of anything'), 'dd214.jpg'),
    });
    expect(answer.status).toBe(400);
    expect(pageTitle(answer.page)).toBe('Upload a document');
    expect(pageErrors(answer.page)).toEqual([
      'This kind of file is not accepted. Upload a photo or scan as JPEG, PNG or PDF.',
    ]);
    expect(answer.page).toMatch(/href="#[^"]*front/);
    // What was chosen stays chosen.
    expect(answer.page).toMatch(/<option value="Veteran"[^>]*selected/);
  });

  it('a truncated PNG', async () => {
    const { journey, form } = await atUploadForm(server, app);
    const png = await documentPng();
    const answer = await journey.upload(form, DD214, {
      front: { bytes: png.subarray(0, Math.floor(png.length / 2)), name: 'scan.png', type: 'image/png' },
    });
    expect(answer.status).toBe(400);
    expect(pageTitle(answer.page)).toBe('Upload a document');
    expect(pageErrors(answer.page).join(' ')).toContain('The image could not be read');
  });

  it('does not read an upload from a browser outside a sign-in (no session or form cookies): 403', async () => {
    const body = new FormData();
    body.set('_csrf', 'forged');
    body.set('front', new Blob([Buffer.alloc(5 * 1024 * 1024, 1)], { type: 'image/jpeg' }), 'a.jpg');
    const response = await fetch(new URL('/interaction/made-up/verify/document', server.config.baseUrl), {
      method: 'POST',
      body,
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('This form has expired.');
  });

  it('a 50 MB file: refused from its declared length as too large, the limit in the message', async () => {
    const { journey, form } = await atUploadForm(server, app);
    const huge = Buffer.alloc(50 * 1024 * 1024, 0xff);
    jpeg.copy(huge, 0, 0, 64);
    const answer = await journey.upload(form, DD214, { front: jpegFile(huge, 'huge.jpg') });
    expect(answer.status).toBe(413);
    expect(pageTitle(answer.page)).toBe('This upload is too large');
    expect(pageText(answer.page)).toContain('Each file may be at most 10 MB.');
    // Not a dead end: the page leads back to the upload form of the same sign-in.
    expect(answer.page).toContain(`href="${form.url.pathname}?method=document"`);
  });

  it('a file just over 10 MB in a request the server reads: the field says so', async () => {
    const { journey, form } = await atUploadForm(server, app);
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0xff);
    jpeg.copy(big, 0, 0, 64);
    const answer = await journey.upload(form, DD214, { front: jpegFile(big, 'big.jpg') });
    expect(answer.status).toBe(400);
    expect(pageTitle(answer.page)).toBe('Upload a document');
    expect(pageErrors(answer.page)).toEqual([
      'This file is larger than 10 MB. Upload a smaller photo or scan.',
    ]);
  });

  it('no front (a back only): the front’s field asks for it', async () => {
    const { journey, form } = await atUploadForm(server, app);
    const answer = await journey.upload(form, DD214, {
      back: { bytes: await documentPng(), name: 'back.png', type: 'image/png' },
    });
    expect(answer.status).toBe(400);
    expect(pageErrors(answer.page)).toEqual(['Choose a photo or scan of the front of the document.']);
    expect(answer.page).toMatch(/href="#[^"]*front/);
  });

  it('an empty file input and nothing chosen: an error on each field', async () => {
    const { journey, form } = await atUploadForm(server, app);
    const answer = await journey.upload(
      form,
      { subgroup: '', documentType: '' },
      { front: { bytes: Buffer.alloc(0), name: '', type: 'application/octet-stream' } },
    );
    expect(answer.status).toBe(400);
    expect(pageErrors(answer.page)).toEqual([
      'Choose your status.',
      'Choose the document you are uploading.',
      'Choose a photo or scan of the front of the document.',
    ]);
  });

  it('a good front with a bad back: the back’s field says why', async () => {
    const { journey, form } = await atUploadForm(server, app);
    const answer = await journey.upload(form, DD214, {
      front: jpegFile(jpeg),
      back: { bytes: Buffer.from('%PDF-1.7 but not really'), name: 'back.pdf', type: 'application/pdf' },
    });
    expect(answer.status).toBe(400);
    expect(pageErrors(answer.page)).toHaveLength(1);
    expect(answer.page).toMatch(/href="#[^"]*back/);
  });

  it('an upload with a forged CSRF token', async () => {
    const { journey, form } = await atUploadForm(server, app);
    const answer = await journey.upload(form, DD214, { front: jpegFile(jpeg) }, { csrf: 'forged' });
    expect(answer.status).toBe(403);
  });
});
