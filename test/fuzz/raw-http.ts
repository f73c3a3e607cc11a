import { connect } from 'node:net';

/** One request exactly as it goes on the wire (no client library to normalise or refuse it). */
export interface RawRequest {
  method: string;
  /** The request-target, sent as is. */
  target: string;
  headers: [string, string][];
  body: Buffer;
  /**
   * How the body is framed: `length` (a correct Content-Length unless the headers already carry one),
   * `chunked`, `none` (no framing header at all), or `abort` (announce more than is sent, then hang up).
   */
  framing: 'length' | 'chunked' | 'none' | 'abort';
}

export type RawOutcome =
  | { kind: 'response'; status: number; head: string }
  | { kind: 'closed'; detail: string }
  /** The request announced more body than it sent (or a transfer coding it did not use): no answer is due. */
  | { kind: 'incomplete' }
  | { kind: 'timeout' };

/** Whether the headers the case chose itself promise bytes that are never sent, so the server must wait. */
export function isIncomplete(request: RawRequest): boolean {
  if (request.framing === 'abort') return true;
  return request.headers.some(([name, value]) => {
    const lower = name.toLowerCase();
    if (lower === 'transfer-encoding') return request.framing !== 'chunked';
    return lower === 'content-length' && /^\d+$/.test(value) && Number(value) > request.body.length;
  });
}

/** Node answers a head larger than its limit (16 KB) with 431 and closes; the reset may overtake the answer. */
export function headBytes(request: RawRequest): number {
  return serialize({ ...request, body: Buffer.alloc(0), framing: 'none' }).length;
}

export function serialize(request: RawRequest): Buffer {
  const headers = [...request.headers];
  const has = (name: string) => headers.some(([given]) => given.toLowerCase() === name);
  if (request.framing === 'length' && !has('content-length') && !has('transfer-encoding'))
    headers.push(['Content-Length', String(request.body.length)]);
  if (request.framing === 'chunked') headers.push(['Transfer-Encoding', 'chunked']);
  if (request.framing === 'abort') headers.push(['Content-Length', String(request.body.length + 1000)]);
  const head = [`${request.method} ${request.target} HTTP/1.1`, ...headers.map(([n, v]) => `${n}: ${v}`)];
  const body =
    request.framing === 'chunked'
      ? Buffer.concat([
          Buffer.from(request.body.length > 0 ? `${request.body.length.toString(16)}\r\n` : ''),
          request.body,
          Buffer.from(request.body.length > 0 ? '\r\n0\r\n\r\n' : '0\r\n\r\n'),
        ])
      : request.body;
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/**
 * Sends `request` on a fresh connection and reads the status line. An incomplete request (see isIncomplete) is
 * given up shortly after it is sent (the server must neither answer with a 5xx later nor fall over).
 */
export function send(
  host: string,
  port: number,
  request: RawRequest,
  timeoutMs: number,
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    socket.on('connect', () => {
      socket.write(serialize(request), () => {
        // An early answer (401, 413) may still come; after a grace period the client gives up, as one would.
        if (isIncomplete(request)) setTimeout(() => finish({ kind: 'incomplete' }), 50);
      });
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = received.subarray(0, end).toString('latin1');
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
        // Informational answers (100 Continue) come before the real one.
        if (status < 100 || status >= 200) return finish({ kind: 'response', status, head });
        received = received.subarray(end + 4);
      }
    });
    socket.on('error', (error) => finish({ kind: 'closed', detail: error.message }));
    socket.on('close', () => finish({ kind: 'closed', detail: 'closed without an answer' }));
  });
}

/** The request as a reproduction: the raw bytes as a JSON string (long ones shortened), and how to send them. */
export function describeRequest(request: RawRequest): string {
  const raw = serialize(request).toString('latin1');
  const shown = raw.length > 3000 ? `${raw.slice(0, 3000)}…` : raw;
  return [
    `raw HTTP, ${raw.length} bytes${raw.length > 3000 ? ' (the first 3000 shown)' : ''}, framing ${request.framing}`,
    '(send with: node -e \'require("net").connect(PORT, "127.0.0.1").end(JSON.parse(process.argv[1]), "latin1")\' <json>):',
    JSON.stringify(shown),
  ].join('\n');
}
