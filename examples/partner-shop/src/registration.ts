import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Credentials } from './shop.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_CREDENTIALS_FILE = fileURLToPath(new URL('../.vetted-app.json', import.meta.url));

interface SavedApp extends Credentials {
  vettedUrl: string;
  redirectUri: string;
}

export interface RegistrationOptions {
  vettedUrl: string;
  redirectUri: string;
  /** Where the credentials are kept (mode 0600); examples/partner-shop/.vetted-app.json by default. */
  file?: string;
  /** The CLI's environment (VETTED_DATA_DIR, VETTED_DATABASE_URL, …); this process's by default. */
  env?: NodeJS.ProcessEnv;
  /**
   * Asked about saved credentials before they are reused: false means Vetted no longer knows them (its data
   * was reset), so the app is registered again.
   */
  stillValid?: (credentials: Credentials) => Promise<boolean>;
}

/**
 * The credentials saved for this Vetted URL and redirect URI, or new ones from `vetted apps create` (run from
 * the repository, so it writes to the same ./data as `npm start`), saved for next time.
 */
export async function ensureRegistered(
  options: RegistrationOptions,
): Promise<Credentials & { registered: boolean }> {
  const file = options.file ?? DEFAULT_CREDENTIALS_FILE;
  const saved = await readSaved(file);
  if (
    saved !== undefined &&
    saved.vettedUrl === options.vettedUrl &&
    saved.redirectUri === options.redirectUri &&
    (options.stillValid === undefined || (await options.stillValid(saved)))
  ) {
    return { clientId: saved.clientId, clientSecret: saved.clientSecret, registered: false };
  }
  const credentials = await registerWithCli(options.redirectUri, options.env ?? process.env);
  await save(file, { ...credentials, vettedUrl: options.vettedUrl, redirectUri: options.redirectUri });
  return { ...credentials, registered: true };
}

async function readSaved(file: string): Promise<SavedApp | undefined> {
  let parsed: Partial<Record<keyof SavedApp, unknown>>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as typeof parsed;
  } catch {
    return undefined;
  }
  const { vettedUrl, redirectUri, clientId, clientSecret } = parsed;
  if (
    typeof vettedUrl !== 'string' ||
    typeof redirectUri !== 'string' ||
    typeof clientId !== 'string' ||
    typeof clientSecret !== 'string'
  )
    return undefined;
  return { vettedUrl, redirectUri, clientId, clientSecret };
}

/** Written to a new file created with mode 0600 and renamed into place, so the secret is never world-readable. */
async function save(file: string, app: SavedApp): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(temporary, `${JSON.stringify(app, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** `vetted apps create … --json`: a confidential production app with the offer's communities enabled. */
export async function registerWithCli(redirectUri: string, env: NodeJS.ProcessEnv): Promise<Credentials> {
  const args = [
    // Node < 22.18 runs the CLI's TypeScript only with this flag, as `npm start` passes it.
    ...process.execArgv.filter((arg) => arg === '--experimental-strip-types'),
    `${REPO_ROOT}bin/vetted.js`,
    'apps',
    'create',
    '--name',
    'Partner Shop',
    '--redirect-uri',
    redirectUri,
    '--scopes',
    'military,responder',
    '--json',
  ];
  const { code, stdout, stderr } = await run(process.execPath, args, { cwd: REPO_ROOT, env });
  if (code !== 0) throw new Error(`vetted apps create failed (exit ${String(code)}): ${stderr.trim()}`);
  const created = JSON.parse(stdout) as { client_id?: unknown; client_secret?: unknown };
  if (typeof created.client_id !== 'string' || typeof created.client_secret !== 'string') {
    throw new Error(`vetted apps create printed no client_id and client_secret: ${stdout}`);
  }
  return { clientId: created.client_id, clientSecret: created.client_secret };
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Whether Vetted accepts `credentials` (its policies endpoint answers 401 for unknown ones); true when Vetted
 * cannot be asked, since it may simply not be running yet.
 */
export async function credentialsAccepted(vettedUrl: string, credentials: Credentials): Promise<boolean> {
  const basic = Buffer.from(
    `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
  ).toString('base64');
  try {
    const response = await fetch(`${vettedUrl.replace(/\/+$/, '')}/api/public/v3/policies`, {
      headers: { Authorization: `Basic ${basic}` },
    });
    return response.status !== 401;
  } catch {
    return true;
  }
}
