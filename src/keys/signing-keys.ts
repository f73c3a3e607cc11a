import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import { createTtlCache } from '../lib/ttl-cache.ts';
import { keyErrors } from './errors.ts';
import type { SecretBox } from './secret-box.ts';
import type { SigningKeyRepository, SigningKeyRow } from './signing-key-repository.ts';

export const signingAlgorithms = ['RS256', 'ES256'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

export type SigningKeyStatus = 'active' | 'verifying' | 'retired';

export interface SigningKeyInfo {
  kid: string;
  alg: string;
  generation: number;
  status: SigningKeyStatus;
  createdAt: Date;
  activatedAt: Date;
  retiredAt: Date | null;
}

export interface ActiveSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateJwk: JWK;
}

interface KeySnapshot {
  rows: SigningKeyRow[];
  active: ActiveSigningKey[];
  /** Every unretired key with its private part, the active one of each algorithm first. */
  usable: JWK[];
  /** Changes whenever the set of usable keys or the active ones change. */
  version: string;
}

const ROTATION_ATTEMPTS = 3;

/**
 * The keys that sign tokens. Private parts are sealed with the master key before they reach the database.
 * Every instance reads the keys from the database and caches them for `cacheSeconds`, so a rotation made by
 * one instance (or the CLI) is served by all of them within that time, or at once after `refresh()`.
 */
export function createSigningKeyService(deps: {
  repository: SigningKeyRepository;
  box: SecretBox;
  clock: Clock;
  audit: AuditService;
  cacheSeconds: number;
}) {
  const { repository, box, clock, audit } = deps;
  const cache = createTtlCache<KeySnapshot>({ clock, ttlMs: deps.cacheSeconds * 1000 });

  async function load(): Promise<KeySnapshot> {
    const rows = await repository.list();
    const activeKids = activeKidsOf(rows, clock.now().getTime());
    const open = (row: SigningKeyRow) =>
      JSON.parse(box.open(row.privateJwkSealed, sealContext(row.kid)).toString('utf8')) as JWK;
    const unretired = rows
      .filter((row) => row.retiredAt === null)
      .sort(
        (a, b) =>
          Number(activeKids.has(b.kid)) - Number(activeKids.has(a.kid)) || b.generation - a.generation,
      );
    const opened = new Map(unretired.map((row) => [row.kid, open(row)]));
    const active = unretired
      .filter((row) => activeKids.has(row.kid))
      .map((row) => ({
        kid: row.kid,
        alg: row.alg as SigningAlgorithm,
        privateJwk: opened.get(row.kid) as JWK,
      }));
    return { rows, active, usable: [...opened.values()], version: unretired.map((row) => row.kid).join(',') };
  }

  function current(): Promise<KeySnapshot> {
    return cache.get('keys', load);
  }

  function refresh(): void {
    cache.forget('keys');
  }

  async function newKey(alg: SigningAlgorithm, generation: number): Promise<SigningKeyRow> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    const now = clock.now().getTime();
    return {
      kid,
      alg,
      generation,
      publicJwk: JSON.stringify({ ...publicJwk, kid, alg, use: 'sig' }),
      privateJwkSealed: box.seal(JSON.stringify({ ...privateJwk, kid, alg, use: 'sig' }), sealContext(kid)),
      createdAt: now,
      activatedAt: now,
      retiredAt: null,
    };
  }

  return {
    /** Creates the first key of each algorithm if there is none; safe when several instances start at once. */
    async ensureKeys(): Promise<void> {
      for (const alg of signingAlgorithms) {
        if ((await repository.latestGeneration(alg)) > 0) continue;
        const key = await newKey(alg, 1);
        if (await repository.insertIfGenerationFree(key)) {
          await audit.record('signing_key.created', {
            actor: { type: 'system' },
            subject: { type: 'signing_key', id: key.kid },
            data: { alg },
          });
        }
      }
      refresh();
    },

    async list(): Promise<SigningKeyInfo[]> {
      const rows = await repository.list();
      const activeKids = activeKidsOf(rows, clock.now().getTime());
      return rows.map((row) => ({
        kid: row.kid,
        alg: row.alg,
        generation: row.generation,
        status: row.retiredAt !== null ? 'retired' : activeKids.has(row.kid) ? 'active' : 'verifying',
        createdAt: new Date(row.createdAt),
        activatedAt: new Date(row.activatedAt),
        retiredAt: row.retiredAt === null ? null : new Date(row.retiredAt),
      }));
    },

    /** Adds a new key for `alg` that signs from now on; the previous one keeps verifying until retired. */
    async rotate(alg: SigningAlgorithm, actor: Actor): Promise<SigningKeyInfo> {
      for (let attempt = 0; attempt < ROTATION_ATTEMPTS; attempt++) {
        const previous = await repository.latestGeneration(alg);
        const key = await newKey(alg, previous + 1);
        if (!(await repository.insertIfGenerationFree(key))) continue;
        await audit.record('signing_key.rotated', {
          actor,
          subject: { type: 'signing_key', id: key.kid },
          data: { alg, generation: key.generation },
        });
        refresh();
        return {
          kid: key.kid,
          alg,
          generation: key.generation,
          status: 'active',
          createdAt: new Date(key.createdAt),
          activatedAt: new Date(key.activatedAt),
          retiredAt: null,
        };
      }
      throw keyErrors.rotationConflict(alg);
    },

    /** Stops publishing a key that no longer signs, so tokens it signed stop verifying. */
    async retire(kid: string, actor: Actor): Promise<void> {
      const rows = await repository.list();
      const row = rows.find((candidate) => candidate.kid === kid);
      if (row === undefined) throw keyErrors.notFound(kid);
      if (row.retiredAt !== null) throw keyErrors.alreadyRetired(kid);
      if (activeKidsOf(rows, clock.now().getTime()).has(kid)) throw keyErrors.cannotRetireActive(kid);
      if (!(await repository.retire(kid, clock.now().getTime()))) throw keyErrors.alreadyRetired(kid);
      await audit.record('signing_key.retired', {
        actor,
        subject: { type: 'signing_key', id: kid },
        data: { alg: row.alg },
      });
      refresh();
    },

    /** The JSON Web Key Set to publish: the public part of every key that is not retired. */
    async publicJwks(): Promise<{ keys: JWK[] }> {
      const { rows } = await current();
      return {
        keys: rows.filter((row) => row.retiredAt === null).map((row) => JSON.parse(row.publicJwk) as JWK),
      };
    },

    /** The key that signs new tokens, one per algorithm, private part opened. */
    async activeSigningKeys(): Promise<ActiveSigningKey[]> {
      return (await current()).active;
    },

    /** The private keys a token signer needs: every unretired key, active first, and a version to cache by. */
    async privateKeySet(): Promise<{ version: string; keys: JWK[] }> {
      const { usable, version } = await current();
      return { version, keys: usable };
    },

    refresh,
  };
}

export type SigningKeyService = ReturnType<typeof createSigningKeyService>;

function sealContext(kid: string): string {
  return `signing_keys:${kid}`;
}

/** The active key of an algorithm is its newest activated, unretired generation. */
function activeKidsOf(rows: SigningKeyRow[], now: number): Set<string> {
  const newest = new Map<string, SigningKeyRow>();
  for (const row of rows) {
    if (row.retiredAt !== null || row.activatedAt > now) continue;
    const best = newest.get(row.alg);
    if (best === undefined || row.generation > best.generation) newest.set(row.alg, row);
  }
  return new Set([...newest.values()].map((row) => row.kid));
}
