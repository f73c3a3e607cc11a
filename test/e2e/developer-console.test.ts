import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import {
  launchChromium,
  missingChromium,
  startPartnerSite,
  watchProblems,
  type PartnerSite,
} from '../helpers/browser.ts';
import { registerUser, startOidcServer, type TestUser } from '../helpers/oidc.ts';
import { describeRequiring } from '../helpers/requirements.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * Issue 5's journey in Chromium: a developer signs up, creates an organization and an application, copies the
 * secret, adds a redirect URI, completes a sandbox authorization with a test persona (openid-client as the
 * partner), requests production; an administrator approves; then a user who is no tester can authorize.
 */
describeRequiring('developer console journey in Chromium', missingChromium, () => {
  let server: TestServer;
  let partner: PartnerSite;
  let chromium: Browser;
  let admin: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startOidcServer();
    partner = await startPartnerSite();
    chromium = await launchChromium();
    admin = await registerUser(server);
    await server.services.roles.grant(admin.id, 'admin', { type: 'operator' });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await chromium.close();
    await partner.close();
    await server.stop();
  });

  const url = (path: string) => `${server.config.baseUrl}${path}`;

  async function openTab(): Promise<Page> {
    const context = await chromium.newContext();
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousViolations(page), page.url()).toEqual([]);
  }

  async function signIn(page: Page, user: { email: string; password: string }) {
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in at Vetted for the partner and allows; returns the callback the partner received. */
  async function authorizeInBrowser(
    page: Page,
    start: URL,
    user: { email: string; password: string },
    asPersona: boolean,
  ) {
    await page.goto(start.toString());
    await signIn(page, user);
    if (asPersona) await page.getByRole('button', { name: 'Continue as test persona' }).click();
    // The consent page carries the partner's branding: its name for users, logo, policies and colour.
    await page
      .getByRole('heading', { name: 'Partner Shop Deals wants to access your Vetted account' })
      .waitFor();
    expect(await page.getByRole('link', { name: 'privacy policy' }).getAttribute('href')).toBe(
      'https://partner-shop.example/privacy',
    );
    expect(await page.locator('img.client-logo').getAttribute('src')).toMatch(
      /\/logos\/[0-9a-f]{32}\/[0-9a-f]+\.png$/,
    );
    expect(await page.locator('link[href="/branding/ffcc00.css"]').count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((current) => current.origin === partner.origin);
    return new URL(page.url());
  }

  async function partnerAuthorization(clientId: string, clientSecret: string) {
    const config = await client.discovery(
      new URL(`${server.config.baseUrl}/oidc`),
      clientId,
      { redirect_uris: [partner.callbackUrl], response_types: ['code'] },
      client.ClientSecretBasic(clientSecret),
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- http on loopback only
      { execute: [client.allowInsecureRequests] },
    );
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const start = client.buildAuthorizationUrl(config, {
      redirect_uri: partner.callbackUrl,
      scope: 'openid military',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return {
      start,
      finish: (callback: URL) =>
        client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }),
    };
  }

  it('takes a partner from sign-up to production', async () => {
    const page = await openTab();
    const problems = watchProblems(page, server.config.baseUrl);
    const email = `dev.${Date.now()}@partner-shop.example`;

    // Sign up from the console's door, confirm the email with the code from the development outbox.
    await page.goto(url('/developer'));
    await page.getByRole('link', { name: 'Create account' }).click();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByLabel('First name', { exact: true }).fill('Grace');
    await page.getByLabel('Last name', { exact: true }).fill('Hopper');
    await page.getByRole('button', { name: 'Create account' }).click();
    const codeField = page.getByLabel('Verification code', { exact: true });
    await codeField.waitFor();
    const [mail] = (await server.services.outbox.listRecent(50)).filter((message) => message.to === email);
    await codeField.fill(/\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '');
    await page.getByRole('button', { name: 'Verify email' }).click();

    await page.getByRole('heading', { name: 'Your organizations' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Organization name').fill('Partner Shop Inc');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Partner Shop Inc' }).waitFor();
    await expectAccessible(page);

    // Register the application; the secret is on this page only.
    await page.getByRole('link', { name: 'Register an application' }).click();
    await page.getByLabel('Application name').fill('Partner Shop');
    await page.getByLabel('Redirect URIs').fill(partner.callbackUrl);
    await page.getByRole('checkbox', { name: 'Military', exact: true }).check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Register application' }).click();
    const clientSecret =
      (await page.getByLabel('Client secret', { exact: true }).textContent())?.trim() ?? '';
    expect(clientSecret.length).toBeGreaterThanOrEqual(43);
    const clientId = (await page.locator('dt:text-is("Client ID") + dd').textContent())?.trim() ?? '';
    expect(clientId).toMatch(/^[0-9a-f]{32}$/);
    await expectAccessible(page);
    // Reloading neither registers the application again nor shows the secret again.
    await page.reload();
    await page.getByRole('heading', { name: 'Client secrets' }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(clientSecret);
    expect(
      (await server.services.applications.search({ query: 'Partner Shop', limit: 10, offset: 0 })).total,
    ).toBe(1);

    // Add a redirect URI and the policies' URLs; upload a logo.
    await page.getByRole('link', { name: 'Settings' }).click();
    const redirects = page.getByLabel('Redirect URIs', { exact: true });
    await redirects.fill(`${partner.callbackUrl}\n${partner.origin}/second-callback`);
    await page.getByLabel('Privacy policy URL').fill('https://partner-shop.example/privacy');
    await page.getByLabel('Terms of service URL').fill('https://partner-shop.example/terms');
    await page.getByLabel('Display name').fill('Partner Shop Deals');
    await page.getByLabel('Primary colour').fill('#ffcc00');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Your changes were saved.').waitFor();
    expect(await redirects.inputValue()).toContain('/second-callback');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Branding' }).click();
    const logo = await sharp({ create: { width: 300, height: 120, channels: 3, background: '#0b5' } })
      .png()
      .toBuffer();
    await page.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logo });
    await page.getByRole('button', { name: 'Upload logo' }).click();
    await page.getByText('The logo was updated.').waitFor();

    // An administrator enables the community the partner asked for.
    const adminPage = await openTab();
    await adminPage.goto(url(`/admin/applications/${clientId}`));
    await signIn(adminPage, admin);
    await adminPage.getByRole('checkbox', { name: /^Military military\b/ }).check();
    await adminPage.getByRole('button', { name: 'Save communities and features' }).click();
    await adminPage.getByRole('status').first().waitFor();
    await expectAccessible(adminPage);

    // The sandbox tab lists the personas; one signs in through openid-client as the partner.
    await page.getByRole('link', { name: 'Sandbox' }).click();
    const persona = page.getByRole('row').filter({ hasText: 'military.pass@sandbox.vetted.test' });
    const personaPassword = (await persona.locator('td').nth(1).textContent())?.trim() ?? '';
    expect(personaPassword).not.toBe('');
    await expectAccessible(page);
    const sandboxRun = await partnerAuthorization(clientId, clientSecret);
    const stranger = await registerUser(server, { verify: [['military', 'Veteran']] });
    const blocked = await openTab();
    await blocked.goto(sandboxRun.start.toString());
    await signIn(blocked, stranger);
    await blocked.getByText('is not open to everyone yet').waitFor();
    const callback = await authorizeInBrowser(
      await openTab(),
      sandboxRun.start,
      { email: 'military.pass@sandbox.vetted.test', password: personaPassword },
      true,
    );
    const tokens = await sandboxRun.finish(callback);
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.claims()?.aud).toBe(clientId);

    // The checklist is complete: request production.
    await page.getByRole('link', { name: 'Production' }).click();
    expect(await page.locator('.checklist__mark--todo').count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Request production mode' }).click();
    await page.getByText('Production was requested.').waitFor();

    // The administrator approves it from the queue.
    await adminPage.goto(url('/admin/production-requests'));
    await expectAccessible(adminPage);
    await adminPage.getByRole('button', { name: 'Approve' }).first().click();
    await adminPage.getByRole('status').first().waitFor();
    expect((await server.services.applications.get(clientId)).mode).toBe('production');

    // Now anyone may authorize: the user who was turned away goes through.
    const productionRun = await partnerAuthorization(clientId, clientSecret);
    const production = await authorizeInBrowser(await openTab(), productionRun.start, stranger, false);
    const productionTokens = await productionRun.finish(production);
    expect(productionTokens.claims()?.sub).toBe(stranger.id);

    // The activity tab shows the token calls.
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.reload();
    expect(await page.locator('main').textContent()).toContain('/oauth/token');
    await expectAccessible(page);
    expect(problems).toEqual({ console: [], errors: [], responses: [] });
  });
});
