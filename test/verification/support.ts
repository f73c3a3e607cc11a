import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import sharp from 'sharp';
import { expect } from 'vitest';
import {
  attributes,
  authorizeUrl,
  Browser,
  csrfToken,
  exchangeCode,
  formAction,
  registerUser,
  responseParams,
  type TestApp,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** One answer of the server as the browser saw it, after following redirects inside Vetted. */
export interface Step {
  status: number;
  headers: Headers;
  /** The page's HTML ('' when the browser left for the partner). */
  page: string;
  /** The last URL requested. */
  url: URL;
  /** Where the browser was sent outside Vetted (the partner's redirect URI), if it was. */
  callback: URL | undefined;
}

/** A file part of an upload form. */
export interface UploadFile {
  bytes: Buffer;
  name: string;
  type: string;
}

/**
 * A browser going through one authorization: follows Vetted's redirects, submits the forms of the pages it is
 * shown (with their CSRF token) and uploads files the way a browser sends `multipart/form-data`.
 */
export class Journey {
  readonly server: TestServer;
  readonly browser: Browser;
  private readonly origin: string;

  constructor(server: TestServer, browser = new Browser()) {
    this.server = server;
    this.browser = browser;
    this.origin = new URL(server.config.baseUrl).origin;
  }

  /** Requests `url` (a form post when `form` is given) and follows redirects until a page or the partner. */
  async go(url: string | URL, form?: Record<string, string>): Promise<Step> {
    let next = new URL(url, this.origin);
    let response = await this.browser.request(next, form === undefined ? {} : { form });
    for (let hop = 0; hop < 20; hop++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        return {
          status: response.status,
          headers: response.headers,
          page: await response.text(),
          url: next,
          callback: undefined,
        };
      }
      const target = new URL(location, next);
      if (target.origin !== this.origin) {
        return { status: response.status, headers: response.headers, page: '', url: next, callback: target };
      }
      next = target;
      response = await this.browser.request(next);
    }
    throw new Error('too many redirects');
  }

  /** Submits the page's form whose action ends with `endsWith`, adding its CSRF token. */
  submit(step: Step, endsWith: string, fields: Record<string, string> = {}): Promise<Step> {
    return this.go(actionOf(step, endsWith), { _csrf: csrfToken(step.page), ...fields });
  }

  /** Posts the page's upload form as `multipart/form-data`: `fields` (plus its `_csrf`) and `files`. */
  async upload(
    step: Step,
    fields: Record<string, string>,
    files: Record<string, UploadFile>,
    options: { csrf?: string } = {},
  ): Promise<Step> {
    const action = new URL(actionOf(step, '/verify/document'), this.origin);
    const body = new FormData();
    body.append('_csrf', options.csrf ?? csrfToken(step.page));
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    for (const [name, file] of Object.entries(files)) {
      body.append(name, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    }
    const response = await fetch(action, {
      method: 'POST',
      headers: { Accept: 'text/html', Cookie: this.browser.cookieHeader() },
      body,
      redirect: 'manual',
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      return this.go(new URL(location, action));
    }
    return {
      status: response.status,
      headers: response.headers,
      page: await response.text(),
      url: action,
      callback: undefined,
    };
  }
}

function actionOf(step: Step, endsWith: string): string {
  const action = formAction(step.page, endsWith);
  if (action === undefined) {
    throw new Error(`no form posting to …${endsWith} on the page "${pageTitle(step.page)}" (${step.status})`);
  }
  return decode(action);
}

/** Starts an authorization of `app` (scope `military` unless told) and signs `user` in: the next page. */
export async function signIn(
  server: TestServer,
  app: TestApp,
  user: TestUser,
  params: Record<string, string> = {},
  browser = new Browser(),
): Promise<{ journey: Journey; step: Step }> {
  const journey = new Journey(server, browser);
  const url = authorizeUrl(server, {
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: 'code',
    scope: 'military',
    state: 'verify-state',
    ...params,
  });
  let step = await journey.go(url);
  if (formAction(step.page, '/login') !== undefined) {
    step = await journey.submit(step, '/login', { email: user.email, password: user.password });
  }
  return { journey, step };
}

/** Allows the consent page if it is shown, then exchanges the code: the partner's v3 `status` entries. */
export async function partnerStatus(journey: Journey, app: TestApp, step: Step): Promise<unknown> {
  let last = step;
  if (formAction(last.page, '/consent') !== undefined) {
    last = await journey.submit(last, '/consent', { decision: 'allow' });
  }
  expect(last.callback, `expected the partner's callback, got "${pageTitle(last.page)}"`).toBeDefined();
  const code = responseParams(last.callback).code ?? '';
  const token = await exchangeCode(journey.server, app, code);
  expect(token.status).toBe(200);
  const answer = await attributes(journey.server, String(token.body.access_token));
  expect(answer.status).toBe(200);
  return answer.json?.status;
}

/** The page's title (without " · Vetted"). */
export function pageTitle(page: string): string {
  return decode(/<title>([^<]*)<\/title>/.exec(page)?.[1] ?? '').replace(/ · Vetted$/, '');
}

/** The page's visible text, tags stripped, entities decoded and spaces collapsed. */
export function pageText(page: string): string {
  return decode(
    page
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' '),
  ).trim();
}

/** The items of the page's error summary (role="alert"). */
export function pageErrors(page: string): string[] {
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(page)?.[0] ?? '';
  return [...summary.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((match) => pageText(match[1] ?? ''));
}

function decode(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_all, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_all, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The six-digit code in the newest outbox mail to `to`. */
export async function mailedCode(server: TestServer, to: string): Promise<string> {
  const mail = (await server.services.outbox.listRecent(50)).find((message) => message.to === to);
  const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
  expect(code, `no code mailed to ${to}`).toBeDefined();
  return code ?? '';
}

/** A photo of a document: a plain JPEG large enough to be read. */
export function documentJpeg(width = 900, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#d8d2c0' } })
    .jpeg()
    .toBuffer();
}

export function documentPng(width = 900, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c0d2d8' } })
    .png()
    .toBuffer();
}

export const jpegFile = (bytes: Buffer, name = 'front.jpg'): UploadFile => ({
  bytes,
  name,
  type: 'image/jpeg',
});

/** Rows of a table in the server's SQLite file, read as another process would. */
export function countRows(
  server: TestServer,
  table: 'verifications' | 'documents' | 'verification_evidence',
) {
  const { database } = server.config;
  if (database.kind !== 'sqlite') throw new Error('these tests read the SQLite file');
  const db = new SqliteDatabase(database.file, { readonly: true });
  try {
    return (db.prepare(`select count(*) as count from ${table}`).get() as { count: number }).count;
  } finally {
    db.close();
  }
}

/** The files in the server's local blob folder (encrypted document images). */
export function blobFiles(server: TestServer): string[] {
  const store = server.config.blobStore;
  if (store.kind !== 'local') throw new Error('these tests use the local blob folder');
  if (!existsSync(store.folder)) return [];
  return readdirSync(store.folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The audit events about one verification, oldest first. */
export async function auditTrail(server: TestServer, verificationId: string): Promise<string[]> {
  const rows = await server.services.audit.list({ subjectType: 'verification', subjectId: verificationId });
  return rows.sort((a, b) => a.seq - b.seq).map((row) => row.event);
}

/** A new user signed in to an authorization of `app` and sent to its document upload form. */
export async function atUploadForm(
  server: TestServer,
  app: TestApp,
  user?: TestUser,
): Promise<{ journey: Journey; form: Step; user: TestUser }> {
  const who = user ?? (await registerUser(server));
  const { journey, step: verify } = await signIn(server, app, who);
  const link = /href="([^"]*\?method=document)"/.exec(verify.page)?.[1];
  expect(link, `the page "${pageTitle(verify.page)}" links to the upload form`).toBeDefined();
  const form = await journey.go(decode(link ?? ''));
  expect(pageTitle(form.page)).toBe('Upload a document');
  return { journey, form, user: who };
}

/** The usual upload: a Veteran's DD-214. */
export const DD214 = { subgroup: 'Veteran', documentType: 'dd214' };
