import { isAbsolute, resolve } from 'node:path';
import { configSchema, settingNames, type ConfigSettings, type SettingName } from './schema.ts';

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema: string | undefined; poolMax: number };

export type MasterKeySource =
  { kind: 'value'; value: string } | { kind: 'file'; path: string; generateIfMissing: boolean };

export interface MailConfig {
  /** smtp:// or smtps:// URL; when absent, mail goes to the development outbox. */
  smtpUrl: string | undefined;
  /** The From header, e.g. `Vetted <no-reply@example.com>`. */
  from: string;
}

export interface Config {
  env: 'development' | 'production';
  baseUrl: string;
  issuer: string;
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  masterKey: MasterKeySource;
  logLevel: ConfigSettings['VETTED_LOG_LEVEL'];
  trustProxy: boolean;
  /** The development demo (/demo and the Demo Shop): never in production. */
  demo: boolean;
  shutdownTimeoutMs: number;
  keyCacheSeconds: number;
  metricsToken: string | undefined;
  mail: MailConfig;
  refreshTokenReuseSeconds: number;
  blobStore: { kind: 'local'; folder: string } | { kind: 'database' };
  /** Document passback (documents/passback-service.ts). */
  documentPassback: {
    tokenTtlSeconds: number;
    refreshMaxAgeDays: number;
    /** Fetches of one document's images allowed in any 60 s (the sliding-window rate limit). */
    fetchesPerMinute: number;
    /** Days after the review decision before document images are purged; undefined: kept. */
    retentionDays: number | undefined;
  };
  /** redis:// or rediss:// URL for shared rate-limit counters; when absent they live in the database. */
  redisUrl: string | undefined;
}

/** Thrown when the environment does not describe a valid configuration; each problem names its key. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export const SQLITE_MEMORY = ':memory:';
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Reads the VETTED_* variables once, validates them and returns a frozen configuration. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Readonly<Config> {
  const input = Object.fromEntries(
    settingNames.map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? 'configuration');
        const given = key in input && input[key] !== undefined ? ` (got ${JSON.stringify(input[key])})` : '';
        return `${key}: ${issue.message}${given}`;
      }),
    );
  }
  const settings = parsed.data;
  const problems: string[] = [];
  const dataDir = resolve(cwd, settings.VETTED_DATA_DIR);
  const baseUrl = settings.VETTED_BASE_URL ?? `http://localhost:${settings.VETTED_PORT || 3000}`;
  const database = parseDatabaseUrl(settings, dataDir, cwd, problems);
  const masterKey = masterKeySource(settings, dataDir, cwd);

  if (settings.VETTED_ENV === 'production') {
    if (masterKey.kind === 'file' && masterKey.generateIfMissing) {
      problems.push(
        'VETTED_MASTER_KEY: required in production (32 random bytes, e.g. `openssl rand -base64 32`), or set VETTED_MASTER_KEY_FILE',
      );
    }
    if (database.kind === 'sqlite' && database.file === SQLITE_MEMORY) {
      problems.push('VETTED_DATABASE_URL: an in-memory database loses all data and is refused in production');
    }
    const url = new URL(baseUrl);
    if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
      problems.push('VETTED_BASE_URL: must use https:// in production (http is allowed only for localhost)');
    }
    if (settings.VETTED_SMTP_URL === undefined) {
      problems.push(
        'VETTED_SMTP_URL: required in production (smtp:// or smtps:// URL of the mail server); without it mail is only kept in the development outbox',
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    env: settings.VETTED_ENV,
    baseUrl,
    issuer: `${baseUrl}/oidc`,
    host: settings.VETTED_HOST,
    port: settings.VETTED_PORT,
    dataDir,
    database,
    masterKey,
    logLevel: settings.VETTED_LOG_LEVEL,
    trustProxy: settings.VETTED_TRUST_PROXY,
    demo: settings.VETTED_ENV === 'development' && settings.VETTED_DEMO,
    shutdownTimeoutMs: settings.VETTED_SHUTDOWN_TIMEOUT_MS,
    keyCacheSeconds: settings.VETTED_KEY_CACHE_SECONDS,
    metricsToken: settings.VETTED_METRICS_TOKEN,
    mail: Object.freeze({ smtpUrl: settings.VETTED_SMTP_URL, from: settings.VETTED_MAIL_FROM }),
    refreshTokenReuseSeconds: settings.VETTED_REFRESH_TOKEN_REUSE_SECONDS,
    documentPassback: Object.freeze({
      tokenTtlSeconds: settings.VETTED_DOCUMENT_TOKEN_TTL_SECONDS,
      refreshMaxAgeDays: settings.VETTED_DOCUMENT_TOKEN_REFRESH_MAX_AGE_DAYS,
      fetchesPerMinute: settings.VETTED_DOCUMENT_FETCHES_PER_MINUTE,
      retentionDays: settings.VETTED_DOCUMENT_RETENTION_DAYS,
    }),
    blobStore: Object.freeze(
      settings.VETTED_BLOB_STORE === 'database'
        ? { kind: 'database' as const }
        : { kind: 'local' as const, folder: resolve(dataDir, 'blobs') },
    ),
    redisUrl: settings.VETTED_REDIS_URL,
  });
}

/** VETTED_* variables that are not settings: most likely typos, worth a warning. */
export function unknownSettings(env: Record<string, string | undefined>): string[] {
  const known = new Set<string>(settingNames);
  return Object.keys(env).filter(
    (name) => name.startsWith('VETTED_') && !name.startsWith('VETTED_TEST_') && !known.has(name),
  );
}

