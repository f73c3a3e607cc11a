import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  launchChromium,
  missingChromium,
  startPartnerSite,
  watchProblems,
  type PageProblems,
  type PartnerSite,
} from '../helpers/browser.ts';
import { authorizeUrl, registerApp, startOidcServer, tokenRequest, type TestApp } from '../helpers/oidc.ts';
import { describeRequiring } from '../helpers/requirements.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * Issue 4's journey in a real browser: a partner asks for `military`, a new user signs up and uploads a
 * document, a reviewer approves it in the reviewer area, and the partner's next attributes call shows the
 * verified status.
 */
describeRequiring('verification journey in Chromium', missingChromium, () => {
  let server: TestServer;
  let partner: PartnerSite;
  let app: TestApp;
  let chromium: Browser;
  let apiToken: string;
  const contexts: BrowserContext[] = [];
  const reviewer = { email: `reviewer.${Date.now()}@vetted.example`, password: 'a reviewer password' };

  beforeAll(async () => {
    server = await startOidcServer();
    partner = await startPartnerSite();
    app = await registerApp(server, {
      name: 'Partner Shop',
      redirectUris: [partner.callbackUrl],
      scopes: ['military'],
    });
    const staff = await server.services.accounts.createByOperator({
      email: reviewer.email,
      password: reviewer.password,
      firstName: 'Rita',
      lastName: 'Reviewer',
    });
    await server.services.roles.grant(staff.id, 'reviewer', { type: 'operator' });
    // The partner receives images of the document (issue 6): passback enabled, an API token provisioned.
    await server.services.applications.setFeatures(
      app.clientId,
      { documentPassback: true },
      { type: 'operator' },
    );
    apiToken = (await server.services.documentPassback.provisionApiToken(app.clientId, { type: 'operator' }))
      .token;
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

  async function openTab(): Promise<{ page: Page; context: BrowserContext; problems: PageProblems }> {
    const context = await chromium.newContext();
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    return { page, context, problems: watchProblems(page, server.config.baseUrl) };
  }

  async function codeFromOutbox(context: BrowserContext, to: string): Promise<string> {
    const mailbox = await context.newPage();
    await mailbox.goto(`${server.config.baseUrl}/dev/outbox`);
    const text =
      (await mailbox.getByRole('article').filter({ hasText: to }).first().locator('pre').textContent()) ?? '';
    await mailbox.close();
    return /\b(\d{6})\b/.exec(text)?.[1] ?? '';
  }

  it('signs up, uploads a DD-214, is approved by a reviewer, and the partner then sees a verified Veteran', async () => {
    const { page, context, problems } = await openTab();
    const email = `veteran.${Date.now()}@example.com`;
    await page.goto(
      authorizeUrl(server, {
        client_id: app.clientId,
        redirect_uri: partner.callbackUrl,
        response_type: 'code',
        scope: 'military',
        state: 'discount',
        op: 'signup',
      }).toString(),
    );
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByLabel('First name', { exact: true }).fill('Grace');
    await page.getByLabel('Last name', { exact: true }).fill('Hopper');
    await page.getByLabel('ZIP code', { exact: true }).fill('22102');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('Verification code', { exact: true }).fill(await codeFromOutbox(context, email));
    await page.getByRole('button', { name: 'Verify email' }).click();

    await page.getByRole('heading', { name: 'Verify your military status' }).waitFor();
    await page.getByRole('link', { name: 'Upload a document' }).click();
    await page.getByLabel('Your status').selectOption('Veteran');
    await page
      .getByLabel('Document', { exact: true })
      .selectOption({ label: 'DD-214 (certificate of release or discharge)' });

    // A text file with an image's name is refused on the page, and nothing is stored.
    await page.getByLabel('Front of the document').setInputFiles({
      name: 'dd214.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('this is not a picture of anything'),
    });
    await page.getByRole('button', { name: 'Upload document' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('JPEG, PNG or PDF');
    expect(
      await server.services.verification.listForUser((await server.services.accounts.findByEmail(email))!.id),
    ).toEqual([]);

    const scan = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#d8d2c0' } })
      .jpeg()
      .toBuffer();
    await page.getByLabel('Your status').selectOption('Veteran');
    await page.getByLabel('Document', { exact: true }).selectOption('dd214');
    await page
      .getByLabel('Front of the document')
      .setInputFiles({ name: 'dd214.jpg', mimeType: 'image/jpeg', buffer: scan });
    await page.getByRole('button', { name: 'Upload document' }).click();

    await page.getByRole('heading', { name: 'We’re reviewing your document' }).waitFor();
    await page.getByRole('button', { name: 'Return to Partner Shop' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    const consented = await page.getByRole('listitem').allTextContents();
    expect(consented).toContain('Military status: not verified');
    expect(consented).toContain('Images of the front and back of your identity document');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.origin === partner.origin);
    const callback = new URL(page.url());
    expect(callback.searchParams.get('state')).toBe('discount');

    const token = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: partner.callbackUrl,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(token.status).toBe(200);
    const attributes = async (accessToken: unknown) =>
      (await (
        await fetch(new URL('/api/public/v3/attributes.json', server.config.baseUrl), {
          headers: { Authorization: `Bearer ${String(accessToken)}` },
        })
      ).json()) as { status: unknown; attributes: { handle: string; value: unknown }[] };
    expect((await attributes(token.body.access_token)).status).toEqual([
      { group: 'military', subgroups: [], verified: false },
    ]);

    // The reviewer signs in to the reviewer area, opens the oldest submission and approves it.
    const staff = await openTab();
    await staff.page.goto(`${server.config.baseUrl}/review`);
    await staff.page.getByLabel('Email', { exact: true }).fill(reviewer.email);
    await staff.page.getByLabel('Password', { exact: true }).fill(reviewer.password);
    await staff.page.getByRole('button', { name: 'Sign in' }).click();
    await staff.page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await staff.page.getByRole('link', { name: 'Grace Hopper' }).click();
    const image = staff.page.getByRole('img', { name: 'Front of the document' });
    await image.waitFor();
    // decode() waits until the image has loaded (and fails if it cannot be decoded).
    const width = await image.evaluate(async (element) => {
      const img = element as unknown as { decode(): Promise<void>; naturalWidth: number };
      await img.decode();
      return img.naturalWidth;
    });
    expect(width).toBe(1200);
    await staff.page.getByLabel('Subgroup').selectOption('Veteran');
    await staff.page.getByRole('button', { name: 'Approve' }).click();
    await staff.page.getByText('Decision recorded: approved.').waitFor();

    // The partner's next call (after a refresh, the access token being short-lived) shows the verification.
    const refreshed = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: String(token.body.refresh_token),
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    const verified = await attributes(refreshed.body.access_token);
    expect(verified.status).toEqual([{ group: 'military', subgroups: ['Veteran'], verified: true }]);

    // Document passback: the front of the uploaded scan, at 300x200 (1200x900 fits as 267x200), one side only.
    const passback = verified.attributes.find((item) => item.handle === 'document_tokens')?.value as
      { front: string | null; back: string | null } | undefined;
    expect(passback).toMatchObject({ front: expect.stringMatching(/^vdt_/), back: null });
    const frontImage = await fetch(
      new URL(
        `/api/public/v3/documents/${passback?.front ?? ''}?${new URLSearchParams({ token: apiToken, size: '300x200' }).toString()}`,
        server.config.baseUrl,
      ),
      { method: 'POST' },
    );
    expect(frontImage.status).toBe(200);
    expect(frontImage.headers.get('content-type')).toBe('image/jpeg');
    expect(frontImage.headers.get('cache-control')).toBe('no-store');
    const fetched = await sharp(Buffer.from(await frontImage.arrayBuffer())).metadata();
    expect([fetched.width, fetched.height]).toEqual([267, 200]);
    const mail = await server.services.outbox.listRecent(50);
    expect(
      mail.some((message) => message.to === email && /military status is verified/i.test(message.subject)),
    ).toBe(true);

    for (const watched of [problems, staff.problems]) {
      // The refused upload answers 400 on purpose; nothing else may fail.
      expect(watched.responses.filter((line) => !/^400 POST .*\/verify\/document$/.test(line))).toEqual([]);
      expect(watched.errors).toEqual([]);
      expect(watched.console.filter((line) => !/status of 400/.test(line))).toEqual([]);
    }
  });
});
