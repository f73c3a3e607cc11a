import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MasterKeySource } from '../config/load.ts';
import { ConfigError } from '../config/load.ts';

export const MASTER_KEY_BYTES = 32;

/** Decodes a master key written as base64, base64url or hex; throws a ConfigError naming `setting`. */
export function decodeMasterKey(text: string, setting: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : undefined;
  if (key?.length !== MASTER_KEY_BYTES) {
    throw new ConfigError([
      `${setting}: must be ${MASTER_KEY_BYTES} random bytes written as base64 (44 characters) or hex (64 characters)`,
    ]);
  }
  if (key.every((byte) => byte === key[0])) {
    throw new ConfigError([`${setting}: is not random (every byte is the same)`]);
  }
  return key;
}

/**
 * Returns the master key from the configured source. In development, when no key is configured, one is
 * generated once into the data folder (mode 0600); concurrent first starts agree on whichever file won.
 */
export async function loadMasterKey(source: MasterKeySource): Promise<Buffer> {
  if (source.kind === 'value') return decodeMasterKey(source.value, 'VETTED_MASTER_KEY');
  const setting = source.generateIfMissing ? 'master key file' : 'VETTED_MASTER_KEY_FILE';
  try {
    return decodeMasterKey(await readFile(source.path, 'utf8'), `${setting} ${source.path}`);
  } catch (error) {
    if (!isMissingFile(error)) throw error;
    if (!source.generateIfMissing) {
      throw new ConfigError([`VETTED_MASTER_KEY_FILE: ${source.path} does not exist`]);
    }
  }
  await mkdir(dirname(source.path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(source.path, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeMasterKey(await readFile(source.path, 'utf8'), `${setting} ${source.path}`);
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
