import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium, missingChromium, watchProblems } from '../helpers/browser.ts';
import { tempDir, testEnv } from '../helpers/env.ts';
import { freePort } from '../helpers/oidc.ts';
import { spawnNpmStart, stopProcessGroup, type VettedProcess } from '../helpers/process.ts';
import { describeRequiring } from '../helpers/requirements.ts';

/** VETTED_E2E_SCREENSHOTS=<folder> keeps a picture of the home page with its demo link. */
const screenshots = process.env.VETTED_E2E_SCREENSHOTS;

/**
 * Issue 14's "Done when", as a newcomer follows the README: `npm start` on an empty data folder, the first
 * administrator with the setup code from the log, then the Demo Shop sign-in from the home page to
 * `verified: true` on the callback page. Only the port differs from the README (a free one, not 3000).
 */
describeRequiring('the first hour, from npm start, in Chromium', missingChromium, () => {
  let running: VettedProcess;
  let chromium: Browser;
  let context: BrowserContext;
  let baseUrl: string;
  let setupCode: string;
  /** What was started, stopped in reverse order, even when start-up failed half-way. */
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const port = await freePort();
    running = spawnNpmStart(
      testEnv({
        VETTED_PORT: String(port),
        VETTED_DATA_DIR: tempDir('vetted-first-hour-'),
        // As on a fresh clone: the defaults, a generated master key, and the development demo.
        VETTED_LOG_LEVEL: undefined,
        VETTED_MASTER_KEY: undefined,
        VETTED_DEMO: undefined,
      }),
    );
    cleanups.push(() => stopProcessGroup(running));
    const listening = await running.waitForLog((line) => line.msg === 'vetted listening', 60_000);
    baseUrl = String(listening.baseUrl);
    expect(baseUrl).toBe(`http://localhost:${port}`);
    setupCode = String((await running.waitForLog((line) => typeof line.setupCode === 'string')).setupCode);
    chromium = await launchChromium();
    cleanups.push(() => chromium.close());
    context = await chromium.newContext();
    cleanups.push(() => context.close());
    context.setDefaultTimeout(15_000);
  }, 90_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('creates the first administrator with the logged code, then reads verified: true from the Demo Shop', async () => {
    // The banner on stderr names the home page, the demo and the same setup code.
    await expect.poll(() => running.stderr()).toContain(`enter the code ${setupCode} `);
    expect(running.stderr()).toContain(`  Home page:          ${baseUrl}/\n`);
    expect(running.stderr()).toContain(`  Try a sign-in:      ${baseUrl}/demo\n`);

    const page = await context.newPage();
    const problems = watchProblems(page, baseUrl);
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'For partners' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    if (screenshots !== undefined)
      await page.screenshot({ path: `${screenshots}/home-demo.png`, fullPage: true });
    await page.getByRole('link', { name: 'Create the first administrator' }).click();

    await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
    await page.getByLabel('Setup code').fill(setupCode);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Admin');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create the first administrator' }).click();
    await page.waitForURL(`${baseUrl}/admin`);
    await page.getByText('ada@example.com').first().waitFor();

    // Back home: setup is gone, the demo link is there.
    await page.goto(`${baseUrl}/`);
    expect(await page.getByRole('link', { name: 'Create the first administrator' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Try a sign-in with the Demo Shop' }).click();
    await page.getByRole('heading', { name: 'Try a sign-in', exact: true }).waitFor();

    // A persona that is verified at once, with the password the page publishes.
    const row = page.getByRole('row').filter({ hasText: 'Verified at once' }).first();
    const email = (await row.getByRole('cell').nth(0).innerText()).trim();
    const password = (await row.getByRole('cell').nth(1).innerText()).trim();
    expect(email).toMatch(/@sandbox\.vetted\.test$/);

    // In the same browser: the administrator's account session does not sign anyone in to the Demo Shop.
    await page.getByRole('button', { name: 'Start a sign-in' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const verify = page.getByRole('button', { name: 'Continue as test persona' });
    const allow = page.getByRole('button', { name: 'Allow' });
    await verify.or(allow).waitFor();
    if (await verify.isVisible()) await verify.click();
    await allow.click();

    await page.waitForURL((current) => current.pathname === '/demo/callback');
    await page.getByRole('heading', { name: 'Sign-in result' }).waitFor();
    await expect.poll(() => page.getByText('verified: true').count()).toBe(1);
    expect(
      await page.getByLabel('2. The attributes read with the access token: response').innerText(),
    ).toContain('"verified": true');
    expect(problems).toEqual({ console: [], errors: [], responses: [] });
  });
});
