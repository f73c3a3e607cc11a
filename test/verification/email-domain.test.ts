import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApp, registerUser, startOidcServer, type TestApp } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import { auditTrail, mailedCode, pageErrors, pageText, pageTitle, partnerStatus, signIn } from './support.ts';

describe('verify step: a code sent to a community email address', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military'] });
  });
  afterAll(() => server.stop());

  it('refuses other domains, then verifies name@army.mil with the mailed code, and the partner sees it', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user);
    expect(verify.status).toBe(200);
    expect(pageTitle(verify.page)).toBe('Verify your military status');
    expect(pageText(verify.page)).toContain('Use an address ending in .mil');

    const refused = await journey.submit(verify, '/verify/email', { address: 'sam@gmail.com' });
    expect(refused.status).toBe(400);
    expect(pageTitle(refused.page)).toBe('Verify your military status');
    expect(pageErrors(refused.page).join(' ')).toContain('Use an address ending in .mil');
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);

    const address = `sam.${Date.now()}@army.mil`;
    const codePage = await journey.submit(refused, '/verify/email', { address });
    expect(codePage.status).toBe(200);
    expect(pageTitle(codePage.page)).toBe('Enter your code');
    expect(pageText(codePage.page)).toContain(address);

    const code = await mailedCode(server, address);
    const wrong = await journey.submit(codePage, '/verify/email-code', {
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(pageTitle(wrong.page)).toBe('Enter your code');
    expect(pageErrors(wrong.page)).toHaveLength(1);
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);

    const consent = await journey.submit(wrong, '/verify/email-code', { code });
    expect(pageTitle(consent.page)).toBe('Share with Partner Shop');
    expect(pageText(consent.page)).toContain('Military status: Service Member');
    expect(await partnerStatus(journey, app, consent)).toEqual([
      { group: 'military', subgroups: ['Service Member'], verified: true },
    ]);

    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification).toMatchObject({
      status: 'verified',
      method: 'email_domain',
      subgroups: ['Service Member'],
      applicationId: expect.any(String),
    });
    expect(await auditTrail(server, verification?.id ?? '')).toEqual([
      'verification.started',
      'verification.evidence_submitted',
      'verification.approved',
    ]);
    const evidence = await server.services.verification.listEvidence(verification?.id ?? '');
    expect(evidence.map(({ kind, details }) => ({ kind, details }))).toEqual([
      { kind: 'email_address', details: { address } },
    ]);
  });

  it('shows the code page again when the user comes back to the interaction, and "Use another way" leaves it', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user);
    const address = `pat.${Date.now()}@navy.mil`;
    const codePage = await journey.submit(verify, '/verify/email', { address });
    expect(pageTitle(codePage.page)).toBe('Enter your code');

    const reloaded = await journey.go(codePage.url);
    expect(pageTitle(reloaded.page)).toBe('Enter your code');
    const back = /href="([^"]*\?method=choose)"/.exec(reloaded.page)?.[1] ?? '';
    const choose = await journey.go(back.replaceAll('&amp;', '&'));
    expect(pageTitle(choose.page)).toBe('Verify your military status');
  });

  it('asks to wait before sending a second code at once (429 with Retry-After)', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user);
    const address = `lee.${Date.now()}@army.mil`;
    const codePage = await journey.submit(verify, '/verify/email', { address });
    const again = await journey.submit(codePage, '/verify/email', { address });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(pageErrors(again.page).join(' ')).toMatch(/Wait \d+ seconds/);
  });
});
