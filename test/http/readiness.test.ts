import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startOidcServer } from '../helpers/oidc.ts';
import { describeWithRedis } from '../helpers/redis.ts';
import type { TestServer } from '../helpers/server.ts';

async function readyz(server: TestServer): Promise<{ status: number; body: unknown; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: await response.json(), ms: Date.now() - started };
}

/** Polls /readyz until it answers `status` (ioredis reconnects on its own schedule). */
async function readyzBecomes(server: TestServer, status: number): Promise<unknown> {
  const until = Date.now() + 10_000;
  for (;;) {
    const answer = await readyz(server);
    if (answer.status === status || Date.now() > until) {
      expect(answer.status).toBe(status);
      return answer.body;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `/readyz` checks Redis when VETTED_REDIS_URL is configured (issue 13, point 8). */
describe('readiness with an unreachable Redis', () => {
  let server: TestServer;

  beforeAll(async () => {
    // A port nothing listens on.
    server = await startOidcServer({ VETTED_REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => server.stop());

  it('answers 503 naming Redis, quickly, while the liveness check still answers', async () => {
    const answer = await readyz(server);
    expect(answer).toMatchObject({
      status: 503,
      body: { status: 'not_ready', reason: 'redis_unreachable' },
    });
    expect(answer.ms).toBeLessThan(1_500);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describeWithRedis('readiness with the real Redis', (redisUrl) => {
  let server: TestServer;
  let proxy: Server;
  let port: number;
  const sockets = new Set<Socket>();
  const target = new URL(redisUrl);

  /** A TCP relay to the real Redis that the test can take down and bring back on the same port. */
  function listen(): Promise<void> {
    proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    return new Promise((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  }

  function takeDown(): Promise<void> {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    return new Promise((resolve) => proxy.close(() => resolve()));
  }

  beforeAll(async () => {
    port = await freePort();
    await listen();
    const relayed = new URL(redisUrl);
    relayed.hostname = '127.0.0.1';
    relayed.port = String(port);
    server = await startOidcServer({ VETTED_REDIS_URL: relayed.toString() });
  });
  afterAll(async () => {
    await server.stop();
    if (proxy.listening) await takeDown();
  });

  it('is ready while Redis answers, 503 while it is gone, and ready again when it is back', async () => {
    expect(await readyzBecomes(server, 200)).toEqual({ status: 'ready' });
    await takeDown();
    expect(await readyzBecomes(server, 503)).toEqual({ status: 'not_ready', reason: 'redis_unreachable' });
    await listen();
    expect(await readyzBecomes(server, 200)).toEqual({ status: 'ready' });
  });
});
