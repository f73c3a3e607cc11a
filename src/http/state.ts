import type { Logger } from '../lib/logger.ts';

/** What the middleware chain puts on `ctx.state` for everything after it. */
export interface AppState {
  requestId: string;
  log: Logger;
}
