import busboy from 'busboy';
import type { Context, Middleware } from 'koa';

export interface UploadedFile {
  field: string;
  bytes: Buffer;
  /** More was sent than `maxFileBytes`: `bytes` holds only the first part and must not be used. */
  tooLarge: boolean;
  /** What the browser called it; shown back to the user at most, never trusted. */
  filename: string;
}

export interface MultipartOptions {
  maxFileBytes: number;
  maxFiles: number;
  /** The whole request is refused (and the connection closed) past this many bytes. */
  maxRequestBytes: number;
  /** At most this many uploads are read at once; others are told to try again (503). */
  maxConcurrent: number;
  /**
   * Checked before a byte of the body is read: a request that cannot be accepted anyway (no session, no CSRF
   * cookie) is refused without being buffered.
   */
  admit(ctx: Context): boolean;
  /** Answers a request that is not a form with files, or is too large. */
  refuse(ctx: Context, status: number, message: string): void;
}

/** What the middleware puts on `ctx.state`: the uploaded files by field name (empty file inputs are left out). */
export interface MultipartState {
  files: ReadonlyMap<string, UploadedFile>;
}

/**
 * Parses a `multipart/form-data` form (busboy) into `ctx.request.body` (fields, so the CSRF check finds
 * `_csrf`) and `ctx.state.files`, in memory and within hard limits: no file is kept past `maxFileBytes`
 * (it is marked `tooLarge` and the rest discarded), and a request longer than `maxRequestBytes` is cut off.
 * Nothing is written to disk.
 */
export function multipartForm(options: MultipartOptions): Middleware {
  let reading = 0;
  return async (ctx, next) => {
    if (ctx.request.type !== 'multipart/form-data') {
      options.refuse(ctx, 415, 'This form must be sent with its files (multipart/form-data).');
      return;
    }
    const encoding = ctx.get('content-encoding').trim().toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      options.refuse(ctx, 415, 'Send this form as the browser does, without a Content-Encoding.');
      return;
    }
    if (!options.admit(ctx)) {
      ctx.set('Connection', 'close');
      options.refuse(ctx, 403, 'This form has expired. Go back, reload the page and try again.');
      return;
    }
    if (reading >= options.maxConcurrent) {
      ctx.set('Connection', 'close');
      ctx.set('Retry-After', '30');
      options.refuse(ctx, 503, 'Many documents are being uploaded right now. Try again in a minute.');
      return;
    }
    const declared = Number(ctx.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxRequestBytes) {
      ctx.set('Connection', 'close');
      options.refuse(ctx, 413, tooLargeMessage(options.maxFileBytes));
      return;
    }
    let parsed: { fields: Record<string, string>; files: Map<string, UploadedFile> } | 'too_large';
    reading++;
    try {
      parsed = await parse(ctx, options);
    } catch {
      // The body may be half read (a malformed part, a file part that never ends): the connection is not
      // reused for another request.
      ctx.set('Connection', 'close');
      options.refuse(ctx, 400, 'This form could not be read. Go back and try again.');
      return;
    } finally {
      reading--;
    }
    if (parsed === 'too_large') {
      ctx.set('Connection', 'close');
      options.refuse(ctx, 413, tooLargeMessage(options.maxFileBytes));
      return;
    }
    (ctx.request as { body?: unknown }).body = parsed.fields;
    (ctx.state as MultipartState).files = parsed.files;
    await next();
  };
}

function tooLargeMessage(maxFileBytes: number): string {
  return `Each file may be at most ${Math.round(maxFileBytes / (1024 * 1024))} MB.`;
}

function parse(
  ctx: Context,
  options: MultipartOptions,
): Promise<{ fields: Record<string, string>; files: Map<string, UploadedFile> } | 'too_large'> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files = new Map<string, UploadedFile>();
    const parser = busboy({
      headers: ctx.req.headers,
      limits: {
        fileSize: options.maxFileBytes,
        files: options.maxFiles,
        fields: 30,
        fieldSize: 16 * 1024,
        parts: 40,
      },
    });
    let received = 0;
    let settled = false;
    const finish = (value: Awaited<ReturnType<typeof parse>> | Error) => {
      if (settled) return;
      settled = true;
      if (value instanceof Error || value === 'too_large') {
        // Nothing more is parsed: the rest of the body is read and discarded while the refusal is sent.
        ctx.req.unpipe(parser);
        ctx.req.resume();
      }
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    ctx.req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.maxRequestBytes) finish('too_large');
    });
    parser.on('field', (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      let tooLarge = false;
      // A file part the body breaks off in ("Unexpected end of form") fails on this stream too: unheard, that
      // error would end the process.
      stream.on('error', (error: Error) => finish(error));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        const bytes = Buffer.concat(chunks);
        // An <input type=file> left empty still sends a part, with no name and no bytes.
        const filename = info.filename ?? '';
        if (bytes.length === 0 && filename === '') return;
        if (!files.has(name)) files.set(name, { field: name, bytes, tooLarge, filename });
      });
    });
    parser.on('error', (error: Error) => finish(error));
    parser.on('close', () => finish({ fields, files }));
    ctx.req.on('error', (error) => finish(error));
    ctx.req.pipe(parser);
  });
}
