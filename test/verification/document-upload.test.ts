import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApp, registerUser, startOidcServer, type TestApp } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import {
  atUploadForm,
  auditTrail,
  blobFiles,
  DD214,
  documentJpeg,
  documentPng,
  jpegFile,
  pageText,
  pageTitle,
  partnerStatus,
  signIn,
} from './support.ts';

describe('verify step: a document for review, uploaded as multipart/form-data', () => {
  let server: TestServer;
  let app: TestApp;
  let jpeg: Buffer;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military'] });
    jpeg = await documentJpeg();
  });
  afterAll(() => server.stop());

  it('queues a valid JPEG for review, and the partner sees verified:false after "Return to Partner Shop"', async () => {
    const { journey, form, user } = await atUploadForm(server, app);
    const pending = await journey.upload(form, DD214, { front: jpegFile(jpeg) });
    expect(pending.status).toBe(200);
    expect(pageTitle(pending.page)).toBe('We’re reviewing your document');
    expect(pageText(pending.page)).toContain('DD-214 (certificate of release or discharge)');

    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification).toMatchObject({
      status: 'evidence_submitted',
      method: 'document',
      subgroups: ['Veteran'],
    });
    const documents = await server.services.documents.listForVerification(verification?.id ?? '');
    expect(documents).toMatchObject([{ side: 'front', documentType: 'dd214', contentType: 'image/jpeg' }]);
    expect(blobFiles(server).length).toBeGreaterThanOrEqual(1);
    expect(await auditTrail(server, verification?.id ?? '')).toEqual([
      'verification.started',
      'verification.evidence_submitted',
    ]);

    const consent = await journey.submit(pending, '/verify/skip');
    expect(pageTitle(consent.page)).toBe('Share with Partner Shop');
    expect(pageText(consent.page)).toContain('Military status: not verified');
    expect(await partnerStatus(journey, app, consent)).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
  });

  it('with two communities, "Continue" from the reviewing page goes on to the next one', async () => {
    const both = await registerApp(server, { name: 'Two Groups Shop', scopes: ['military', 'student'] });
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, both, user, { scope: 'military student' });
    expect(pageTitle(verify.page)).toBe('Verify your military status');
    const form = await journey.go(new URL(`${verify.url.pathname}?method=document`, server.config.baseUrl));
    const pending = await journey.upload(form, DD214, { front: jpegFile(jpeg) });
    expect(pageTitle(pending.page)).toBe('We’re reviewing your document');
    expect(pageText(pending.page)).toContain('Continue');
    // The page's form names the community under review: only it is put off.
    const next = await journey.submit(pending, '/verify/skip', { community: 'military' });
    expect(pageTitle(next.page)).toBe('Verify your student status');
  });

  it('keeps a back side when one is given (front and back, in that order)', async () => {
    const { journey, form, user } = await atUploadForm(server, app);
    const back = await documentPng();
    const pending = await journey.upload(form, DD214, {
      front: jpegFile(jpeg),
      back: { bytes: back, name: 'back.png', type: 'image/png' },
    });
    expect(pageTitle(pending.page)).toBe('We’re reviewing your document');
    const [verification] = await server.services.verification.listForUser(user.id);
    const documents = await server.services.documents.listForVerification(verification?.id ?? '');
    expect(documents.map(({ side, contentType }) => [side, contentType])).toEqual([
      ['front', 'image/jpeg'],
      ['back', 'image/png'],
    ]);
  });

  it('does not queue a second attempt when the form is sent again while the first waits for review', async () => {
    const { journey, form, user } = await atUploadForm(server, app);
    const first = await journey.upload(form, DD214, { front: jpegFile(jpeg) });
    expect(pageTitle(first.page)).toBe('We’re reviewing your document');
    // The browser's back button and the same form sent once more.
    const again = await journey.upload(form, DD214, { front: jpegFile(await documentPng()) });
    expect(pageTitle(again.page)).toBe('We’re reviewing your document');
    const verifications = await server.services.verification.listForUser(user.id);
    expect(verifications.map((item) => item.status)).toEqual(['evidence_submitted']);
    expect(await server.services.documents.listForVerification(verifications[0]?.id ?? '')).toHaveLength(1);
  });
});
