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

/** Who made a partner API call, as far as the handlers established it. */
export interface CallClient {
  /** The application that authenticated (its secret, API token or access token checked): the call is recorded. */
  authenticated?: string | undefined;
  /** An existing application whose authentication failed: counted (a number), never recorded as a call. */
  failed?: string | undefined;
}

/** A call as answered: its route pattern, status and error code. */
export interface CallOutcome {
  endpoint: string;
  status: number;
  errorCode: string | null;
}

export interface ApiCallRecorderOptions {
  /**
   * The caller of a call whose handler said nothing on `ctx.state` (`apiClientId`, `apiClientAuthFailed`),
   * such as oidc-provider's endpoints. A client id a request merely names (a `client_id`, the user of HTTP
   * Basic) is never enough: anyone can name any client, and such calls would flush its history.
   */
  clientOf?(ctx: Context, call: CallOutcome): CallClient;
  /** Recordings waiting for the database beyond this are dropped (and counted in the log); default 256. */
  maxPending?: number;
}

export interface ApiCallSinks {
  calls: { record(input: ApiCallInput): Promise<void> };
  failures: { count(clientId: string, endpoint: string): Promise<void> };
}

export type ApiCallRecorder = Middleware<AppState> & {
  /** Resolves once every recording started so far has finished: for tests and shutdown. */
  idle(): Promise<void>;
};

/**
 * Records each partner API call of an authenticated application (route pattern, status, latency, error
 * code; never the query or body, which may hold secrets) for the console's Activity, and counts the failed
 * authentications of existing applications (a counter per hour, never a row per failure). Recording is
 * fire-and-forget: it starts after the response is written (setImmediate), so the insert adds no latency,
 * and a failure is logged, never answered. Mount it inside errorHandler(), so a thrown error is seen with its status and code.
 */
export function recordApiCalls(sinks: ApiCallSinks, options: ApiCallRecorderOptions): ApiCallRecorder {
  const maxPending = options.maxPending ?? 256;
  const pending = new Set<Promise<void>>();
  let dropped = 0;

  const usable = (clientId: string | undefined): clientId is string =>
    clientId !== undefined && clientId !== '' && clientId.length <= MAX_CLIENT_ID;

  async function save(client: CallClient, call: Omit<ApiCallInput, 'clientId'>) {
    if (usable(client.authenticated)) await sinks.calls.record({ ...call, clientId: client.authenticated });
    else if (usable(client.failed)) await sinks.failures.count(client.failed, call.endpoint);
  }

  function schedule(
    ctx: Context & { state: AppState },
    client: CallClient,
    call: Omit<ApiCallInput, 'clientId'>,
  ): void {
    if (client.authenticated === undefined && client.failed === undefined) return;
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
      .then(() => save(client, call))
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
        const { apiClientId, apiClientAuthFailed } = ctx.state;
        const client =
          apiClientId !== undefined || apiClientAuthFailed !== undefined
            ? { authenticated: apiClientId, failed: apiClientAuthFailed }
            : (options.clientOf?.(ctx, { endpoint, ...outcome }) ?? {});
        schedule(ctx, client, {
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
