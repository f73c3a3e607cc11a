import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, registerUser, startOidcServer, type TestUser } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** The reviewer area over HTTP: who may enter, the queue, images, decisions and their mail. */
describe('reviewer area', () => {
  let server: TestServer;
  const reviewer = { email: 'reviewer@vetted.example', password: 'reviewer password' };

  beforeAll(async () => {
    server = await startOidcServer();
    const staff = await server.services.accounts.createByOperator({
      email: reviewer.email,
      password: reviewer.password,
      firstName: 'Rita',
      lastName: 'Reviewer',
    });
    await server.services.roles.grant(staff.id, 'reviewer', { type: 'operator' });
  });
  afterAll(async () => {
    await server.stop();
  });

  const url = (path: string) => new URL(path, server.config.baseUrl);

  async function signedIn(email: string, password: string): Promise<Browser> {
    const browser = new Browser();
    const page = await (await browser.request(url('/account/sign-in'))).text();
    const response = await browser.request(url('/account/sign-in?next=/review'), {
      form: { _csrf: csrfToken(page), email, password },
    });
    expect(response.status).toBe(303);
    return browser;
  }

  async function submission(user: TestUser, color = '#c0c8d0'): Promise<string> {
    const front = await sharp({ create: { width: 900, height: 600, channels: 3, background: color } })
      .png()
      .toBuffer();
    const account = await server.services.accounts.findById(user.id);
    const submitted = await server.services.engine.submitDocument({
      person: {
        userId: user.id,
        email: user.email,
        emailVerified: true,
        firstName: account?.firstName ?? '',
        lastName: account?.lastName ?? '',
        testPersona: null,
      },
      community: (await server.services.communities.find('military'))!,
      subgroup: 'Veteran',
      documentType: 'dd214',
      front,
      ip: '203.0.113.7',
    });
    return submitted.id;
  }

  async function decide(browser: Browser, id: string, form: Record<string, string>) {
    const page = await (await browser.request(url(`/review/${id}`))).text();
    return browser.request(url(`/review/${id}/decision`), { form: { _csrf: csrfToken(page), ...form } });
  }

  it('sends visitors to sign in, and refuses accounts without the reviewer role', async () => {
    const anonymous = await new Browser().request(url('/review'));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/account/sign-in?next=%2Freview');
    const member = await registerUser(server);
    const browser = await signedIn(member.email, member.password);
    const refused = await browser.request(url('/review'));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('This area is for reviewers');
  });

  it('lists submissions oldest first, shows one with its image (never cached) and approves it', async () => {
    const first = await registerUser(server);
    const second = await registerUser(server);
    const older = await submission(first);
    const newer = await submission(second, '#a0b0c0');
    const browser = await signedIn(reviewer.email, reviewer.password);
    const queue = await (await browser.request(url('/review'))).text();
    expect(queue.indexOf(`/review/${older}`)).toBeGreaterThan(-1);
    expect(queue.indexOf(`/review/${older}`)).toBeLessThan(queue.indexOf(`/review/${newer}`));

    const attempt = await browser.request(url(`/review/${older}`));
    expect(attempt.headers.get('cache-control')).toBe('no-store');
    const html = await attempt.text();
    expect((await server.services.verification.findById(older))?.status).toBe('in_review');
    const src = /<img\s+class="document__image"\s+src="([^"]+)"/.exec(html)?.[1] ?? '';
    const image = await browser.request(url(src));
    expect(image.status).toBe(200);
    // Every view of an identity document is in the audit log, under the reviewer.
    const staff = await server.services.accounts.findByEmail(reviewer.email);
    const viewed = await server.services.audit.list({
      subjectType: 'document',
      subjectId: src.split('/').at(-1) ?? '',
    });
    expect(viewed).toMatchObject([{ event: 'document.viewed', actorType: 'reviewer', actorId: staff!.id }]);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toBe('no-store');
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(900);
    // A document is served only under its own verification.
    const documentId = src.split('/').at(-1) ?? '';
    expect((await browser.request(url(`/review/${newer}/documents/${documentId}`))).status).toBe(404);
    expect((await new Browser().request(url(src))).status).toBe(302);

    const approved = await decide(browser, older, { decision: 'approve', subgroup: 'Veteran', expires: '' });
    expect(approved.status).toBe(303);
    expect(await server.services.verification.statusFor(first.id, ['military'])).toEqual([
      { group: 'military', subgroups: ['Veteran'], verified: true },
    ]);
    const mail = (await server.services.outbox.listRecent(20)).find((message) => message.to === first.email);
    expect(mail?.subject).toBe('Your military status is verified');
    // Decided: deciding again is refused on the page, not a crash.
    const again = await decide(browser, older, { decision: 'reject', reason: 'illegible' });
    expect(again.status).toBe(409);
  });

  it('rejects with a reason from the list (mailed to the user), and refuses a decision without one', async () => {
    const user = await registerUser(server);
    const id = await submission(user, '#998877');
    const browser = await signedIn(reviewer.email, reviewer.password);
    const missing = await decide(browser, id, { decision: 'reject', reason: '' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Choose a reason from the list.');
    const rejected = await decide(browser, id, {
      decision: 'reject',
      reason: 'name_mismatch',
      note: 'Spelling differs.',
    });
    expect(rejected.status).toBe(303);
    expect(await server.services.verification.findById(id)).toMatchObject({
      status: 'rejected',
      reasonCode: 'name_mismatch',
      note: 'Spelling differs.',
    });
    const mail = (await server.services.outbox.listRecent(20)).find((message) => message.to === user.email);
    expect(mail?.text).toContain('the name on the document does not match your account');
    expect(mail?.text).toContain('Spelling differs.');
  });

  it('flags the same document submitted from another account', async () => {
    const one = await registerUser(server);
    const other = await registerUser(server);
    await submission(one, '#123456');
    const copy = await submission(other, '#123456');
    const browser = await signedIn(reviewer.email, reviewer.password);
    const html = await (await browser.request(url(`/review/${copy}`))).text();
    expect(html).toContain('The same document was submitted by another account.');
  });

  it('refuses a reviewer their own submission: neither its page, its image nor a decision', async () => {
    const staff = await server.services.accounts.findByEmail(reviewer.email);
    const own = await submission(
      { id: staff!.id, email: reviewer.email, password: reviewer.password },
      '#314159',
    );
    const browser = await signedIn(reviewer.email, reviewer.password);
    const page = await browser.request(url(`/review/${own}`));
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('You cannot review your own verification.');
    const [document] = await server.services.documents.listForVerification(own);
    expect((await browser.request(url(`/review/${own}/documents/${document!.id}`))).status).toBe(403);
    const queue = await (await browser.request(url('/review'))).text();
    const decision = await browser.request(url(`/review/${own}/decision`), {
      form: { _csrf: csrfToken(queue), decision: 'approve', subgroup: 'Veteran', expires: '' },
    });
    expect(decision.status).toBe(403);
    expect((await server.services.verification.findById(own))?.status).toBe('evidence_submitted');
  });

  it('refuses a decision taken on a page that is out of date (the evidence changed since)', async () => {
    const user = await registerUser(server);
    const id = await submission(user, '#271828');
    const browser = await signedIn(reviewer.email, reviewer.password);
    const stale = await (await browser.request(url(`/review/${id}`))).text();
    // Meanwhile another reviewer sends it back and the user uploads a new document.
    await server.services.review.requestResubmission(
      id,
      { reasonCode: 'illegible' },
      { actor: { type: 'administrator', id: 'another-reviewer' } },
    );
    await submission(user, '#161803');
    expect((await server.services.verification.findById(id))?.status).toBe('evidence_submitted');
    const version = /name="version" value="(\d+)"/.exec(stale)?.[1] ?? '';
    const answer = await browser.request(url(`/review/${id}/decision`), {
      form: { _csrf: csrfToken(stale), version, decision: 'approve', subgroup: 'Veteran', expires: '' },
    });
    expect(answer.status).toBe(409);
    expect(await answer.text()).toContain('This verification was changed meanwhile');
    expect((await server.services.verification.findById(id))?.status).toBe('in_review');
  });

  it('needs the form token for a decision', async () => {
    const user = await registerUser(server);
    const id = await submission(user, '#445566');
    const browser = await signedIn(reviewer.email, reviewer.password);
    const forged = await browser.request(url(`/review/${id}/decision`), {
      form: { decision: 'approve', subgroup: 'Veteran' },
    });
    expect(forged.status).toBe(403);
    expect((await server.services.verification.findById(id))?.status).toBe('evidence_submitted');
  });
});
