import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { missingProgram } from './requirements.ts';

/** Debian's Chromium (apt package `chromium`), driven by playwright-core; no browser is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

export const missingChromium = missingProgram(CHROMIUM, ['--version'], "Debian's chromium");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What went wrong in the browser on one origin's pages: console errors, uncaught errors, failed responses. */
export interface PageProblems {
  console: string[];
  errors: string[];
  responses: string[];
}

/**
 * Records console errors (CSP violations are reported there), uncaught page errors and 4xx/5xx responses on
 * pages of `origin`, so a journey can assert that the pages it went through were clean.
 */
export function watchProblems(page: Page, origin: string): PageProblems {
  const problems: PageProblems = { console: [], errors: [], responses: [] };
  const ours = (url: string) => url.startsWith(`${origin}/`) || url === origin;
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    if (ours(page.url()) || ours(message.location().url)) {
      problems.console.push(`${message.type()}: ${message.text()} (${page.url()})`);
    }
  });
  page.on('pageerror', (error) => {
    if (ours(page.url())) problems.errors.push(`${error.message} (${page.url()})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && ours(response.url())) {
      problems.responses.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });
  return problems;
}

/** A partner's website on loopback: it records every request to its callback and answers with a small page. */
export interface PartnerSite {
  origin: string;
  callbackUrl: string;
  callbacks: URL[];
  close(): Promise<void>;
}

export async function startPartnerSite(): Promise<PartnerSite> {
  const callbacks: URL[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    if (url.pathname === '/callback') {
      callbacks.push(url);
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>Partner Shop</title><h1>Welcome back to Partner Shop</h1>');
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    callbackUrl: `${origin}/callback`,
    callbacks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
