import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import session from 'express-session';
import { randomState } from 'openid-client';
import { handleCallback } from './callback.ts';
import { addPendingState, csrfMatches, shopSession } from './session-state.ts';
import { createVettedClient, vettedBaseUrl } from './verification.ts';
import { idmeCompatiblePage, messagePage, shopPage, startingPage, type Integration } from './views.ts';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

export interface ShopOptions extends Credentials {
  /** Vetted's base URL, e.g. http://localhost:3000. */
  vettedUrl: string;
  /** The shop's public URL, an origin (it serves from the root); the redirect URI is `<shopUrl>/callback`. */
  shopUrl: string;
  /** Signs the session cookie; a random one (sessions end with the process) when absent. */
  sessionSecret?: string | undefined;
  /** The clock, in ms since the epoch (tests move it). */
  now?: () => number;
  /** Where unexpected errors go (a failed exchange with Vetted, a crash); console.error by default. */
  logError?: (message: string, error: unknown) => void;
}

const staticDir = fileURLToPath(new URL('../static/', import.meta.url));

export function redirectUriFor(shopUrl: string): string {
  const url = new URL(shopUrl);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new Error(`SHOP_URL must be an origin such as https://shop.example, without a path: ${shopUrl}`);
  }
  return `${url.origin}/callback`;
}

/** The shop as an Express application (no I/O until a request comes). */
export function createShop(options: ShopOptions): Express {
  const vettedUrl = vettedBaseUrl(options.vettedUrl);
  const integration: Integration = {
    vettedUrl,
    clientId: options.clientId,
    redirectUri: redirectUriFor(options.shopUrl),
  };
  const now = options.now ?? Date.now;
  const logError = options.logError ?? ((message, error) => console.error(`partner-shop: ${message}`, error));
  const secure = new URL(options.shopUrl).protocol === 'https:';
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${new URL(vettedUrl).origin}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    next();
  });
  app.use(toCanonicalHost(options.shopUrl));
  app.use('/static', express.static(staticDir, { index: false }));
  app.use(
    session({
      name: 'partner-shop.sid',
      secret: options.sessionSecret ?? randomBytes(32).toString('base64url'),
      resave: false,
      saveUninitialized: false,
      // Behind a TLS-terminating proxy, trust its X-Forwarded-Proto for the secure cookie.
      proxy: secure,
      // Lax: the callback is a top-level GET from Vetted's origin, which still carries the cookie.
      cookie: { httpOnly: true, sameSite: 'lax', secure },
    }),
  );
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  /**
   * The shop page, with a fresh state for its buttons. The notice of the last callback shows on the callback
   * page and on the next home page, then goes: the popup's opener lands on the home page after the popup
   * showed the callback page.
   */
  function renderShop(req: Request, res: Response, options: { keepNotice: boolean }): void {
    const shop = shopSession(req.session);
    const state = randomState();
    if (shop.verification === undefined) addPendingState(shop, state);
    const notice = shop.notice;
    if (!options.keepNotice) delete shop.notice;
    res
      .type('html')
      .send(
        shopPage({ integration, state, csrfToken: shop.csrfToken, verification: shop.verification, notice }),
      );
  }

  app.get('/', (req, res) => {
    renderShop(req, res, { keepNotice: false });
  });

  app.get(
    '/callback',
    handleCallback({
      redirectUri: integration.redirectUri,
      vetted: createVettedClient(options),
      now,
      logError,
      renderShop: (req, res) => renderShop(req, res, { keepNotice: true }),
    }),
  );

  app.get('/idme-compatible', (req, res) => {
    shopSession(req.session).idmePageVisitedAt = now();
    res.type('html').send(idmeCompatiblePage(integration));
  });

  app.post('/forget', express.urlencoded({ extended: false, limit: '4kb' }), (req, res, next) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!csrfMatches(shopSession(req.session), body?._csrf)) {
      res.status(403).type('html');
      res.send(messagePage('Form expired', 'This form has expired. Go back to the shop and try again.'));
      return;
    }
    req.session.destroy((error: unknown) => {
      if (error !== undefined && error !== null) return next(error);
      res.redirect(303, '/');
    });
  });

  app.use((_req, res) => {
    res.status(404).type('html').send(messagePage('Not found', 'There is no such page in this shop.'));
  });
  // Express recognises an error handler by its four parameters.
  app.use((error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    logError('request failed', error);
    res.status(500).type('html').send(messagePage('Something went wrong', 'Please try again.'));
  });
  return app;
}

