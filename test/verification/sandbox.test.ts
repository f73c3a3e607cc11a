import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxOutcome } from '../../src/verification/sources/sandbox.ts';
import { csrfToken, registerApp, startOidcServer, type TestApp, type TestUser } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import { auditTrail, pageErrors, pageText, pageTitle, partnerStatus, signIn } from './support.ts';

describe('verify step: sandbox personas', () => {
  let server: TestServer;
  let sandboxApp: TestApp;
  let productionApp: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    sandboxApp = await registerApp(server, {
      name: 'Sandbox Shop',
      scopes: ['military', 'student'],
      mode: 'sandbox',
    });
    productionApp = await registerApp(server, { name: 'Partner Shop', scopes: ['military'] });
  });
  afterAll(() => server.stop());

  const password = 'sandbox persona password';
  async function persona(outcome: SandboxOutcome, community = 'military'): Promise<TestUser> {
    const email = `${community}.${outcome}@sandbox.vetted.test`;
    const user = await server.services.accounts.ensureTestPersona({
      email,
      password,
      firstName: 'Test',
      lastName: `${outcome} ${community}`,
      persona: `${community}:${outcome}`,
    });
    return { id: user.id, email, password };
  }

  /** Signs the persona in to the sandbox app and continues as the test persona. */
  async function continueAsPersona(user: TestUser) {
    const { journey, step: verify } = await signIn(server, sandboxApp, user);
    expect(pageTitle(verify.page)).toBe('Verify your military status');
    expect(pageText(verify.page)).toContain('Sandbox test persona');
    expect(pageText(verify.page)).not.toContain('Use your work or school email');
    expect(pageText(verify.page)).not.toContain('Upload a document');
    return { journey, next: await journey.submit(verify, '/verify/sandbox') };
  }

  it('in a production app a persona gets the normal methods, and the sandbox route changes nothing', async () => {
    const user = await persona('pass');
    const { journey, step: verify } = await signIn(server, productionApp, user);
    expect(pageTitle(verify.page)).toBe('Verify your military status');
    const text = pageText(verify.page);
    expect(text).not.toContain('Sandbox test persona');
    expect(text).toContain('Use your work or school email');
    expect(text).toContain('Upload a document');

    // Posting to the sandbox route anyway only shows the choice again.
    const answer = await journey.go(`${verify.url.pathname}/verify/sandbox`, {
      _csrf: csrfToken(verify.page),
    });
    expect(pageTitle(answer.page)).toBe('Verify your military status');
    expect(pageText(answer.page)).not.toContain('Sandbox test persona');
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);
  });

  it('pass: verified at once, and the partner sees it', async () => {
    const user = await persona('pass');
    const { journey, next } = await continueAsPersona(user);
    expect(pageTitle(next.page)).toBe('Share with Sandbox Shop');
    expect(await partnerStatus(journey, sandboxApp, next)).toEqual([
      { group: 'military', subgroups: ['Service Member'], verified: true },
    ]);
    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification).toMatchObject({
      status: 'verified',
      method: 'sandbox',
      sourceReference: 'sandbox:military:pass',
    });
    expect(await auditTrail(server, verification?.id ?? '')).toEqual([
      'verification.started',
      'verification.evidence_submitted',
      'verification.approved',
    ]);

    // Verified, it is not asked again.
    const { step: again } = await signIn(server, sandboxApp, user);
    expect(again.callback).toBeDefined();
  });

  it("a persona's sandbox verification never counts for a production app", async () => {
    // Verified in the sandbox app by the test above; a production app still asks, and sees verified: false.
    const user = await persona('pass');
    const { step: verify } = await signIn(server, productionApp, user);
    expect(pageTitle(verify.page)).toBe('Verify your military status');
    expect(pageText(verify.page)).not.toContain('Sandbox test persona');
    expect(await server.services.verification.statusFor(user.id, ['military'])).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
    expect(
      await server.services.verification.statusFor(user.id, ['military'], new Date(), 'sandbox'),
    ).toEqual([{ group: 'military', subgroups: ['Service Member'], verified: true }]);
  });

  it('review: the reviewing page; it waits for review, outside the real review queue', async () => {
    const user = await persona('review');
    const { journey, next } = await continueAsPersona(user);
    expect(next.status).toBe(200);
    expect(pageTitle(next.page)).toBe('We’re reviewing your document');
    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification?.status).toBe('evidence_submitted');
    // Test personas' attempts are not real evidence: reviewers never see them.
    const queue = await server.services.review.queue({ limit: 100, offset: 0 });
    expect(queue.items.map((item) => item.verification.id)).not.toContain(verification?.id);

    // Sent again (a reload of the answer to the POST): still one attempt waiting.
    const again = await journey.go(next.url, { _csrf: csrfToken(next.page) });
    expect(pageTitle(again.page)).toBe('We’re reviewing your document');
    expect(await server.services.verification.listForUser(user.id)).toHaveLength(1);

    const consent = await journey.submit(next, '/verify/skip');
    expect(await partnerStatus(journey, sandboxApp, consent)).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
  });

  it('a persona waiting for review in the sandbox gets the real methods in a production app', async () => {
    // The review persona waits from the test above; a production app does not take that attempt for its own.
    const user = await persona('review');
    const { step: verify } = await signIn(server, productionApp, user);
    expect(pageTitle(verify.page)).toBe('Verify your military status');
    expect(pageText(verify.page)).toContain('Upload a document');
  });

  it('reject: continues to the partner, which sees verified:false; the verification is rejected', async () => {
    const user = await persona('reject');
    const { journey, next } = await continueAsPersona(user);
    expect(pageTitle(next.page)).toBe('Share with Sandbox Shop');
    expect(pageText(next.page)).toContain('Military status: not verified');
    expect(await partnerStatus(journey, sandboxApp, next)).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification).toMatchObject({ status: 'rejected', reasonCode: 'source_rejected' });
  });

  it('expired: continues to the partner, which sees verified:false', async () => {
    const user = await persona('expired');
    const { journey, next } = await continueAsPersona(user);
    expect(pageTitle(next.page)).toBe('Share with Sandbox Shop');
    expect(await partnerStatus(journey, sandboxApp, next)).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification?.status).toBe('verified');
    expect(verification?.expiresAt?.getTime()).toBeLessThan(Date.now());
  });

  it('a persona of another community: told so on the page, nothing recorded, and it can still go on', async () => {
    const user = await persona('pass', 'student');
    const { journey, next } = await continueAsPersona(user);
    expect(next.status).toBe(400);
    expect(pageTitle(next.page)).toBe('Verify your military status');
    expect(pageErrors(next.page)).toEqual(['This persona is for student, not military.']);
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);
    expect(await partnerStatus(journey, sandboxApp, await journey.submit(next, '/verify/skip'))).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);
  });

  it('with two communities, a rejected persona goes on to the next community instead of to the partner', async () => {
    const user = await persona('reject');
    const { journey, step: military } = await signIn(server, sandboxApp, user, { scope: 'military student' });
    expect(pageTitle(military.page)).toBe('Verify your military status');
    const student = await journey.submit(military, '/verify/sandbox');
    expect(pageTitle(student.page)).toBe('Verify your student status');
    const answer = await journey.submit(student, '/verify/sandbox');
    expect(pageErrors(answer.page)).toEqual(['This persona is for military, not student.']);
    expect(await partnerStatus(journey, sandboxApp, await journey.submit(answer, '/verify/skip'))).toEqual([
      { group: 'military', subgroups: [], verified: false },
      { group: 'student', subgroups: [], verified: false },
    ]);
  });
});
