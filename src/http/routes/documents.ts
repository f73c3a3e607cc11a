import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { retryAfterSecondsOf } from '../../documents/errors.ts';
import type { DocumentPassback } from '../../documents/passback-service.ts';
import { requestBody } from '../body.ts';

export interface DocumentRouteDeps {
  passback: Pick<DocumentPassback, 'fetchImage' | 'refresh'>;
}

/** The API token from `Authorization: Bearer …` or else the `token` query parameter. */
function apiTokenOf(ctx: Context): string | undefined {
  const header = /^Bearer +([\x21-\x7e]+)$/i.exec(ctx.get('authorization'))?.[1];
  if (header !== undefined) return header;
  const query = ctx.query.token;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/** Runs a passback call with the HTTP details of its refusals: Retry-After on 429, a challenge on 401. */
async function answering(ctx: Context, run: (apiToken: string | undefined) => Promise<void>) {
  ctx.set('Cache-Control', 'no-store');
  const apiToken = apiTokenOf(ctx);
  try {
    await run(apiToken);
  } catch (error) {
    const retryAfter = retryAfterSecondsOf(error);
    if (retryAfter !== undefined) ctx.set('Retry-After', String(retryAfter));
    if ((error as { status?: number }).status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="vetted"');
    throw error;
  }
}

/** Where the request came from, and where the console's Activity learns its application (api-call-recorder.ts). */
const requestDetails = (ctx: Context) => ({
  origin: { ip: ctx.ip, requestId: (ctx.state as { requestId?: string }).requestId ?? '' },
  onApplication(clientId: string) {
    (ctx.state as { apiClientId?: string }).apiClientId = clientId;
  },
});

/**
 * The Document Passback API (SPEC §7): `POST|GET /api/public/v3/documents/:document_token` returns the
 * image (PDFs only at their original size: `size` on a PDF is a 415), and
 * `POST /api/public/v3/document_tokens/refresh` exchanges a document token for a new one. Thin: the
 * decisions are documents/passback-service.ts's.
 */
export function documentRoutes(router: Router, deps: DocumentRouteDeps): void {
  const image: Middleware = async (ctx) => {
    await answering(ctx, async (apiToken) => {
      const size = ctx.query.size;
      const found = await deps.passback.fetchImage({
        documentToken: (ctx.params as Record<string, string | undefined>).document_token ?? '',
        apiToken,
        size: size === undefined ? undefined : Array.isArray(size) ? size.join(',') : size,
        ...requestDetails(ctx),
      });
      ctx.status = 200;
      ctx.type = found.contentType;
      ctx.body = found.bytes;
    });
  };
  router.post('/api/public/v3/documents/:document_token', image);
  router.get('/api/public/v3/documents/:document_token', image);

  const body = requestBody({ types: ['json', 'form'], maxBytes: 16 * 1024 });
  router.post('/api/public/v3/document_tokens/refresh', body, async (ctx) => {
    await answering(ctx, async (apiToken) => {
      const given = (ctx.request as { body?: unknown }).body;
      const documentToken =
        typeof given === 'object' && given !== null
          ? (given as { document_token?: unknown }).document_token
          : undefined;
      const refreshed = await deps.passback.refresh({
        documentToken: typeof documentToken === 'string' ? documentToken : '',
        apiToken,
        ...requestDetails(ctx),
      });
      ctx.body = {
        document_token: refreshed.token,
        side: refreshed.side,
        expires_at: refreshed.expiresAt.toISOString(),
      };
    });
  });
}
