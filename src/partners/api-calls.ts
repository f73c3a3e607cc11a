import { BoundedMap } from '../lib/bounded-map.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { ApiCallRepository } from './api-call-repository.ts';

/** One partner API call as the console's Activity shows it. Never a query string, body or token. */
export interface ApiCall {
  id: string;
  clientId: string;
  at: Date;
  method: string;
  /** The route pattern (`/api/public/v3/documents/:document_token`), never the raw path. */
  endpoint: string;
  status: number;
  latencyMs: number;
  /** The OAuth or API error code of a failed call. */
  errorCode: string | null;
}

export type ApiCallInput = Omit<ApiCall, 'id' | 'at' | 'errorCode'> & { errorCode?: string | null };

/** How many calls are kept per application. */
export const API_CALLS_KEPT = 500;
const MAX_PAGE = 100;

export interface ApiCallServiceDeps {
  repository: ApiCallRepository;
  clock: Clock;
  ids: IdGenerator;
  /** Trim a client's calls on its first insert in this process and then on every `trimEvery`-th (default 50). */
  trimEvery?: number;
}

/**
 * The recent API calls of each application, kept to the last API_CALLS_KEPT. Deleting on every insert
 * would double the writes of every API call, so each process trims a client's calls on the first call it
 * records for it and then every `trimEvery` calls: a client has at most API_CALLS_KEPT + trimEvery rows per
 * instance between trims, and list() never shows more than API_CALLS_KEPT.
 */
export function createApiCallService(deps: ApiCallServiceDeps) {
  const { repository, clock, ids } = deps;
  const trimEvery = deps.trimEvery ?? 50;
  const recorded = new BoundedMap<string, number>(10_000);

  return {
    async record(input: ApiCallInput): Promise<void> {
      await repository.insert({
        id: ids.uuid(),
        clientId: input.clientId,
        at: clock.now(),
        method: input.method.toUpperCase().slice(0, 16),
        endpoint: input.endpoint.slice(0, 200),
        status: Math.trunc(input.status),
        latencyMs: Math.max(0, Math.round(input.latencyMs)),
        errorCode: input.errorCode == null ? null : input.errorCode.slice(0, 100),
      });
      const count = (recorded.get(input.clientId) ?? 0) + 1;
      recorded.set(input.clientId, count);
      if (count === 1 || count % trimEvery === 0) await repository.trim(input.clientId, API_CALLS_KEPT);
    },

    /**
     * A page of a client's calls, newest first, within the newest API_CALLS_KEPT; `total` is how many there
     * are in that window (rows not yet trimmed are not counted).
     */
    async list(
      clientId: string,
      page: { limit?: number; offset?: number } = {},
    ): Promise<{ items: ApiCall[]; total: number }> {
      const offset = Math.max(0, whole(page.offset, 0));
      const limit = Math.min(Math.max(1, whole(page.limit, 50)), MAX_PAGE, API_CALLS_KEPT - offset);
      const [items, total] = await Promise.all([
        limit > 0 ? repository.list(clientId, { limit, offset }) : Promise.resolve([]),
        repository.count(clientId),
      ]);
      return { items, total: Math.min(total, API_CALLS_KEPT) };
    },

    /** When an application is deleted. */
    async deleteForClient(clientId: string): Promise<void> {
      recorded.delete(clientId);
      await repository.deleteForClient(clientId);
    },
  };
}

const whole = (value: number | undefined, otherwise: number) =>
  value !== undefined && Number.isFinite(value) ? Math.trunc(value) : otherwise;

export type ApiCallService = ReturnType<typeof createApiCallService>;
