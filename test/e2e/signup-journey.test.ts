import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  launchChromium,
  missingChromium,
  startPartnerSite,
  watchProblems,
  type PageProblems,
  type PartnerSite,
} from '../helpers/browser.ts';
import {
  authorizeUrl,
  registerApp,
  registerUser,
  startOidcServer,
  tokenRequest,
  type TestApp,
} from '../helpers/oidc.ts';
import { describeRequiring } from '../helpers/requirements.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * The user's journey of SPEC §3 in a real browser (Debian's Chromium): from the partner's button to Vetted's
 * pages and back to the partner's redirect URI, served here by a small site on loopback.
 */
describeRequiring('browser journeys in Chromium', missingChromium, () => {
  let server: TestServer;
  let partner: PartnerSite;
  let app: TestApp;
  let chromium: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startOidcServer();
    partner = await startPartnerSite();
    app = await registerApp(server, {
      name: 'Partner Shop',
      redirectUris: [partner.callbackUrl],
      scopes: ['military'],
    });
    chromium = await launchChromium();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await chromium.close();
    await partner.close();
    await server.stop();
  });

  /** A fresh browser profile (no cookies) with one tab whose problems on Vetted's pages are recorded. */
  async function openTab(): Promise<{ page: Page; context: BrowserContext; problems: PageProblems }> {
    const context = await chromium.newContext();
    contexts.push(context);
    // Well under the test's timeout, so a missing label or a stuck page fails with Playwright's own message.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    return { page, context, problems: watchProblems(page, server.config.baseUrl) };
  }

  function startAt(params: Record<string, string>): string {
    return authorizeUrl(server, {
      client_id: app.clientId,
      redirect_uri: partner.callbackUrl,
      response_type: 'code',
      scope: 'military',
      ...params,
    }).toString();
  }

  async function consentItems(page: Page): Promise<string[]> {
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    return (await page.getByRole('listitem').allTextContents()).map((text) => text.trim());
  }

  async function backAtPartner(page: Page): Promise<URL> {
    await page.waitForURL((url) => url.origin === partner.origin);
    await page.getByRole('heading', { name: 'Welcome back to Partner Shop' }).waitFor();
    return new URL(page.url());
  }

  function expectClean(...all: PageProblems[]): void {
    for (const problems of all) expect(problems).toEqual({ console: [], errors: [], responses: [] });
  }

  it('signs up, confirms the email with the code from the outbox, consents and returns with a code', async () => {
    const { page, context, problems } = await openTab();
    const email = `new.member.${Date.now()}@example.com`;
    await page.goto(startAt({ op: 'signup', state: 'checkout-42' }));

    expect(await page.title()).toBe('Create account · Vetted');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByLabel('First name', { exact: true }).fill('Ada');
    await page.getByLabel('Last name', { exact: true }).fill('Lovelace');
    await page.getByLabel('ZIP code', { exact: true }).fill('22102');
    await page.getByRole('button', { name: 'Create account' }).click();

    const codeField = page.getByLabel('Verification code', { exact: true });
    await codeField.waitFor();
    expect(await page.title()).toBe('Verify your email · Vetted');
    expect(await page.locator('main').textContent()).toContain(email);

    // The user reads the email in another tab: the development outbox, since no SMTP server is configured.
    const mailbox = await context.newPage();
    const mailboxProblems = watchProblems(mailbox, server.config.baseUrl);
    await mailbox.goto(`${server.config.baseUrl}/dev/outbox`);
    const message = mailbox.getByRole('article').filter({ hasText: email });
    const code = /\b(\d{6})\b/.exec((await message.locator('pre').textContent()) ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await mailbox.close();

    await codeField.fill(code ?? '');
    await page.getByRole('button', { name: 'Verify email' }).click();

    // Not a verified member yet: the verify step offers the community's ways; this journey goes on without.
    await page.getByRole('heading', { name: 'Verify your military status' }).waitFor();
    expect(await page.title()).toBe('Verify your military status · Vetted');
    await page.getByRole('button', { name: 'Continue without verifying' }).click();

    expect(await consentItems(page)).toEqual([
      'First name',
      'Last name',
      'Email',
      'Unique identifier',
      'ZIP code',
      'Military status: not verified',
    ]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Partner Shop');
    await page.getByRole('button', { name: 'Allow' }).click();

    const callback = await backAtPartner(page);
    expect(callback.origin + callback.pathname).toBe(partner.callbackUrl);
    expect(callback.searchParams.get('state')).toBe('checkout-42');
    const code2 = callback.searchParams.get('code') ?? '';
    expect(code2).toMatch(/^[\w-]{20,}$/);
    expect(partner.callbacks.map((url) => url.toString())).toContain(callback.toString());

    const token = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: partner.callbackUrl,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('military');
    const response = await fetch(new URL('/api/public/v3/attributes.json', server.config.baseUrl), {
      headers: { Authorization: `Bearer ${String(token.body.access_token)}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { attributes: { handle: string; value: unknown }[] };
    const values = Object.fromEntries(body.attributes.map((entry) => [entry.handle, entry.value]));
    expect(values).toEqual({
      fname: 'Ada',
      lname: 'Lovelace',
      email,
      uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
      zip: '22102',
    });
    expect(body).toMatchObject({ status: [{ group: 'military', verified: false }] });

    expectClean(problems, mailboxProblems);
  });

  it('signs an existing member in, and a Deny goes back to the partner as access_denied', async () => {
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const { page, problems } = await openTab();
    await page.goto(startAt({ state: 'deny-me' }));

    expect(await page.title()).toBe('Sign in · Vetted');
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    expect(await consentItems(page)).toContain('Military status: Veteran');
    await page.getByRole('button', { name: 'Deny' }).click();

    const callback = await backAtPartner(page);
    expect(callback.origin + callback.pathname).toBe(partner.callbackUrl);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('deny-me');
    expect(callback.searchParams.has('code')).toBe(false);

    expectClean(problems);
  });

  it('shows a wrong password on the sign-in page without leaving Vetted', async () => {
    const user = await registerUser(server);
    const { page, problems } = await openTab();
    await page.goto(startAt({ state: 's' }));
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(server.config.baseUrl).origin);
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(user.email);
    // The form answers 401 on purpose; nothing else on the page may fail.
    expect(problems.responses).toEqual([expect.stringMatching(/^401 POST .*\/login$/)]);
    expect(problems.errors).toEqual([]);
    expect(problems.console.filter((line) => !/status of 401/.test(line))).toEqual([]);
  });
});
