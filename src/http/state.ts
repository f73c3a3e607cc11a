import type { Logger } from '../lib/logger.ts';

/** What the middleware chain puts on `ctx.state` for everything after it. */
export interface AppState {
  requestId: string;
  log: Logger;
  /** Set by partner API handlers once the calling application authenticated (see RequestState). */
  apiClientId?: string | undefined;
  /** Set by partner API handlers when an existing application's authentication failed (see RequestState). */
  apiClientAuthFailed?: string | undefined;
}

/**
 * `ctx.state` of every request (request-context.ts). A class, so that every request's state has the same
 * shape: defining the lazy `log` on each plain object instead gave each one a hidden class of its own, and
 * that kept every request's objects alive through young-generation collections (a third of the time of a
 * health check went to the garbage collector).
 */
export class RequestState implements AppState {
  readonly requestId: string;
  /** The metrics label of a route not matched by the router (oidc-provider's). */
  routeLabel: string | undefined;
  /** The application a partner API call was made for, set by a handler that authenticated it (api-call-recorder.ts). */
  apiClientId: string | undefined;
  /** An existing application whose credentials a handler refused: counted, not recorded (api-call-recorder.ts). */
  apiClientAuthFailed: string | undefined;
  readonly #logger: Logger;
  #child: Logger | undefined;

  constructor(logger: Logger, requestId: string) {
    this.#logger = logger;
    this.requestId = requestId;
  }

  /** A child logger carrying the request id, made on first use: most requests log only their access line. */
  get log(): Logger {
    this.#child ??= this.#logger.child({ requestId: this.requestId });
    return this.#child;
  }
}
