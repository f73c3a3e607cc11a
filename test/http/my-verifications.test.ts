import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Browser,
  csrfToken,
  formAction,
  registerUser,
  startOidcServer,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** Users own their data: they sign in to Vetted, see their verifications and delete them, documents included. */
describe('my verifications', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const url = (path: string) => new URL(path, server.config.baseUrl);
  const blobFiles = () =>
    readdirSync(join(server.config.dataDir, 'blobs')).filter((name) => !name.startsWith('.'));

  async function signIn(user: TestUser, password = user.password) {
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-in?next=/account/verifications'))).text();
    const response = await browser.request(url('/account/sign-in?next=/account/verifications'), {
      form: { _csrf: csrfToken(form), email: user.email, password },
    });
    return { browser, response };
  }

  it('asks to sign in first, and refuses a wrong password on the page', async () => {
    const visit = await new Browser().request(url('/account/verifications'));
    expect(visit.status).toBe(302);
    expect(visit.headers.get('location')).toBe('/account/sign-in?next=%2Faccount%2Fverifications');
    const user = await registerUser(server);
    const { response } = await signIn(user, 'not the password');
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('The email address or password is incorrect.');
  });

  it('lists each verification with its status, and deletes one with its documents', async () => {
    const user = await registerUser(server, { verify: [['student', 'University Student']] });
    const account = await server.services.accounts.findById(user.id);
    await server.services.engine.submitDocument({
      person: {
        userId: user.id,
        email: user.email,
        emailVerified: true,
        firstName: account!.firstName,
        lastName: account!.lastName,
        testPersona: null,
      },
      community: (await server.services.communities.find('military'))!,
      subgroup: 'Retiree',
      documentType: 'dd214',
      front: await sharp({ create: { width: 800, height: 600, channels: 3, background: '#777' } })
        .jpeg()
        .toBuffer(),
      ip: '203.0.113.9',
    });
    const filesBefore = blobFiles().length;
    const { browser, response } = await signIn(user);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/account/verifications');
    const page = await browser.request(url('/account/verifications'));
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('Student');
    expect(html).toContain('University Student');
    expect(html).toContain('Verified');
    expect(html).toContain('Military');
    expect(html).toContain('Waiting for review');
    expect(html).toContain('1 kept encrypted');

    const [military] = (await server.services.verification.listForUser(user.id)).filter(
      (item) => item.community === 'military',
    );
    const action = formAction(html, `/${military!.id}/delete`) ?? '';
    const deleted = await browser.request(url(action), { form: { _csrf: csrfToken(html) } });
    expect(deleted.status).toBe(303);
    expect(await (await browser.request(url(deleted.headers.get('location') ?? ''))).text()).toContain(
      'The verification and its documents were deleted.',
    );
    expect((await server.services.verification.listForUser(user.id)).map((item) => item.community)).toEqual([
      'student',
    ]);
    expect(await server.services.documents.listForVerification(military!.id)).toEqual([]);
    expect(blobFiles().length).toBe(filesBefore - 1);
  });

  it("answers someone else's verification like an unknown one", async () => {
    const owner = await registerUser(server, { verify: [['military', 'Veteran']] });
    const [theirs] = await server.services.verification.listForUser(owner.id);
    const intruder = await registerUser(server);
    const { browser } = await signIn(intruder);
    const html = await (await browser.request(url('/account/verifications'))).text();
    const attempt = await browser.request(url(`/account/verifications/${theirs!.id}/delete`), {
      form: { _csrf: csrfToken(html) },
    });
    expect(attempt.status).toBe(404);
    expect(await server.services.verification.findById(theirs!.id)).toBeDefined();
  });

  it('signs out: the session no longer opens the page', async () => {
    const user = await registerUser(server);
    const { browser } = await signIn(user);
    const html = await (await browser.request(url('/account/verifications'))).text();
    const out = await browser.request(url('/account/sign-out'), { form: { _csrf: csrfToken(html) } });
    expect(out.status).toBe(303);
    expect((await browser.request(url('/account/verifications'))).status).toBe(302);
  });
});
