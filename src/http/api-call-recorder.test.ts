import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Router } from '@koa/router';
import Koa from 'koa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../lib/app-error.ts';
import { randomIds } from '../lib/ids.ts';
import { createLogger } from '../lib/logger.ts';
import type { ApiCallInput } from '../partners/api-calls.ts';
import { partnerApiEndpoint, recordApiCalls, type ApiCallRecorder } from './api-call-recorder.ts';
import { errorHandler } from './error-handler.ts';
import { requestContext } from './request-context.ts';
import type { AppState } from './state.ts';

const SECRET = 'sup3r-s3cret-value';

describe('recordApiCalls', () => {
  const recorded: ApiCallInput[] = [];
  const failures: [string, string][] = [];
  const logLines: Record<string, unknown>[] = [];
  let behaviour: 'store' | 'fail' | 'hang' = 'store';
  const waiting: (() => void)[] = [];
  let recorder: ApiCallRecorder;
  let server: ReturnType<Koa['listen']>;
  let url: string;

  beforeAll(async () => {
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          done();
        },
      }),
    );
    const apiCalls = {
      async record(input: ApiCallInput) {
        if (behaviour === 'fail') throw new Error('database is down');
        if (behaviour === 'hang') await new Promise<void>((resolve) => waiting.push(resolve));
        recorded.push(input);
      },
    };
    const counter = {
      count(clientId: string, endpoint: string) {
        failures.push([clientId, endpoint]);
        return Promise.resolve();
      },
    };
    recorder = recordApiCalls(
      { calls: apiCalls, failures: counter },
      {
        // What oidc-provider's resolver would say, for a call whose handler said nothing.
        clientOf: (ctx, call) =>
          call.endpoint === '/oauth/introspect' && ctx.get('x-client') !== ''
            ? { authenticated: ctx.get('x-client') }
            : {},
        maxPending: 2,
      },
    );
    const app = new Koa<AppState>();
    app.use(requestContext(randomIds, logger));
    app.use(errorHandler());
    app.use(recorder);
    const router = new Router<AppState>();
    router.get('/api/public/v3/attributes.json', (ctx) => {
      ctx.state.apiClientId = 'app-1';
      ctx.body = { attributes: [], status: [] };
    });
    router.post('/oauth/token', (ctx) => {
      ctx.state.apiClientAuthFailed = 'app 2';
      ctx.status = 401;
      ctx.body = { error: 'invalid_client', error_description: 'client authentication failed' };
    });
    router.post('/oauth/introspect', (ctx) => {
      ctx.body = { active: false };
    });
    router.get('/api/public/v3/policies', (ctx) => {
      if (ctx.query.secret === 'right') ctx.state.apiClientId = 'app-1';
      if (ctx.query.fail === 'exposed') {
        throw new AppError({ code: 'partners.example_refused', status: 409, message: 'No.' });
      }
      throw new AppError({ code: 'internal.secret_detail', status: 500, message: 'boom' });
    });
    router.post('/api/public/v3/documents/:token', (ctx) => {
      ctx.state.apiClientId = 'app-1';
      ctx.body = Buffer.from('image bytes');
      ctx.type = 'image/png';
    });
    router.get('/account', (ctx) => {
      ctx.body = 'a page';
    });
    app.use(router.routes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  afterEach(async () => {
    behaviour = 'store';
    for (const release of waiting.splice(0)) release();
    await recorder.idle();
    recorded.length = 0;
    failures.length = 0;
    logLines.length = 0;
  });

  it('records the route, status and latency of a call, never its query string', async () => {
    const response = await fetch(`${url}/api/public/v3/attributes.json?access_token=${SECRET}`);
    expect(response.status).toBe(200);
    await recorder.idle();
    expect(recorded).toEqual([
      {
        clientId: 'app-1',
        method: 'GET',
        endpoint: '/api/public/v3/attributes.json',
        status: 200,
        errorCode: null,
        latencyMs: expect.any(Number) as number,
      },
    ]);
    expect(JSON.stringify(recorded)).not.toContain(SECRET);
  });

  it('counts a failed authentication of a known client instead of recording it, without the secret or body', async () => {
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`app%202:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=authorization_code&code=${SECRET}`,
    });
    expect(response.status).toBe(401);
    await recorder.idle();
    expect(recorded).toEqual([]);
    expect(failures).toEqual([['app 2', '/oauth/token']]);
  });

  it('asks clientOf for a call whose handler said nothing, and records under the client it names', async () => {
    const call = (client: string) =>
      fetch(`${url}/oauth/introspect`, { method: 'POST', headers: { 'x-client': client } });
    expect((await call('app-1')).status).toBe(200);
    expect((await call('')).status).toBe(200);
    await recorder.idle();
    expect(recorded).toMatchObject([{ clientId: 'app-1', endpoint: '/oauth/introspect', status: 200 }]);
    expect(failures).toEqual([]);
  });

  it('records a thrown AppError with its status, and its code only when it is exposed', async () => {
    expect((await fetch(`${url}/api/public/v3/policies?secret=right&fail=exposed`)).status).toBe(409);
    expect((await fetch(`${url}/api/public/v3/policies?secret=right`)).status).toBe(500);
    await recorder.idle();
    expect(recorded).toMatchObject([
      { endpoint: '/api/public/v3/policies', status: 409, errorCode: 'partners.example_refused' },
      { endpoint: '/api/public/v3/policies', status: 500, errorCode: null },
    ]);
  });

  it('records the route pattern of a path that carries a token', async () => {
    const response = await fetch(`${url}/api/public/v3/documents/${SECRET}?token=${SECRET}`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    await recorder.idle();
    expect(recorded).toMatchObject([{ endpoint: '/api/public/v3/documents/:document_token', status: 200 }]);
    expect(JSON.stringify(recorded)).not.toContain(SECRET);
  });

  it('records nothing for pages, preflights and calls that only name a client', async () => {
    await fetch(`${url}/account?client_id=app-1`);
    await fetch(`${url}/api/public/v3/attributes.json`, { method: 'OPTIONS' });
    await fetch(`${url}/api/public/v3/policies?client_id=app-1&fail=exposed`);
    await fetch(`${url}/api/public/v3/policies?fail=exposed`, {
      headers: { authorization: `Basic ${Buffer.from('app-1:wrong').toString('base64')}` },
    });
    await recorder.idle();
    expect(recorded).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('answers even when recording fails, and logs the failure', async () => {
    behaviour = 'fail';
    const response = await fetch(`${url}/api/public/v3/attributes.json`);
    expect(response.status).toBe(200);
    await recorder.idle();
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'recording an api call failed' }) as Record<string, unknown>,
    );
  });

  it('answers before the insert finishes, and drops recordings beyond maxPending', async () => {
    behaviour = 'hang';
    for (let call = 0; call < 4; call += 1) {
      expect((await fetch(`${url}/api/public/v3/attributes.json`)).status).toBe(200);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(waiting).toHaveLength(2);
    expect(recorded).toEqual([]);
    expect(logLines.filter((line) => line.msg === 'api call activity dropped: database behind')).toHaveLength(
      1,
    );
  });
});

describe('partnerApiEndpoint', () => {
  it('names the partner API routes and nothing else', () => {
    expect(partnerApiEndpoint('POST', '/oauth/token')).toBe('/oauth/token');
    expect(partnerApiEndpoint('GET', '/api/public/v3/userinfo')).toBe('/api/public/v3/userinfo');
    expect(partnerApiEndpoint('POST', '/oauth/introspect')).toBe('/oauth/introspect');
    expect(partnerApiEndpoint('POST', '/oauth/revoke')).toBe('/oauth/revoke');
    expect(partnerApiEndpoint('GET', '/api/public/v2/attributes.json')).toBe(
      '/api/public/v2/attributes.json',
    );
    expect(partnerApiEndpoint('GET', '/oauth/authorize')).toBeUndefined();
    expect(partnerApiEndpoint('OPTIONS', '/oauth/token')).toBeUndefined();
    expect(partnerApiEndpoint('GET', '/api/public/v3/documents/a/b')).toBeUndefined();
  });
});
