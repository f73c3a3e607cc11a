import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium, missingChromium, watchProblems } from '../helpers/browser.ts';
import { startOidcServer } from '../helpers/oidc.ts';
import { describeRequiring } from '../helpers/requirements.ts';
import type { TestServer } from '../helpers/server.ts';

/** Issue 14's first minutes in Chromium: the home page, then the first administrator with the logged code. */
describeRequiring('home page and first-run setup in Chromium', missingChromium, () => {
  let server: TestServer;
  let chromium: Browser;
  beforeAll(async () => {
    server = await startOidcServer();
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium.close();
    await server.stop();
  });

  it('goes from / to /admin with the setup code from the log; both pages pass axe', async () => {
    const code = String(server.logs.find((line) => typeof line.setupCode === 'string')?.setupCode);
    const context = await chromium.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems = watchProblems(page, server.config.baseUrl);

    await page.goto(`${server.config.baseUrl}/`);
    await page.getByRole('heading', { name: 'For partners' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Create the first administrator' }).click();

    await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Setup code').fill(code);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Admin');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create the first administrator' }).click();

    await page.waitForURL(`${server.config.baseUrl}/admin`);
    await page.getByText('ada@example.com').first().waitFor();
    expect(problems).toEqual({ console: [], errors: [], responses: [] });

    await page.goto(`${server.config.baseUrl}/`);
    expect(await page.getByRole('link', { name: 'Create the first administrator' }).count()).toBe(0);
    await context.close();
  });
});
