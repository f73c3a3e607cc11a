import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SANDBOX_PERSONA_PASSWORD } from '../../src/verification/sources/sandbox.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium, missingChromium, watchProblems } from '../helpers/browser.ts';
import { registerUser, startOidcServer } from '../helpers/oidc.ts';
import { describeRequiring } from '../helpers/requirements.ts';
import type { TestServer } from '../helpers/server.ts';

/** VETTED_E2E_SCREENSHOTS=<folder> keeps a picture of /demo and of the callback page. */
const screenshots = process.env.VETTED_E2E_SCREENSHOTS;

/**
 * Issue 14 point 4 in Chromium: a newcomer signs in to the Demo Shop as a persona and reads `verified: true`
 * on Vetted's callback page; a developer's "Test this app" ends on a ticked production checklist item.
 */
describeRequiring('demo and "Test this app" in Chromium', missingChromium, () => {
  let server: TestServer;
  let chromium: Browser;
  const contexts: BrowserContext[] = [];
  const persona = { email: 'military.pass@sandbox.vetted.test', password: SANDBOX_PERSONA_PASSWORD };

  beforeAll(async () => {
    server = await startOidcServer({ VETTED_DEMO: 'true' });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await chromium.close();
    await server.stop();
  });

  const url = (path: string) => `${server.config.baseUrl}${path}`;

  async function openTab(): Promise<Page> {
    const context = await chromium.newContext();
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  async function signIn(page: Page, user: { email: string; password: string }) {
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** At Vetted's sign-in: the persona signs in, verifies with the sandbox (first time only), and allows. */
  async function asPersona(page: Page) {
    await signIn(page, persona);
    const verify = page.getByRole('button', { name: 'Continue as test persona' });
    const allow = page.getByRole('button', { name: 'Allow' });
    await verify.or(allow).waitFor();
    if (await verify.isVisible()) await verify.click();
    await allow.click();
    await page.waitForURL((current) => current.pathname === '/demo/callback');
  }

  it('signs in to the Demo Shop as a persona and reads verified: true on the callback page', async () => {
    const page = await openTab();
    const problems = watchProblems(page, server.config.baseUrl);
    await page.goto(url('/demo'));
    await page.getByRole('heading', { name: 'Try a sign-in' }).waitFor();
    expect(await page.getByText(persona.email).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    if (screenshots !== undefined) await page.screenshot({ path: `${screenshots}/demo.png`, fullPage: true });

    await page.getByLabel('Community the shop asks for').selectOption('military');
    await page.getByRole('button', { name: 'Start a sign-in' }).click();
    await asPersona(page);

    await page.getByRole('heading', { name: 'Sign-in result' }).waitFor();
    await expect.poll(() => page.getByText('verified: true').count()).toBe(1);
    const attributes = await page
      .getByLabel('2. The attributes read with the access token: response')
      .innerText();
    expect(attributes).toContain('"verified": true');
    expect(await seriousViolations(page)).toEqual([]);
    if (screenshots !== undefined) {
      await page.screenshot({ path: `${screenshots}/demo-callback.png`, fullPage: true });
    }
    expect(problems).toEqual({ console: [], errors: [], responses: [] });
  });

  it('drives "Test this app" to a completed checklist item', async () => {
    const developer = await registerUser(server);
    const org = await server.services.organizations.create(
      { name: 'Checklist Co', ownerUserId: developer.id },
      { type: 'operator' },
    );
    const { application, clientSecret } = await server.services.applications.create(
      {
        name: 'Checklist Shop',
        redirectUris: ['https://checklist-shop.example/callback'],
        scopes: ['military'],
        mode: 'sandbox',
        organizationId: org.id,
      },
      { type: 'operator' },
    );
    const appPath = `/developer/orgs/${org.id}/apps/${application.clientId}`;
    const page = await openTab();
    const problems = watchProblems(page, server.config.baseUrl);
    await page.goto(url(`${appPath}/production`));
    await signIn(page, developer);
    const item = page.getByRole('listitem').filter({ hasText: 'A sandbox authorization went through' });
    expect(await item.innerText()).toContain('to do');

    await page.goto(url(`${appPath}/sandbox`));
    if (screenshots !== undefined) await page.screenshot({ path: `${screenshots}/sandbox.png` });
    await page.getByRole('button', { name: 'Test this app' }).click();
    await asPersona(page);
    await page.getByRole('heading', { name: 'Exchange the code' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    if (screenshots !== undefined) await page.screenshot({ path: `${screenshots}/secret.png` });
    await page.getByLabel('Client secret').fill(clientSecret ?? '');
    await page.getByRole('button', { name: 'Exchange the code' }).click();
    await page.getByRole('heading', { name: 'Sign-in result' }).waitFor();
    expect(await page.getByText('verified: true').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Back to the production checklist' }).click();
    await page.getByRole('heading', { name: 'Checklist Shop' }).first().waitFor();
    expect(await item.innerText()).toContain('done');
    expect(problems).toEqual({ console: [], errors: [], responses: [] });
  });
});
