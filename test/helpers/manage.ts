import { csrfToken, Browser } from './oidc.ts';
import type { TestServer } from './server.ts';

export interface ApiResponse {
  status: number;
  body: Record<string, unknown> & { items?: Record<string, unknown>[] };
  headers: Headers;
}

/** A client of the management API: a signed-in console session (with its CSRF token), or an API key. */
export class ManageClient {
  private readonly server: TestServer;
  private readonly auth: { browser: Browser; csrf: string } | { key: string } | undefined;

  private constructor(server: TestServer, auth: ManageClient['auth']) {
    this.server = server;
    this.auth = auth;
  }

  static anonymous(server: TestServer): ManageClient {
    return new ManageClient(server, undefined);
  }

  static withKey(server: TestServer, key: string): ManageClient {
    return new ManageClient(server, { key });
  }

  static async signedIn(
    server: TestServer,
    user: { email: string; password: string },
  ): Promise<ManageClient> {
    const browser = new Browser();
    const url = (path: string) => new URL(path, server.config.baseUrl);
    const form = await (await browser.request(url('/account/sign-in'))).text();
    const response = await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(form), email: user.email, password: user.password },
    });
    if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
    // Signing in rotates the form-token secret: the token of the sign-in form no longer works.
    const page = await (await browser.request(url('/account/verifications'))).text();
    return new ManageClient(server, { browser, csrf: csrfToken(page) });
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; contentType?: string } = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.auth !== undefined && 'key' in this.auth) headers.Authorization = `Bearer ${this.auth.key}`;
    if (this.auth !== undefined && 'browser' in this.auth) {
      headers.Cookie = this.auth.browser.cookieHeader();
      if (options.csrf !== false) headers['X-CSRF-Token'] = this.auth.csrf;
    }
    let payload: string | Buffer | undefined;
    if (Buffer.isBuffer(body)) {
      payload = body;
      headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(new URL(`/api/manage/v1${path}`, this.server.config.baseUrl), {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as ApiResponse['body']),
    };
  }
}