function parseDatabaseUrl(
  settings: ConfigSettings,
  dataDir: string,
  cwd: string,
  problems: string[],
): DatabaseConfig {
  const raw = settings.VETTED_DATABASE_URL;
  if (raw === undefined) return { kind: 'sqlite', file: resolve(dataDir, 'vetted.db') };
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === SQLITE_MEMORY) return { kind: 'sqlite', file: SQLITE_MEMORY };
    if (path === '')
      problems.push('VETTED_DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/vetted.db');
    return { kind: 'sqlite', file: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (!URL.canParse(raw)) {
    problems.push('VETTED_DATABASE_URL: is not a valid postgres:// URL');
    return { kind: 'postgres', url: raw, schema: undefined, poolMax: settings.VETTED_DATABASE_POOL_MAX };
  }
  const url = new URL(raw);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    problems.push('VETTED_DATABASE_URL: ?schema= must be a lower-case SQL identifier (letters, digits, _)');
  }
  return { kind: 'postgres', url: url.toString(), schema, poolMax: settings.VETTED_DATABASE_POOL_MAX };
}

function masterKeySource(settings: ConfigSettings, dataDir: string, cwd: string): MasterKeySource {
  if (settings.VETTED_MASTER_KEY !== undefined) return { kind: 'value', value: settings.VETTED_MASTER_KEY };
  if (settings.VETTED_MASTER_KEY_FILE !== undefined) {
    return { kind: 'file', path: resolve(cwd, settings.VETTED_MASTER_KEY_FILE), generateIfMissing: false };
  }
  return { kind: 'file', path: resolve(dataDir, 'master.key'), generateIfMissing: true };
}

/** The configuration with secrets masked, for `vetted config check` and the start-up log. */
export function describeConfig(config: Config): Record<string, unknown> {
  const database =
    config.database.kind === 'postgres'
      ? { ...config.database, url: maskPassword(config.database.url) }
      : config.database;
  const masterKey =
    config.masterKey.kind === 'value' ? { kind: 'value', value: '(set, hidden)' } : config.masterKey;
  return {
    ...config,
    database,
    masterKey,
    metricsToken: config.metricsToken === undefined ? undefined : '(set, hidden)',
    mail: {
      ...config.mail,
      smtpUrl: config.mail.smtpUrl === undefined ? undefined : maskPassword(config.mail.smtpUrl),
    },
    redisUrl: config.redisUrl === undefined ? undefined : maskPassword(config.redisUrl),
  };
}

function maskPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

export type { SettingName };
