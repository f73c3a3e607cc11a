import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/env.ts';
import { startVettedProcess, stopProcess } from '../helpers/process.ts';

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
  });
}

describe('graceful shutdown', () => {
  it('finishes requests in flight when SIGTERM arrives, refuses new connections, and exits 0', async () => {
    const running = await startVettedProcess(testEnv({ VETTED_LOG_LEVEL: 'info' }));
    try {
      // Two requests are in flight: their first bytes have arrived, the rest has not.
      const first = await openSocket(running.url);
      const second = await openSocket(running.url);
      const firstResponse = readUntilClosed(first);
      const secondResponse = readUntilClosed(second);
      first.write('GET /readyz HTTP/1.1\r\nHost: vetted\r\n');
      second.write('GET /healthz HTTP/1.1\r\nHost: vet');
      // Let the server see those bytes before the signal.
      await new Promise((resolve) => setTimeout(resolve, 200));

      running.child.kill('SIGTERM');
      await running.waitForLog((line) => line.msg === 'shutting down');
      await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();

      first.write('\r\n');
      second.write('ted\r\n\r\n');
      const [firstText, secondText] = await Promise.all([firstResponse, secondResponse]);
      expect(firstText).toMatch(/^HTTP\/1\.1 503 /);
      expect(firstText).toContain('"reason":"shutting_down"');
      expect(firstText.toLowerCase()).toContain('connection: close');
      expect(secondText).toMatch(/^HTTP\/1\.1 200 /);
      expect(secondText).toContain('{"status":"ok"}');

      expect(await running.exited).toEqual({ code: 0, signal: null });
      expect(running.stdout()).toContain('"msg":"stopped"');
    } finally {
      await stopProcess(running);
    }
  });

  it('closes idle keep-alive connections at once instead of waiting for the timeout', async () => {
    const running = await startVettedProcess(
      testEnv({ VETTED_LOG_LEVEL: 'info', VETTED_SHUTDOWN_TIMEOUT_MS: '30000' }),
    );
    try {
      const idle = await openSocket(running.url);
      const closed = readUntilClosed(idle);
      idle.write('GET /healthz HTTP/1.1\r\nHost: vetted\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
      running.child.kill('SIGTERM');
      expect(await closed).toMatch(/^HTTP\/1\.1 200 /);
      expect(await running.exited).toEqual({ code: 0, signal: null });
    } finally {
      await stopProcess(running);
    }
  });
});
