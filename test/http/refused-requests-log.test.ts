import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, registerUser, startOidcServer } from '../helpers/oidc.ts';
import { httpRequest, rawRequest } from '../helpers/raw-http.ts';
import type { TestServer } from '../helpers/server.ts';

const FORM = 'application/x-www-form-urlencoded';

/**
 * The access log tells what each client got (issue 13, point 2): a request Node's parser refused is logged
 * with Node's status (400, 431), one whose client went away as 499, so a 500 in the log always means a bug.
 */
describe('access log of refused and abandoned requests', () => {
  let server: TestServer;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(() => server.stop());

  /** The log lines written while `run` ran (and shortly after, for requests that end after their client). */
  async function linesDuring(run: () => Promise<unknown>) {
    const before = server.logs.length;
    await run();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return server.logs.slice(before);
  }

  function noServerErrors(lines: Record<string, unknown>[]) {
    expect(lines.filter((line) => line.level === 50 || (line.status as number) >= 500)).toEqual([]);
  }

  it('logs a malformed request line as the 400 Node answers', async () => {
    let answer;
    const lines = await linesDuring(async () => {
      answer = await rawRequest(server.config.baseUrl, 'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n');
    });
    expect(answer).toMatchObject({ status: 400, closed: true });
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request', status: 400, refused: expect.stringMatching(/^HPE_/) }),
    ]);
  });

  it('logs headers too large as the 431 Node answers', async () => {
    let answer;
    const lines = await linesDuring(async () => {
      answer = await rawRequest(
        server.config.baseUrl,
        `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
    });
    expect(answer).toMatchObject({ status: 431 });
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request', status: 431, refused: 'HPE_HEADER_OVERFLOW' }),
    ]);
  });

  it('logs a body whose chunked encoding breaks half-way as the 400 Node answers', async () => {
    const lines = await linesDuring(() =>
      rawRequest(
        server.config.baseUrl,
        httpRequest(
          'POST',
          '/oauth/authorize',
          { 'Content-Type': FORM, 'Transfer-Encoding': 'chunked' },
          '5\r\nscope\r\nzz\r\n',
        ),
      ),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request',
        path: '/oauth/authorize',
        status: 400,
        refused: expect.stringMatching(/^HPE_/),
      }),
    ]);
  });

  for (const [how, leave] of [
    ['closes', 'end'],
    ['resets', 'reset'],
  ] as const) {
    for (const path of ['/oauth/authorize', '/api/public/v3/document_tokens/refresh', '/account/sign-in']) {
      it(`logs a client that ${how} its connection half-way through a body to ${path} as 499`, async () => {
        const lines = await linesDuring(
          () =>
            new Promise<void>((resolve) => {
              const socket = connect(Number(url('/').port), '127.0.0.1', () => {
                socket.write(
                  httpRequest(
                    'POST',
                    path,
                    {
                      'Content-Type': path.includes('/api/') ? 'application/json' : FORM,
                      'Content-Length': '1000',
                    },
                    '{"a',
                  ),
                );
                setTimeout(() => (leave === 'end' ? socket.end() : socket.resetAndDestroy()), 100);
              });
              socket.on('error', () => undefined);
              socket.on('close', () => resolve());
              socket.resume();
            }),
        );
        noServerErrors(lines);
        expect(lines).toContainEqual(
          expect.objectContaining({ msg: 'request', path, status: 499, aborted: true, ip: '127.0.0.1' }),
        );
      });
    }
  }

  it('logs a client that leaves before its sign-in is answered as 499', async () => {
    const user = await registerUser(server);
    const browser = new Browser();
    const page = await (await browser.request(url('/account/sign-in'))).text();
    const body = new URLSearchParams({ _csrf: csrfToken(page), email: user.email, password: user.password });
    const lines = await linesDuring(
      () =>
        new Promise<void>((resolve) => {
          const socket = connect(Number(url('/').port), '127.0.0.1', () => {
            socket.write(
              httpRequest(
                'POST',
                '/account/sign-in',
                { 'Content-Type': FORM, Cookie: browser.cookieHeader() },
                body.toString(),
              ),
            );
            // The password check takes longer than this: the answer finds nobody.
            setImmediate(() => socket.resetAndDestroy());
          });
          socket.on('error', () => undefined);
          socket.on('close', () => resolve());
          socket.resume();
        }),
    );
    noServerErrors(lines);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request', path: '/account/sign-in', status: 499, aborted: true }),
    );
  });
});
