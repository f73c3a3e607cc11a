import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/env.ts';
import { ConfigError } from '../config/load.ts';
import { decodeMasterKey, loadMasterKey } from './master-key.ts';

describe('master key', () => {
  it('accepts 32 bytes as base64, base64url or hex', () => {
    const key = randomBytes(32);
    expect(decodeMasterKey(key.toString('base64'), 'K')).toEqual(key);
    expect(decodeMasterKey(key.toString('base64url'), 'K')).toEqual(key);
    expect(decodeMasterKey(key.toString('hex'), 'K')).toEqual(key);
  });

  it('rejects short, malformed and constant keys, naming the setting', () => {
    expect(() => decodeMasterKey(randomBytes(16).toString('base64'), 'VETTED_MASTER_KEY')).toThrow(
      ConfigError,
    );
    expect(() => decodeMasterKey('correct horse battery staple', 'VETTED_MASTER_KEY')).toThrow(
      /^Invalid configuration: VETTED_MASTER_KEY: must be 32 random bytes/,
    );
    expect(() => decodeMasterKey(Buffer.alloc(32).toString('base64'), 'VETTED_MASTER_KEY')).toThrow(
      /is not random/,
    );
  });

  it('generates a development key once, readable only by its owner, and reuses it', async () => {
    const path = join(tempDir(), 'data', 'master.key');
    const first = await loadMasterKey({ kind: 'file', path, generateIfMissing: true });
    const second = await loadMasterKey({ kind: 'file', path, generateIfMissing: true });
    expect(second).toEqual(first);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(decodeMasterKey(await readFile(path, 'utf8'), 'file')).toEqual(first);
  });

  it('agrees on one key when several processes generate it at once', async () => {
    const path = join(tempDir(), 'master.key');
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => loadMasterKey({ kind: 'file', path, generateIfMissing: true })),
    );
    for (const key of keys) expect(key).toEqual(keys[0]);
  });

  it('does not generate a configured key file that is missing', async () => {
    const path = join(tempDir(), 'missing.key');
    await expect(loadMasterKey({ kind: 'file', path, generateIfMissing: false })).rejects.toThrow(
      /VETTED_MASTER_KEY_FILE: .* does not exist/,
    );
    await writeFile(path, 'short');
    await expect(loadMasterKey({ kind: 'file', path, generateIfMissing: false })).rejects.toThrow(
      ConfigError,
    );
  });
});
