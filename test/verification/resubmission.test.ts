import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApp, registerUser, startOidcServer, type TestApp } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import {
  atUploadForm,
  auditTrail,
  DD214,
  documentJpeg,
  documentPng,
  jpegFile,
  mailedCode,
  pageErrors,
  pageText,
  pageTitle,
  partnerStatus,
  signIn,
} from './support.ts';

const NOTE = 'The photo is blurred; take it again in daylight, with the whole page in view.';

describe('verify step: a document sent back for another one', () => {
  let server: TestServer;
  let app: TestApp;
  const reviewer = { actor: { type: 'administrator' as const, id: 'admin-1' } };

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military'] });
  });
  afterAll(() => server.stop());

  /** A user whose DD-214 a reviewer has sent back with NOTE: the verification's id. */
  async function sentBack() {
    const { journey, form, user } = await atUploadForm(server, app);
    const pending = await journey.upload(form, DD214, { front: jpegFile(await documentJpeg()) });
    expect(pageTitle(pending.page)).toBe('We’re reviewing your document');
    const [verification] = await server.services.verification.listForUser(user.id);
    const id = verification?.id ?? '';
    await server.services.review.requestResubmission(id, { reasonCode: 'illegible', note: NOTE }, reviewer);
    return { user, id };
  }

  it('shows the upload form with the reviewer’s note; a new upload resumes the same verification', async () => {
    const { user, id } = await sentBack();
    const { journey, step: form } = await signIn(server, app, user);
    expect(pageTitle(form.page)).toBe('Upload a document');
    expect(pageText(form.page)).toContain(`Our reviewer asked for another try: ${NOTE}`);

    const pending = await journey.upload(form, DD214, {
      front: { bytes: await documentPng(1200, 800), name: 'again.png', type: 'image/png' },
    });
    expect(pageTitle(pending.page)).toBe('We’re reviewing your document');
    const verifications = await server.services.verification.listForUser(user.id);
    expect(verifications.map((item) => [item.id, item.status])).toEqual([[id, 'evidence_submitted']]);
    expect(await auditTrail(server, id)).toEqual([
      'verification.started',
      'verification.evidence_submitted',
      'verification.resubmission_requested',
      'verification.evidence_submitted',
    ]);
    const documents = await server.services.documents.listForVerification(id);
    expect(documents.map((document) => document.contentType).sort()).toEqual(['image/jpeg', 'image/png']);
    const queue = await server.services.review.queue({ limit: 100, offset: 0 });
    expect(queue.items.map((item) => item.verification.id)).toContain(id);

    expect(await partnerStatus(journey, app, await journey.submit(pending, '/verify/skip'))).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
  });

  it('a refused re-upload keeps the note and leaves the verification waiting for another document', async () => {
    const { user, id } = await sentBack();
    const { journey, step: form } = await signIn(server, app, user);
    const refused = await journey.upload(form, DD214, {
      front: jpegFile(Buffer.from('not an image at all'), 'again.jpg'),
    });
    expect(refused.status).toBe(400);
    expect(pageErrors(refused.page)).toHaveLength(1);
    expect(pageText(refused.page)).toContain(`Our reviewer asked for another try: ${NOTE}`);
    expect((await server.services.verification.findById(id))?.status).toBe('needs_resubmission');
    expect(await server.services.documents.listForVerification(id)).toHaveLength(1);
  });

  it('lets the user choose another way, or go on without verifying, instead of uploading again', async () => {
    const { user, id } = await sentBack();
    const { journey, step: form } = await signIn(server, app, user);
    expect(pageTitle(form.page)).toBe('Upload a document');

    const back = /<a href="([^"]*)">Use another way<\/a>/.exec(form.page)?.[1] ?? '';
    const choose = await journey.go(back.replaceAll('&amp;', '&'));
    expect(pageTitle(choose.page)).toBe('Verify your military status');
    expect(pageText(choose.page)).toContain('Use your work or school email');

    expect(await partnerStatus(journey, app, await journey.submit(choose, '/verify/skip'))).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
    expect((await server.services.verification.findById(id))?.status).toBe('needs_resubmission');
  });

  it('a user whose verification was sent back can still verify another way, by email', async () => {
    const { user } = await sentBack();
    const { journey, step: form } = await signIn(server, app, user);
    const back = /<a href="([^"]*)">Use another way<\/a>/.exec(form.page)?.[1] ?? '';
    const choose = await journey.go(back.replaceAll('&amp;', '&'));
    const address = `max.${Date.now()}@army.mil`;
    const codePage = await journey.submit(choose, '/verify/email', { address });
    expect(pageTitle(codePage.page)).toBe('Enter your code');
    const consent = await journey.submit(codePage, '/verify/email-code', {
      code: await mailedCode(server, address),
    });
    expect(await partnerStatus(journey, app, consent)).toEqual([
      { group: 'military', subgroups: ['Service Member'], verified: true },
    ]);
  });

  it('a rejected verification shows the choice again with a notice', async () => {
    const user = await registerUser(server);
    const started = await server.services.verification.start({
      userId: user.id,
      community: 'military',
      method: 'document',
    });
    await server.services.verification.submitEvidence(started.id, { kind: 'document', details: {} });
    await server.services.review.reject(started.id, { reasonCode: 'wrong_document' }, reviewer);
    const { step } = await signIn(server, app, user);
    expect(pageTitle(step.page)).toBe('Verify your military status');
    expect(pageText(step.page)).toContain('Your last attempt could not be accepted.');
  });
});
