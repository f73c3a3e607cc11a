import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startShop, type RunningShop } from '../../examples/partner-shop/src/shop.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium, missingChromium, watchProblems, type PageProblems } from '../helpers/browser.ts';
import { registerApp, registerUser, startOidcServer, type TestUser } from '../helpers/oidc.ts';
import { describeRequiring } from '../helpers/requirements.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * Issue 7's journeys: the example shop (examples/partner-shop, openid-client on its server) shows Vetted's
 * button script; a user verifies through the full page, the popup (and its fallback when popups are
 * blocked), the community picker, and ID.me's widget markup; a user who denies gets a friendly message.
 */
describeRequiring('verification button journeys in Chromium', missingChromium, () => {
  let server: TestServer;
  let shop: RunningShop;
  let chromium: Browser;
  const contexts: BrowserContext[] = [];
  const watched: PageProblems[] = [];

  beforeAll(async () => {
    server = await startOidcServer();
    shop = await startShop({
      vettedUrl: server.config.baseUrl,
      port: 0,
      host: '127.0.0.1',
      credentials: (redirectUri) =>
        registerApp(server, { redirectUris: [redirectUri], scopes: ['military', 'responder'] }),
    });
    chromium = await launchChromium();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    // Neither Vetted's pages nor the shop's logged an error, a CSP violation or a failed request.
    for (const problems of watched.splice(0)) {
      expect(problems).toEqual({ console: [], errors: [], responses: [] });
    }
  });
  afterAll(async () => {
    await chromium.close();
    await shop.close();
    await server.stop();
  });

  /** A new account each time: an account that once allowed the shop is not asked again. */
  async function verifiedUser(community = 'military', subgroup = 'Veteran'): Promise<TestUser> {
    const user = await registerUser(server);
    await server.services.verification.attest({
      userId: user.id,
      community,
      subgroups: [subgroup],
      actor: { type: 'operator' },
    });
    return user;
  }

  function watch(page: Page): void {
    watched.push(watchProblems(page, server.config.baseUrl), watchProblems(page, shop.url));
  }

  async function openShop(
    path = '/',
    options: { blockPopups?: boolean; expectClean?: boolean } = {},
  ): Promise<Page> {
    const context = await chromium.newContext();
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    // What a popup blocker does: window.open returns null.
    if (options.blockPopups === true) await context.addInitScript('window.open = () => null;');
    if (options.expectClean !== false) context.on('page', watch);
    const page = await context.newPage();
    await page.goto(`${shop.url}${path}`);
    return page;
  }

  async function signInAndAnswer(page: Page, user: TestUser, decision: 'Allow' | 'Deny'): Promise<void> {
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Partner Shop wants to access your Vetted account' }).waitFor();
    await page.getByRole('button', { name: decision }).click();
  }

  /** The code Vetted mailed to `to`, read from the development outbox in another tab. */
  async function codeFromOutbox(page: Page, to: string): Promise<string> {
    const mailbox = await page.context().newPage();
    await mailbox.goto(`${server.config.baseUrl}/dev/outbox`);
    const mail = mailbox.getByRole('article').filter({ hasText: to }).first();
    const text = (await mail.locator('pre').textContent()) ?? '';
    await mailbox.close();
    return /\b(\d{6})\b/.exec(text)?.[1] ?? '';
  }

  const popupButton = (page: Page) => page.locator('[data-display="popup"]').getByRole('button');
  const fullPageButton = (page: Page) => page.locator('[data-theme="dark"]').getByRole('button');

  async function expectDiscount(page: Page, who: string): Promise<void> {
    await page.getByText(`Verified: ${who} — 15% off applied`).waitFor();
    // After a full-page return the shop tidies its address bar from /callback?code=… to / (static/shop.js).
    await page.waitForURL((url) => url.pathname === '/');
    expect(await page.locator('[data-vetted-button]').count()).toBe(0);
  }

  it('renders accessible buttons for each variant, under the shop’s strict CSP', async () => {
    const page = await openShop();
    await expect
      .poll(() => page.getByRole('button', { name: 'Verify military status with Vetted' }).count())
      .toBe(2);
    await page.getByRole('button', { name: 'Verify military or first responder status' }).waitFor();
    expect(await popupButton(page).getAttribute('class')).toBe('light large');
    // The popup variant says, as its description, that it opens a window (CSS selectors pierce the shadow root).
    const describedBy = (await popupButton(page).getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[data-display="popup"] #${describedBy}`).textContent()).toBe(
      'Opens Vetted in a new window',
    );
    expect(await fullPageButton(page).getAttribute('aria-describedby')).toBeNull();
    // Vetted's mark, hidden from assistive technology (the text names the button).
    expect(await popupButton(page).locator('svg').getAttribute('aria-hidden')).toBe('true');
    // The page's CSS cannot restyle it: the shadow root keeps page rules out and exposes no ::part.
    await page.evaluate(`
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('button, span::part(button) { background: rgb(255, 0, 0) !important; display: none !important; }');
      document.adoptedStyleSheets = [sheet];
    `);
    const background = `getComputedStyle(
      document.querySelector('[data-display="popup"]').shadowRoot.querySelector('button'),
    ).backgroundColor`;
    expect(await page.evaluate(background)).toBe('rgb(29, 78, 216)');
    expect(await popupButton(page).isVisible()).toBe(true);
    expect(await fullPageButton(page).getAttribute('class')).toBe('dark medium');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('fits a phone’s screen: the shop with its buttons, and Vetted’s picker', async () => {
    const page = await openShop();
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = () => page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    await page.getByRole('button', { name: 'Verify military or first responder status' }).waitFor();
    expect(await overflow()).toBe(0);
    await page.getByRole('button', { name: 'Verify military or first responder status' }).click();
    await page.getByRole('heading', { name: 'Choose your community' }).waitFor();
    expect(await overflow()).toBe(0);
  });

  it('a button missing a required attribute renders nothing and logs one clear error', async () => {
    const page = await openShop('/', { expectClean: false });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    // Buttons added after the page loaded are rendered by Vetted.render().
    await page.evaluate(`
      const broken = document.createElement('span');
      broken.id = 'vetted-button';
      broken.dataset.scope = 'military';
      broken.dataset.redirect = location.origin + '/callback';
      const late = document.createElement('div');
      late.setAttribute('data-vetted-button', '');
      Object.assign(late.dataset, { scope: 'student', clientId: 'c', redirect: location.origin + '/callback' });
      document.body.append(broken, late);
      Vetted.render();
      Vetted.render();
    `);
    expect(errors).toEqual([
      'Vetted button #vetted-button not shown: data-client-id is missing (your application’s client_id).',
    ]);
    expect(await page.locator('#vetted-button').getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Verify student status with Vetted' }).count()).toBe(1);
  });

  it('full page: the shop goes to Vetted and comes back verified, with the discount', async () => {
    const page = await openShop();
    await fullPageButton(page).click();
    await page.waitForURL((url) => url.href.startsWith(server.config.baseUrl));
    await signInAndAnswer(page, await verifiedUser(), 'Allow');
    await expectDiscount(page, 'Veteran');
    await page.reload();
    await expectDiscount(page, 'Veteran');
  });

  it('popup: the opener receives vetted:complete, the popup closes, the shop lands verified', async () => {
    const page = await openShop();
    // The partner's own listener, as a page would add it (a string: it runs in the page, not in Node).
    await page.evaluate(
      `document.addEventListener('vetted:complete', (event) => {
        sessionStorage.setItem('vetted-complete', JSON.stringify(event.detail));
        sessionStorage.setItem('vetted-events', String(Number(sessionStorage.getItem('vetted-events')) + 1));
      })`,
    );
    const [popup] = await Promise.all([page.waitForEvent('popup'), popupButton(page).click()]);
    await popupButton(page).click(); // a second click reuses the same popup: still one result
    await popup.waitForURL((url) => url.href.startsWith(server.config.baseUrl));
    expect(page.url()).toBe(`${shop.url}/`); // the opener stays while the popup works
    const closed = popup.waitForEvent('close', { timeout: 30_000 });
    await signInAndAnswer(popup, await verifiedUser(), 'Allow');
    await closed;
    await expectDiscount(page, 'Veteran');
    const detail = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem('vetted-complete'))) ?? '{}',
    ) as Record<string, string>;
    expect(await page.evaluate(() => sessionStorage.getItem('vetted-events'))).toBe('1');
    expect(detail.code).toMatch(/.+/);
    expect(detail.state).toMatch(/.+/);
    expect(detail.url).toContain(`${shop.redirectUri}?code=`);
  });

  it('popup: a listener that calls preventDefault() keeps the opener where it is', async () => {
    const page = await openShop();
    await page.evaluate(`
      document.addEventListener('vetted:complete', (event) => {
        event.preventDefault();
        window.handled = event.detail.state;
      });
    `);
    const [popup] = await Promise.all([page.waitForEvent('popup'), popupButton(page).click()]);
    const closed = popup.waitForEvent('close', { timeout: 30_000 });
    await signInAndAnswer(popup, await verifiedUser(), 'Allow');
    await closed;
    await expect.poll(() => page.evaluate('window.handled'), { timeout: 5000 }).toMatch(/.+/);
    expect(page.url()).toBe(`${shop.url}/`);
    expect(await page.getByText('15% off applied').count()).toBe(0); // not navigated: the old page is shown
    // The shop's server finished the exchange in the popup; the page shows it once it asks again.
    await page.reload();
    await expectDiscount(page, 'Veteran');
  });

  it('popup through Vetted’s verification step: a new user proves a .mil address inside the popup', async () => {
    const page = await openShop();
    const user = await registerUser(server);
    const address = `sam.${Date.now()}@army.mil`;
    const [popup] = await Promise.all([page.waitForEvent('popup'), popupButton(page).click()]);
    await popup.getByLabel('Email', { exact: true }).fill(user.email);
    await popup.getByLabel('Password', { exact: true }).fill(user.password);
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.getByRole('heading', { name: 'Verify your military status' }).waitFor();
    await popup.getByLabel('Work or school email', { exact: true }).fill(address);
    await popup.getByRole('button', { name: 'Send code' }).click();
    await popup.getByLabel('Verification code').fill(await codeFromOutbox(page, address));
    await popup.getByRole('button', { name: 'Verify military status' }).click();
    const closed = popup.waitForEvent('close', { timeout: 30_000 });
    await popup.getByRole('button', { name: 'Allow' }).click();
    await closed;
    await expectDiscount(page, 'Service Member');
  });

  it('popup closed before the end: the opener ignores a forged result, gets vetted:cancel and stays put', async () => {
    const page = await openShop();
    await page.evaluate(`
      for (const name of ['vetted:cancel', 'vetted:complete']) {
        document.addEventListener(name, () => { window.events = [...(window.events ?? []), name]; });
      }
    `);
    const [popup] = await Promise.all([page.waitForEvent('popup'), popupButton(page).click()]);
    await popup.getByLabel('Email', { exact: true }).waitFor();
    // A result posted from any origin but the redirect URI's is ignored: here, from Vetted's page in the popup.
    await popup.evaluate(
      `window.opener.postMessage({ type: 'vetted:popup-complete', url: ${JSON.stringify(`${shop.redirectUri}?code=forged&state=x`)} }, '*')`,
    );
    await popup.close();
    await expect.poll(() => page.evaluate('window.events'), { timeout: 5000 }).toEqual(['vetted:cancel']);
    expect(page.url()).toBe(`${shop.url}/`);
  });

  it('popup blocked: the button falls back to the full-page flow', async () => {
    const page = await openShop('/', { blockPopups: true });
    await popupButton(page).click();
    await page.waitForURL((url) => url.href.startsWith(server.config.baseUrl));
    await signInAndAnswer(page, await verifiedUser(), 'Allow');
    await expectDiscount(page, 'Veteran');
  });

  it('two communities: Vetted’s picker lists both, the user picks first responder', async () => {
    const page = await openShop();
    await page.getByRole('button', { name: 'Verify military or first responder status' }).click();
    await page.getByRole('heading', { name: 'Choose your community' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/groups');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.getByRole('link', { name: /^Military/ }).count()).toBe(1);
    await page.getByRole('link', { name: /^First Responder/ }).click();
    await signInAndAnswer(page, await verifiedUser('responder', 'Firefighter'), 'Allow');
    await expectDiscount(page, 'Firefighter');
  });

  it('deny: the shop says so kindly and keeps the buttons', async () => {
    const page = await openShop();
    await fullPageButton(page).click();
    await signInAndAnswer(page, await verifiedUser(), 'Deny');
    await page.getByText('No problem — you can verify any time to get the discount.').waitFor();
    await expect
      .poll(() => page.getByRole('button', { name: 'Verify military status with Vetted' }).count())
      .toBe(2);
    expect(await page.getByText('15% off applied').count()).toBe(0);
  });

  it('ID.me’s widget markup, with only the script URL changed, works unchanged', async () => {
    const page = await openShop('/idme-compatible');
    expect(await page.locator('#idme-wallet-button').getAttribute('data-scope')).toBe('military');
    await page
      .locator('#idme-wallet-button')
      .getByRole('button', { name: 'Verify military status with Vetted' })
      .click();
    await signInAndAnswer(page, await verifiedUser(), 'Allow');
    await expectDiscount(page, 'Veteran');
  });
});
