import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('HTTP baseline', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('gives every response a request id, keeping a sane one from the caller', async () => {
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'lb-1234.abc' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-1234.abc');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'x'.repeat(500) } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const line = server.logs.find((entry) => entry.msg === 'request' && entry.requestId === 'lb-1234.abc');
    expect(line).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
  });

  it('sends HTML pages the full set of security headers: strict CSP forbidding framing, nosniff, no referrer', async () => {
    const response = await fetch(`${server.url}/no/such/page`, { headers: { Accept: 'text/html' } });
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends other responses the headers that matter for a resource, without the document-only ones', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    for (const documentOnly of [
      'x-frame-options',
      'cross-origin-opener-policy',
      'referrer-policy',
      'x-xss-protection',
    ]) {
      expect(response.headers.get(documentOnly)).toBeNull();
    }
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers unknown routes and methods with a JSON error naming the request', async () => {
    const missing = await fetch(`${server.url}/no/such/page`);
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as Record<string, string>;
    expect(body).toEqual({
      error: 'http.not_found',
      message: 'There is nothing at this address.',
      request_id: missing.headers.get('x-request-id'),
    });
    const wrongMethod = await fetch(`${server.url}/healthz`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('GET');
    expect(await wrongMethod.json()).toMatchObject({ error: 'http.method_not_allowed' });
  });

  it('shows browsers an HTML error page with the message escaped', async () => {
    const response = await fetch(`${server.url}/<script>`, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('There is nothing at this address.');
    expect(html).not.toContain('<script>');
  });

  it('publishes the public RS256 and ES256 signing keys, never private parts', async () => {
    const response = await fetch(`${server.url}/oidc/.well-known/jwks`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys.map((key) => key.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const key of keys) {
      expect(key).toMatchObject({ use: 'sig', kid: expect.any(String) });
      for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(key).not.toHaveProperty(privatePart);
    }
    const rsa = keys.find((key) => key.alg === 'RS256');
    expect(Buffer.from(rsa!.n!, 'base64url').length * 8).toBe(2048);
  });

  it('exposes Prometheus metrics counted by route pattern and status', async () => {
    await fetch(`${server.url}/healthz`);
    await fetch(`${server.url}/definitely-missing-${Date.now()}`);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/vetted_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toMatch(/vetted_http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(text).toContain('vetted_http_request_duration_seconds_bucket{');
    expect(text).toContain('vetted_process_cpu_user_seconds_total');
    expect(text).not.toContain('definitely-missing');
  });

  it('never logs query strings, which can carry tokens', async () => {
    await fetch(`${server.url}/healthz?access_token=secret-in-query-string`);
    expect(server.logText()).not.toContain('secret-in-query-string');
  });
});

describe('HTTP baseline, configured', () => {
  it('sends HSTS when the public URL is https', async () => {
    const server = await startTestServer({ VETTED_BASE_URL: 'https://id.example.com' });
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await server.stop();
    }
  });

  it('protects metrics with a bearer token when one is configured', async () => {
    const token = 'metrics-token-0123456789';
    const server = await startTestServer({ VETTED_METRICS_TOKEN: token });
    try {
      const anonymous = await fetch(`${server.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const wrong = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(right.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('reports not ready while draining, so load balancers stop sending traffic', async () => {
    const server = await startTestServer();
    try {
      server.services.health.startDraining();
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(503);
      expect(response.headers.get('connection')).toBe('close');
      expect(await response.json()).toEqual({ status: 'not_ready', reason: 'shutting_down' });
    } finally {
      await server.stop();
    }
  });
});