export interface StartShopOptions extends Omit<ShopOptions, 'shopUrl' | 'clientId' | 'clientSecret'> {
  /** 0 for an ephemeral port. */
  port: number;
  /** Where to listen; all interfaces when absent. */
  host?: string | undefined;
  /** The public URL; `http://<host or localhost>:<bound port>` when absent. */
  shopUrl?: string | undefined;
  /**
   * The app's credentials, or a function that gets them once the redirect URI is known (the port is bound
   * first, so an ephemeral port's callback URL can be registered).
   */
  credentials: Credentials | ((redirectUri: string) => Promise<Credentials>);
}

export interface RunningShop {
  /** The shop's public URL. */
  url: string;
  redirectUri: string;
  clientId: string;
  close(): Promise<void>;
}

/** Seconds a browser is told to wait while the shop registers (the CLI takes a few seconds). */
const STARTING_RETRY_AFTER_SECONDS = 2;

/** Every request before the shop has its credentials: 503, try again shortly (the page reloads itself). */
function answerStarting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, {
    'Content-Type': 'text/html; charset=utf-8',
    'Retry-After': String(STARTING_RETRY_AFTER_SECONDS),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(startingPage(STARTING_RETRY_AFTER_SECONDS));
}

export async function startShop(options: StartShopOptions): Promise<RunningShop> {
  vettedBaseUrl(options.vettedUrl);
  // The port is bound before registration (an ephemeral port's callback URL must be known to register it);
  // until then every request gets 503 with Retry-After rather than waiting on a server without a handler.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = answerStarting;
  const server = createServer((req, res) => {
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      server.closeAllConnections();
    });
  try {
    const { port } = server.address() as AddressInfo;
    const redirectUri = redirectUriFor(options.shopUrl ?? defaultShopUrl(options.host, port));
    const shopUrl = new URL(redirectUri).origin;
    const credentials =
      typeof options.credentials === 'function'
        ? await options.credentials(redirectUri)
        : options.credentials;
    handler = createShop({ ...options, ...credentials, shopUrl });
    return { url: shopUrl, redirectUri, clientId: credentials.clientId, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * `http://localhost:<port>` when the shop listens on all interfaces or on a loopback address (the URL its
 * README gives), else `http://<host>:<port>`.
 */
export function defaultShopUrl(host: string | undefined, port: number): string {
  const wildcard = host === undefined || host === '' || host === '0.0.0.0' || host === '::';
  const local = wildcard || isLoopbackName(host);
  const name = local ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${String(port)}`;
}

function isLoopbackName(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name)
  );
}

/**
 * On a developer's machine, localhost, 127.0.0.1 and [::1] reach the same shop, but the session cookie and
 * the registered redirect URI belong to one of them: a visitor on another name would come back from Vetted to
 * a host without their session ("link expired"). So a request on another loopback name is sent to the shop's
 * URL, before any session starts. Other hosts and ports (a proxy's) are left alone.
 */
function toCanonicalHost(shopUrl: string): express.RequestHandler {
  const canonical = new URL(shopUrl);
  return (req, res, next) => {
    const host = req.headers.host ?? '';
    let requested: URL;
    try {
      requested = new URL(`http://${host}`);
    } catch {
      return next();
    }
    if (
      host.toLowerCase() === canonical.host ||
      requested.port !== canonical.port ||
      !isLoopbackName(canonical.hostname) ||
      !isLoopbackName(requested.hostname)
    ) {
      return next();
    }
    res.redirect(307, `${canonical.origin}${req.originalUrl}`);
  };
}
