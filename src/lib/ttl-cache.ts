import type { Clock } from './clock.ts';

/**
 * A small read-through cache for data every request needs and that changes rarely (applications). Entries
 * live `ttlMs`; concurrent misses for one key share a single load; failed loads are not cached. Other
 * instances' changes are seen within `ttlMs`; this instance's own changes call `forget`.
 */
export function createTtlCache<V>(options: { clock: Clock; ttlMs: number; maxEntries?: number }) {
  const entries = new Map<string, { loadedAt: number; value: Promise<V> }>();
  const maxEntries = options.maxEntries ?? 10_000;
  return {
    get(key: string, load: () => Promise<V>): Promise<V> {
      const now = options.clock.now().getTime();
      const entry = entries.get(key);
      if (entry !== undefined && now - entry.loadedAt < options.ttlMs && now >= entry.loadedAt)
        return entry.value;
      const value = load();
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value ?? '');
      entries.set(key, { loadedAt: now, value });
      value.catch(() => entries.delete(key));
      return value;
    },
    forget(key: string): void {
      entries.delete(key);
    },
  };
}
