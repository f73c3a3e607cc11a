import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeApp,
  Browser,
  registerApp,
  registerUser,
  startOidcServer,
  type TestApp,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import { mailedCode, pageText, pageTitle, partnerStatus, signIn } from './support.ts';

const DAY_MS = 86_400_000;

/** When the verify step is shown: a requested community the user is not verified for right now. */
describe('verify step: when it is asked', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military', 'student'] });
  });
  afterAll(() => server.stop());

  it('is skipped for a user verified for the requested community', async () => {
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const journey = await authorizeApp(server, app, user);
    expect(journey.shown).toEqual(['sign-in', 'consent']);
    expect(journey.callback).toBeDefined();
  });

  it('is asked again at the next authorization once the verification has expired', async () => {
    const user = await registerUser(server);
    await server.services.verification.attest({
      userId: user.id,
      community: 'military',
      subgroups: ['Service Member'],
      expiresAt: new Date(Date.now() - DAY_MS),
    });
    const { journey, step } = await signIn(server, app, user);
    expect(pageTitle(step.page)).toBe('Verify your military status');
    expect(await partnerStatus(journey, app, await journey.submit(step, '/verify/skip'))).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);

    // Verified again (say by a reviewer), the next authorization goes straight on.
    await server.services.verification.attest({
      userId: user.id,
      community: 'military',
      subgroups: ['Veteran'],
    });
    const again = await authorizeApp(server, app, user);
    expect(again.shown).not.toContain('verify');
  });

  it('asks for each unverified community in turn (scope "military student")', async () => {
    const user = await registerUser(server);
    const { journey, step: military } = await signIn(server, app, user, { scope: 'military student' });
    expect(pageTitle(military.page)).toBe('Verify your military status');

    const address = `kim.${Date.now()}@army.mil`;
    const code = await journey.submit(military, '/verify/email', { address });
    const student = await journey.submit(code, '/verify/email-code', {
      code: await mailedCode(server, address),
    });
    expect(pageTitle(student.page)).toBe('Verify your student status');
    expect(pageText(student.page)).toContain('Use an address ending in .edu');

    const consent = await journey.submit(student, '/verify/skip');
    expect(pageTitle(consent.page)).toBe('Share with Partner Shop');
    const listed = pageText(consent.page);
    expect(listed).toContain('Military status: Service Member');
    expect(listed).toContain('Student status: not verified');
    expect(await partnerStatus(journey, app, consent)).toEqual([
      { group: 'military', subgroups: ['Service Member'], verified: true },
      { group: 'student', subgroups: [], verified: false },
    ]);
  });

  it('skips only the first community’s question when it is already verified', async () => {
    const user = await registerUser(server, { verify: [['military', 'Retiree']] });
    const { step } = await signIn(server, app, user, { scope: 'military student' });
    expect(pageTitle(step.page)).toBe('Verify your student status');
  });

  it('"Continue without verifying" defers every community; the next authorization asks again', async () => {
    const user = await registerUser(server);
    const browser = new Browser();
    const { journey, step } = await signIn(server, app, user, { scope: 'military student' }, browser);
    expect(pageTitle(step.page)).toBe('Verify your military status');
    const consent = await journey.submit(step, '/verify/skip');
    expect(pageTitle(consent.page)).toBe('Share with Partner Shop');
    const listed = pageText(consent.page);
    expect(listed).toContain('Military status: not verified');
    expect(listed).toContain('Student status: not verified');
    expect(await partnerStatus(journey, app, consent)).toEqual([
      { group: 'military', subgroups: [], verified: false },
      { group: 'student', subgroups: [], verified: false },
    ]);

    // Same browser, still signed in: the new authorization asks again, starting with the first community.
    const { step: again } = await signIn(server, app, user, { scope: 'military student' }, browser);
    expect(pageTitle(again.page)).toBe('Verify your military status');
  });

  it('never asks about scopes that are not communities', async () => {
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const journey = await authorizeApp(server, app, user, { scope: 'openid profile email military' });
    expect(journey.shown).toEqual(['sign-in', 'consent']);
  });
});
