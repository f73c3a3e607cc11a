import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'koa';
import type { Logger } from '../lib/logger.ts';

/** The access log's status for a request whose client went away before it was answered (nginx's). */
export const CLIENT_GONE = 499;

interface Refusal {
  status: number;
  /** Node's error code: `HPE_INVALID_METHOD`, `HPE_HEADER_OVERFLOW`, `ECONNRESET`, … */
  code: string;
}

/** What happened on a connection Node's HTTP parser gave up on (set by the server's 'clientError'). */
const refusals = new WeakMap<Duplex, Refusal>();
/** The response being prepared on each connection, so a refusal never cuts into one already started. */
const responses = new WeakMap<Duplex, ServerResponse>();

/** Errors that mean the client went away (a reset, or a connection closed half-way through a request). */
const GONE = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

/** The status Node itself answers to each kind of refused request (see `socketOnError` in Node's http). */
function refusalStatus(code: string): number {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}

/**
 * Answers what Node's HTTP parser refuses (a malformed request line, headers too large, a broken chunked
 * body, a request too slow) as Node would, and remembers it for the access log: such a request, or a client
 * that went away, is logged with the status it really got (400, 431, … or 499), never as a 500. A request
 * refused before it reached the app gets an access-log line of its own (no method or path: they are not known).
 */
export function answerClientErrors(server: Server, logger: Logger): void {
  server.on('request', (request, response: ServerResponse) => {
    const socket = request.socket;
    responses.set(socket, response);
    response.once('close', () => {
      if (responses.get(socket) === response) responses.delete(socket);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code ?? 'unknown';
    const response = responses.get(socket);
    const answerable = socket.writable && (response === undefined || !response.headersSent);
    const status = GONE.has(code) ? CLIENT_GONE : refusalStatus(code);
    refusals.set(socket, { status, code });
    if (answerable && code !== 'ECONNRESET') {
      const answer = status === CLIENT_GONE ? 400 : status;
      socket.write(
        `HTTP/1.1 ${answer} ${STATUS_CODES[answer] ?? 'Bad Request'}\r\nConnection: close\r\n\r\n`,
      );
    }
    socket.destroy();
    // A request the app is handling is logged by it (request-context.ts); a reset idle connection is no request.
    if (response === undefined && status !== CLIENT_GONE) {
      logger.info(
        { status, refused: code, ip: (socket as { remoteAddress?: string }).remoteAddress },
        'request',
      );
    }
  });
}

export interface RequestOutcome {
  /** The status the client got: the app's, Node's refusal, or 499 when nobody was left to answer. */
  status: number;
  /** Node's error code, when Node refused the request before the app could answer it. */
  refused?: string;
  /** The client went away before it was answered. */
  aborted?: true;
}

/** How a request handled by the app ended, for the access log and the metrics. */
export function requestOutcome(ctx: Context): RequestOutcome {
  const socket = ctx.req.socket as Duplex | null;
  const refusal = socket === null ? undefined : refusals.get(socket);
  if (refusal !== undefined) {
    return refusal.status === CLIENT_GONE
      ? { status: CLIENT_GONE, aborted: true }
      : { status: refusal.status, refused: refusal.code };
  }
  if (!ctx.res.writableEnded && (socket === null || socket.destroyed || !socket.writable)) {
    return { status: CLIENT_GONE, aborted: true };
  }
  return { status: ctx.status };
}

/** Whether `error` is only the consequence of a connection that broke (not a bug of the app). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    GONE.has(code) ||
    code === 'ECONNABORTED' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    code.startsWith('HPE_')
  );
}
