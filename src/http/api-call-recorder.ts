import type { Context, Middleware } from 'koa';
import { isAppError } from '../lib/app-error.ts';
import type { ApiCallInput } from '../partners/api-calls.ts';
import type { AppState } from './state.ts';

/** The partner API: each path pattern with the route pattern recorded for it (never the raw path). */
const PARTNER_ENDPOINTS: [RegExp, string][] = [
  [/^\/oauth\/token$/, '/oauth/token'],
  [/^\/oauth\/introspect$/, '/oauth/introspect'],
  [/^\/oauth\/revoke$/, '/oauth/revoke'],
  [/^\/oauth\/par$/, '/oauth/par'],
  [/^\/api\/public\/v3\/userinfo$/, '/api/public/v3/userinfo'],
  [/^\/api\/public\/v3\/attributes\.json$/, '/api/public/v3/attributes.json'],
  [/^\/api\/public\/v2\/attributes\.json$/, '/api/public/v2/attributes.json'],
  [/^\/api\/public\/v3\/policies$/, '/api/public/v3/policies'],
  [/^\/api\/public\/v3\/document_tokens\/refresh$/, '/api/public/v3/document_tokens/refresh'],
  [/^\/api\/public\/v3\/documents\/[^/]+$/, '/api/public/v3/documents/:document_token'],
];

/** The route pattern of a partner API call, or undefined for anything else (pages, preflights, health). */
export function partnerApiEndpoint(method: string, path: string): string | undefined {
  if (method === 'OPTIONS') return undefined;
  return PARTNER_ENDPOINTS.find(([pattern]) => pattern.test(path))?.[1];
}

const MAX_CLIENT_ID = 200;

/**
 * The client a request names without any handler's help: the one a handler put in `ctx.state.apiClientId`,
 * else the user name of HTTP Basic (form-urlencoded, RFC 6749 §2.3.1), else a `client_id` query parameter.
 * Not authenticated: pair it with `isKnownClient`.
 */
export function requestClientId(ctx: Context): string | undefined {
  const fromState = (ctx.state as Partial<AppState>).apiClientId;
  if (fromState !== undefined) return fromState;
  const basic = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(ctx.get('authorization'))?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      try {
        return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      } catch {
        return decoded.slice(0, colon);
      }
    }
  }
  const query = ctx.query.client_id;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

export interface ApiCallRecorderOptions {
  /** The application the call was made for, once the handlers ran; undefined when unknown. */
  resolveClientId(ctx: Context): string | undefined;
  /** Whether an id names an application: calls naming none are not recorded (they would fill the table). */
  isKnownClient?(clientId: string): Promise<boolean>;
  /** Recordings waiting for the database beyond this are dropped (and counted in the log); default 256. */
  maxPending?: number;
}

export type ApiCallRecorder = Middleware<AppState> & {
  /** Resolves once every recording started so far has finished: for tests and shutdown. */
  idle(): Promise<void>;
};

/**
 * Records each partner API call (route pattern, status, latency, error code; never the query or body,
 * which may hold secrets) for the console's Activity. Recording is fire-and-forget: it starts after the
 * response is written (setImmediate), so the insert adds no latency, and a failure is logged, never
 * answered. Mount it inside errorHandler(), so a thrown error is seen with its status and code.
 */
export function recordApiCalls(
  apiCalls: { record(input: ApiCallInput): Promise<void> },
  options: ApiCallRecorderOptions,
): ApiCallRecorder {
  const maxPending = options.maxPending ?? 256;
  const pending = new Set<Promise<void>>();
  let dropped = 0;

  async function save(ctx: Context & { state: AppState }, call: Omit<ApiCallInput, 'clientId'>) {
    const clientId = options.resolveClientId(ctx);
    if (clientId === undefined || clientId === '' || clientId.length > MAX_CLIENT_ID) return;
    if (options.isKnownClient !== undefined && !(await options.isKnownClient(clientId))) return;
    await apiCalls.record({ ...call, clientId });
  }

  function schedule(ctx: Context & { state: AppState }, call: Omit<ApiCallInput, 'clientId'>): void {
    if (pending.size >= maxPending) {
      dropped += 1;
      if (dropped === 1 || dropped % 1000 === 0) {
        ctx.state.log.warn(
          { dropped, endpoint: call.endpoint },
          'api call activity dropped: database behind',
        );
      }
      return;
    }
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => save(ctx, call))
      .catch((error: unknown) => {
        ctx.state.log.error({ err: error, endpoint: call.endpoint }, 'recording an api call failed');
      })
      .finally(() => pending.delete(task));
    pending.add(task);
  }

  const middleware: Middleware<AppState> = async (ctx, next) => {
    const endpoint = partnerApiEndpoint(ctx.method, ctx.path);
    if (endpoint === undefined) {
      await next();
      return;
    }
    const started = performance.now();
    let thrown: { error: unknown } | undefined;
    try {
      await next();
    } catch (error) {
      thrown = { error };
      throw error;
    } finally {
      try {
        const outcome = thrown === undefined ? answered(ctx) : failed(thrown.error);
        schedule(ctx, {
          method: ctx.method,
          endpoint,
          latencyMs: performance.now() - started,
          ...outcome,
        });
      } catch (error) {
        ctx.state.log.error({ err: error, endpoint }, 'recording an api call failed');
      }
    }
  };
  return Object.assign(middleware, {
    idle: async () => {
      while (pending.size > 0) await Promise.all(pending);
    },
  });
}

/** The status and, for a failure, the `error` of a JSON body (OAuth's, RFC 6750's and errorHandler's shape). */
function answered(ctx: Context): { status: number; errorCode: string | null } {
  const { status, body } = ctx;
  const plainObject =
    typeof body === 'object' && body !== null && Object.getPrototypeOf(body) === Object.prototype;
  if (status < 400 || !plainObject) {
    return { status, errorCode: null };
  }
  const error = (body as { error?: unknown }).error;
  return { status, errorCode: typeof error === 'string' ? error : null };
}

/** An error on its way to errorHandler: its status, and its code when it is an AppError safe to show. */
function failed(error: unknown): { status: number; errorCode: string | null } {
  if (isAppError(error)) return { status: error.status, errorCode: error.expose ? error.code : null };
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return { status: typeof value === 'number' && value >= 400 && value <= 599 ? value : 500, errorCode: null };
}
