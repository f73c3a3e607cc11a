import type { IncomingMessage } from 'node:http';
import { createBrotliDecompress, createUnzip, type BrotliDecompress, type Unzip } from 'node:zlib';
import type { Context, Middleware } from 'koa';
import { AppError } from '../lib/app-error.ts';

declare module 'koa' {
  interface Request {
    /** The parsed form or JSON body (parseRequestBody), or a multipart form's fields (multipart.ts). */
    body?: unknown;
  }
}

/**
 * Every request body Vetted reads itself goes through `readBody`: the `Content-Encoding` is decoded (gzip,
 * deflate, br) or refused (415), the limit holds for the bytes sent and for the bytes they decode to (a
 * compressed bomb stops at the limit), and every stream has an error path. A failure is an AppError with a
 * 4xx status (never a 500); a body left half read closes the connection, so nothing else is read from it.
 */
export const bodyErrors = {
  tooLarge: (maxBytes: number) =>
    new AppError({
      code: 'http.body_too_large',
      status: 413,
      message: `The body is larger than ${maxBytes >= 1024 ? `${Math.round(maxBytes / 1024)} KB` : `${maxBytes} bytes`}.`,
    }),
  unreadable: (message = 'The body could not be read.', cause?: unknown) =>
    new AppError({ code: 'http.body_unreadable', status: 400, message, cause }),
  encodingUnsupported: (encoding: string) =>
    new AppError({
      code: 'http.content_encoding_unsupported',
      status: 415,
      message: `Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not supported: send the body as it is, or with gzip, deflate or br.`,
    }),
};

export function isBodyError(error: unknown): error is AppError {
  return error instanceof AppError && error.code.startsWith('http.') && error.status < 500;
}

type Decoder = Unzip | BrotliDecompress;

/** The decoder for the request's Content-Encoding: undefined for none (identity); throws 415 for others. */
function decoderFor(header: string | undefined): Decoder | undefined {
  const encoding = (header ?? '').trim().toLowerCase();
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
    case 'deflate':
      return createUnzip();
    case 'br':
      return createBrotliDecompress();
    default:
      // Several encodings ("gzip, br") are not worth supporting: no browser or client library sends them.
      throw bodyErrors.encodingUnsupported(encoding);
  }
}

/**
 * Reads the body of `ctx.req` (decoded), up to `maxBytes`. Past the limit, or on bytes that do not decode,
 * it stops, lets the rest of the body go unread with the connection marked to close (destroying the
 * request would take the response with it), and throws.
 */
export async function readBody(ctx: Context, maxBytes: number): Promise<Buffer> {
  const req = ctx.req;
  if (req.readableEnded || req.destroyed) {
    throw bodyErrors.unreadable('The body could not be read: the request broke off.');
  }
  const decoder = decoderFor(ctx.get('content-encoding') || undefined);
  if (decoder === undefined && Number(ctx.get('content-length')) > maxBytes) {
    ctx.set('Connection', 'close');
    throw bodyErrors.tooLarge(maxBytes);
  }
  try {
    return await collect(req, decoder, maxBytes);
  } catch (error) {
    if (!req.complete) {
      ctx.set('Connection', 'close');
      // Read and discard what is still coming so the refusal reaches a client still sending.
      req.resume();
    }
    throw error;
  }
}

function collect(req: IncomingMessage, decoder: Decoder | undefined, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    let decoded = 0;
    let settled = false;
    const cleanup = () => {
      req.off('data', onSent);
      req.off('end', onSentEnd);
      req.off('error', onFailed);
      if (decoder !== undefined) {
        decoder.off('data', onDecoded);
        decoder.off('end', onDecodedEnd);
        // A decoder that failed may still emit errors while it is torn down: they are already answered.
        decoder.on('error', () => undefined);
        decoder.destroy();
      }
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(error);
    };
    const succeed = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(Buffer.concat(chunks, decoded));
    };
    function onDecoded(chunk: Buffer) {
      decoded += chunk.length;
      if (decoded > maxBytes) return fail(bodyErrors.tooLarge(maxBytes));
      chunks.push(chunk);
    }
    function onSent(chunk: Buffer) {
      sent += chunk.length;
      if (sent > maxBytes) return fail(bodyErrors.tooLarge(maxBytes));
      if (decoder === undefined) onDecoded(chunk);
      else decoder.write(chunk);
    }
    function onSentEnd() {
      if (decoder === undefined) succeed();
      else decoder.end();
    }
    function onDecodedEnd() {
      succeed();
    }
    function onFailed(error: Error) {
      // A client that went away, or a body Node's parser refused (a broken chunked encoding).
      fail(bodyErrors.unreadable('The body could not be read: the request broke off.', error));
    }
    function onDecodeFailed(error: Error) {
      fail(bodyErrors.unreadable('The body could not be decoded with its Content-Encoding.', error));
    }
    req.on('data', onSent);
    req.on('end', onSentEnd);
    req.on('error', onFailed);
    if (decoder !== undefined) {
      decoder.on('data', onDecoded);
      decoder.on('end', onDecodedEnd);
      decoder.once('error', onDecodeFailed);
    }
  });
}

/** A form body's fields: a repeated name gives its values in order; no nesting, no prototype. */
export type FormFields = Record<string, string | string[]>;

export function parseForm(body: Buffer): FormFields {
  const fields: FormFields = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    const before = fields[name];
    if (before === undefined) fields[name] = value;
    else if (Array.isArray(before)) before.push(value);
    else fields[name] = [before, value];
  }
  return fields;
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw bodyErrors.unreadable('The body is not valid JSON.', error);
  }
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPES = ['application/json', '+json'];

/**
 * Parses a form or JSON body into `ctx.request.body` for POST, PUT and PATCH (others, and other content
 * types, get `{}` and their body is not read). JSON must be an object or an array.
 */
export async function parseRequestBody(
  ctx: Context,
  options: { types: ('form' | 'json')[]; maxBytes: number },
): Promise<void> {
  const request = ctx.request as { body?: unknown };
  if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) return;
  // ctx.is() is null for a request without a body and false for another type.
  const form = options.types.includes('form') && typeof ctx.is(FORM) === 'string';
  const json = options.types.includes('json') && typeof ctx.is(JSON_TYPES) === 'string';
  if (!form && !json) {
    request.body = {};
    return;
  }
  const raw = await readBody(ctx, options.maxBytes);
  if (form) {
    request.body = parseForm(raw);
    return;
  }
  if (raw.length === 0) {
    request.body = {};
    return;
  }
  const parsed = parseJson(raw);
  if (typeof parsed !== 'object' || parsed === null) {
    throw bodyErrors.unreadable('The body must be a JSON object.');
  }
  request.body = parsed;
}

/** `parseRequestBody` as a middleware: a body it refuses is thrown to errorHandler (400, 413 or 415). */
export function requestBody(options: { types: ('form' | 'json')[]; maxBytes: number }): Middleware {
  return async (ctx, next) => {
    await parseRequestBody(ctx, options);
    await next();
  };
}
