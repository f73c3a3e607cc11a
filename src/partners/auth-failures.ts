import type { Clock } from '../lib/clock.ts';
import type { AuthFailureRepository } from './auth-failure-repository.ts';

const HOUR_MS = 3_600_000;
/** How long failure counters are kept (the console shows the last 24 hours and the whole window). */
export const AUTH_FAILURE_DAYS_KEPT = 30;

/** What the console's Activity shows: failed client authentications, in the last 24 hours and over the window. */
export interface AuthFailureSummary {
  last24Hours: number;
  /** Over the last AUTH_FAILURE_DAYS_KEPT days. */
  lastDays: number;
  /** Start of the first hour with a failure in the window, or null when there was none. */
  since: Date | null;
  byEndpoint: { endpoint: string; last24Hours: number; lastDays: number }[];
}

/**
 * Counts failed client authentications (a wrong client secret, a wrong authentication method) per
 * application and endpoint, as hourly counters: a flood of wrong secrets raises a number, it never adds rows
 * to the Activity's API calls (which keep only what an authenticated client did). Only applications that
 * exist are counted: callers pass client ids they looked up.
 */
export function createAuthFailureService(deps: { repository: AuthFailureRepository; clock: Clock }) {
  const { repository, clock } = deps;
  const hourOf = (time: number) => Math.floor(time / HOUR_MS) * HOUR_MS;
  /** The first hour of the window: the current one and the hours before it, AUTH_FAILURE_DAYS_KEPT days in all. */
  const windowStart = (now: number) => hourOf(now) - (AUTH_FAILURE_DAYS_KEPT * 24 - 1) * HOUR_MS;

  return {
    async count(clientId: string, endpoint: string): Promise<void> {
      await repository.increment(clientId, endpoint.slice(0, 200), hourOf(clock.now().getTime()));
    },

    /** The last 24 hours are the current hour and the 23 before it. */
    async summary(clientId: string): Promise<AuthFailureSummary> {
      const now = clock.now().getTime();
      const dayStart = hourOf(now) - 23 * HOUR_MS;
      const [day, window] = await Promise.all([
        repository.totals(clientId, dayStart),
        repository.totals(clientId, windowStart(now)),
      ]);
      const inDay = new Map(day.map((row) => [row.endpoint, row.failures]));
      const first = window.length === 0 ? undefined : Math.min(...window.map((row) => row.firstHour));
      return {
        last24Hours: day.reduce((sum, row) => sum + row.failures, 0),
        lastDays: window.reduce((sum, row) => sum + row.failures, 0),
        since: first === undefined ? null : new Date(first),
        byEndpoint: window.map((row) => ({
          endpoint: row.endpoint,
          last24Hours: inDay.get(row.endpoint) ?? 0,
          lastDays: row.failures,
        })),
      };
    },

    /** For the sweeper: forgets counters older than the window. */
    prune: (now: number) => repository.deleteOlderThan(windowStart(now)),

    /** When an application is deleted. */
    deleteForClient: (clientId: string) => repository.deleteForClient(clientId),
  };
}

export type AuthFailureService = ReturnType<typeof createAuthFailureService>;
