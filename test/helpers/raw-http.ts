import { connect } from 'node:net';

export interface RawAnswer {
  /** The status of the first response, or 0 when the server closed without one. */
  status: number;
  /** Everything the server sent, as text. */
  text: string;
  /** Whether the server closed the connection (within the wait). */
  closed: boolean;
}

/**
 * Sends bytes to the server exactly as given (a request fetch would refuse to send: a truncated body, a
 * malformed request line, huge headers) and collects what comes back until the server closes the
 * connection or `waitMs` passed.
 */
export function rawRequest(
  baseUrl: string,
  request: Buffer | string,
  options: { waitMs?: number } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text, closed });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => done(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') done(true);
      else reject(error);
    });
    socket.on('connect', () => {
      socket.write(request);
      timer = setTimeout(() => done(false), options.waitMs ?? 3000);
    });
  });
}

/**
 * An HTTP/1.1 request as bytes: the request line, the headers (plus Host, and Content-Length unless the
 * headers frame the body themselves) and the body.
 */
export function httpRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | string = '',
): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const framed = Object.keys(headers).some((name) => /^(content-length|transfer-encoding)$/i.test(name));
  if (!framed) {
    lines.push(`Content-Length: ${bytes.length}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
}

/** A `multipart/form-data` body with its fields and one file part whose final boundary is missing. */
export function truncatedMultipart(
  boundary: string,
  fields: Record<string, string>,
  file: { field: string; name: string; type: string; bytes: Buffer },
): Buffer {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const fileHead =
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
    `Content-Type: ${file.type}\r\n\r\n`;
  return Buffer.concat([Buffer.from(parts.join('') + fileHead), file.bytes]);
}
