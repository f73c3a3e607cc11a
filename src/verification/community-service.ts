import type { Clock } from '../lib/clock.ts';
import { createTtlCache } from '../lib/ttl-cache.ts';
import type { CommunityRepository } from './community-repository.ts';
import type { Community } from './types.ts';

interface Snapshot {
  list: Community[];
  byHandle: ReadonlyMap<string, Community>;
  scopeSet: { version: string; scopes: string[] };
}

/** The OAuth scopes that exist whatever the communities are. */
const standardScopes = ['openid', 'offline_access', 'profile', 'email'];

/**
 * The communities, read from the database and cached for `cacheSeconds` (they change rarely and are read on
 * every authorization and attributes call). An administrator's change is seen by every instance within that
 * time, or at once after `refresh()` on the instance that made it. `cacheSeconds: 0` reads every time.
 */
export function createCommunityService(deps: {
  repository: CommunityRepository;
  clock: Clock;
  cacheSeconds: number;
}) {
  const { repository, clock } = deps;
  const cache = createTtlCache<Snapshot>({ clock, ttlMs: deps.cacheSeconds * 1000 });

  function current(): Promise<Snapshot> {
    return cache.get('communities', async () => {
      const list = await repository.list();
      const handles = list.map((community) => community.handle).sort();
      return {
        list,
        byHandle: new Map(list.map((community) => [community.handle, community])),
        scopeSet: { version: handles.join(','), scopes: [...standardScopes, ...handles] },
      };
    });
  }

  return {
    /** Every community, in display order. */
    async list(): Promise<Community[]> {
      return (await current()).list;
    },

    async find(handle: string): Promise<Community | undefined> {
      return (await current()).byHandle.get(handle);
    },

    /** Every community handle: the OAuth scopes besides openid, profile and email. */
    /** Every OAuth scope (standard ones and community handles) and a version that changes with them. */
    async scopeSet(): Promise<{ version: string; scopes: string[] }> {
      return (await current()).scopeSet;
    },

    async handles(): Promise<ReadonlySet<string>> {
      return new Set((await current()).byHandle.keys());
    },

    async isCommunityScope(scope: string): Promise<boolean> {
      return (await current()).byHandle.has(scope);
    },

    /** The community scopes of a scope list, in order, without duplicates or other scopes. */
    async communityScopes(scopes: readonly string[]): Promise<string[]> {
      const { byHandle } = await current();
      return [...new Set(scopes)].filter((scope) => byHandle.has(scope));
    },

    /** Forgets the cache, so the next call reads the database. */
    refresh(): void {
      cache.forget('communities');
    },
  };
}

export type CommunityService = ReturnType<typeof createCommunityService>;
