import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_LIMITS } from '../../src/verification/engine.ts';
import { registerApp, startOidcServer, type TestApp } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import {
  atUploadForm,
  blobFiles,
  countRows,
  DD214,
  documentJpeg,
  jpegFile,
  pageErrors,
  pageTitle,
  type Journey,
  type Step,
} from './support.ts';

const THROTTLED = 'You have uploaded many documents in a short time. Wait a while and try again.';
const notAnImage = () => jpegFile(Buffer.from('not a picture'), 'scan.jpg');

/** Uploads the user's form `times` times with a file the check refuses: each counts against the limits. */
async function refusedUploads(journey: Journey, form: Step, times: number) {
  for (let upload = 0; upload < times; upload++) {
    const answer = await journey.upload(form, DD214, { front: notAnImage() });
    expect(answer.status).toBe(400);
  }
}

describe('verify step: upload rate limits', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military'] });
  });
  afterAll(() => server.stop());

  it(`refuses a user's upload past ${UPLOAD_LIMITS.perUser.limit} in an hour: 429, Retry-After and a message`, async () => {
    const { journey, form, user } = await atUploadForm(server, app);
    await refusedUploads(journey, form, UPLOAD_LIMITS.perUser.limit);

    const answer = await journey.upload(form, DD214, { front: jpegFile(await documentJpeg()) });
    expect(answer.status).toBe(429);
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(UPLOAD_LIMITS.perUser.windowMs / 1000);
    expect(pageTitle(answer.page)).toBe('Upload a document');
    expect(pageErrors(answer.page)).toEqual([THROTTLED]);
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);
    expect(countRows(server, 'documents')).toBe(0);
    expect(blobFiles(server)).toEqual([]);

    // Another user is not held back by this one's uploads.
    const other = await atUploadForm(server, app);
    const pending = await other.journey.upload(other.form, DD214, { front: jpegFile(await documentJpeg()) });
    expect(pageTitle(pending.page)).toBe('We’re reviewing your document');
  });

  it(`refuses uploads from one network address past ${UPLOAD_LIMITS.perIp.limit} in an hour`, async () => {
    // The first test counted 10 + 1 uploads against this address (the refused 11th counts only for its user).
    let used = UPLOAD_LIMITS.perUser.limit + 1;
    while (used < UPLOAD_LIMITS.perIp.limit) {
      const { journey, form } = await atUploadForm(server, app);
      const times = Math.min(UPLOAD_LIMITS.perUser.limit, UPLOAD_LIMITS.perIp.limit - used);
      await refusedUploads(journey, form, times);
      used += times;
    }
    const { journey, form } = await atUploadForm(server, app);
    const answer = await journey.upload(form, DD214, { front: notAnImage() });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(pageErrors(answer.page)).toEqual([THROTTLED]);
  });
});
