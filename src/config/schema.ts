import { z } from 'zod';

/**
 * Every setting Vetted reads, as environment variables. Each one is documented here and only here:
 * `npm run docs:config` turns this schema into docs/configuration.md.
 */

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `must be a whole number from ${min} to ${max}`)
        .max(max, `must be a whole number from ${min} to ${max}`),
    );

const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'))
  .transform((value) => ['true', '1', 'yes'].includes(value));

const httpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: 'must be an absolute http:// or https:// URL',
  })
  .transform((value) => value.replace(/\/+$/, ''));

const smtpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^smtps?:$/.test(new URL(value).protocol), {
    message: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587',
  });

const redisUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol), {
    message: 'must be a redis:// or rediss:// URL, e.g. redis://:password@redis.example.com:6379/0',
  });

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configSchema = z.object({
  VETTED_ENV: z
    .enum(['development', 'production'], 'must be development or production')
    .default('development')
    .describe(
      'Deployment mode. `production` refuses development conveniences: a generated master key, an in-memory database, a plain-http public URL, mail kept in the development outbox instead of sent.',
    ),
  VETTED_BASE_URL: httpUrl
    .optional()
    .describe(
      'Public URL at which browsers and partners reach this server (no trailing slash). The OpenID issuer is `<base>/oidc`. Default: `http://localhost:<VETTED_PORT>`. Must be https in production, except for localhost.',
    ),
  VETTED_HOST: z
    .string()
    .trim()
    .min(1)
    .default('0.0.0.0')
    .describe('Network interface to listen on. `127.0.0.1` keeps the server private to this machine.'),
  VETTED_PORT: integer(0, 65535)
    .default(3000)
    .describe('TCP port to listen on. `0` picks a free port (tests).'),
  VETTED_DATA_DIR: z
    .string()
    .trim()
    .min(1)
    .default('./data')
    .describe(
      'Folder for local state: the SQLite database, the development master key and stored files. Created on start. Relative paths are resolved from the working directory.',
    ),
  VETTED_DATABASE_URL: z
    .string()
    .trim()
    .regex(
      /^(sqlite:|postgres:\/\/|postgresql:\/\/)/,
      'must start with sqlite:, postgres:// or postgresql://',
    )
    .optional()
    .describe(
      'Database to use. Default: the SQLite file `<VETTED_DATA_DIR>/vetted.db`. `sqlite:<path>` for another file, `sqlite::memory:` for a throwaway database (refused in production), `postgres://user:pass@host:5432/db` to share one database between several instances; add `?schema=name` to use a PostgreSQL schema other than `public` (created if missing).',
    ),
  VETTED_DATABASE_POOL_MAX: integer(1, 1000)
    .default(10)
    .describe('Maximum PostgreSQL connections per instance.'),
  VETTED_MASTER_KEY: z
    .string()
    .trim()
    .optional()
    .describe(
      'The key that encrypts secrets and documents at rest: 32 random bytes, base64 or hex (`openssl rand -base64 32`). Required in production (or VETTED_MASTER_KEY_FILE). In development, when neither is set, one is generated once into `<VETTED_DATA_DIR>/master.key` (mode 0600). Losing it makes stored secrets unreadable.',
    ),
  VETTED_MASTER_KEY_FILE: z
    .string()
    .trim()
    .optional()
    .describe(
      'Path to a file holding the master key (for container secrets). Ignored when VETTED_MASTER_KEY is set.',
    ),
  VETTED_LOG_LEVEL: z
    .enum(logLevels, `must be one of ${logLevels.join(', ')}`)
    .default('info')
    .describe('Minimum level of the JSON log lines written to standard output.'),
  VETTED_TRUST_PROXY: boolean
    .default(false)
    .describe(
      'Trust `X-Forwarded-For`/`X-Forwarded-Proto` from a reverse proxy or load balancer in front of Vetted. Leave off when clients connect directly.',
    ),
  VETTED_DEMO: boolean
    .default(true)
    .describe(
      'In development, create the sandbox "Demo Shop" (client_id `demo-shop`) when the database has no application at all, and serve the demo sign-in at `/demo`. Ignored in production, where `/demo` does not exist.',
    ),
  VETTED_SHUTDOWN_TIMEOUT_MS: integer(0, 600_000)
    .default(10_000)
    .describe(
      'On SIGTERM/SIGINT, how long in-flight requests may take to finish before their connections are closed.',
    ),
  VETTED_KEY_CACHE_SECONDS: integer(0, 3600)
    .default(30)
    .describe(
      'How long an instance trusts its cached copy of the signing keys before reading them again; bounds how soon a rotation made elsewhere is seen.',
    ),
  VETTED_METRICS_TOKEN: z
    .string()
    .trim()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe(
      'When set, `GET /metrics` requires `Authorization: Bearer <token>`. When unset, metrics are public: keep the port private or set this.',
    ),
  VETTED_SMTP_URL: smtpUrl
    .optional()
    .describe(
      'Mail server for verification codes: `smtp://user:pass@host:587` (upgraded with STARTTLS when the server offers it) or `smtps://user:pass@host:465` (TLS from the start); percent-encode special characters in the user and password. Required in production. When unset, mail is not sent but kept in the development outbox at `/dev/outbox`.',
    ),
  VETTED_MAIL_FROM: z
    .string()
    .trim()
    .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an address, e.g. `Vetted <no-reply@example.com>`')
    .default('Vetted <no-reply@localhost>')
    .describe('The `From` of the mail Vetted sends, an address with an optional display name.'),
  VETTED_BLOB_STORE: z
    .enum(['local', 'database'], 'must be local or database')
    .default('local')
    .describe(
      'Where uploaded evidence (document images) is kept, always encrypted with the master key: `local` is the folder `<VETTED_DATA_DIR>/blobs`; `database` keeps it in the database, for several instances sharing one PostgreSQL.',
    ),
  VETTED_REDIS_URL: redisUrl
    .optional()
    .describe(
      "Redis server for the rate limits that several instances must share (the document-image limit): `redis://user:pass@host:6379/0`, or `rediss://…` for TLS. When unset, those counters live in the database, just as correct at more database load. While Redis is unreachable, the requests it limits are refused (HTTP 503 `rate_limit.unavailable`) rather than let through unlimited, and `/readyz` answers 503 `redis_unreachable`. Instances must keep their clocks in sync (NTP): each event is stamped with its instance's time.",
    ),
  VETTED_DOCUMENT_TOKEN_TTL_SECONDS: integer(60, 30 * 86_400)
    .default(86_400)
    .describe(
      'Document passback: how long a document token handed out with the attributes (or by a refresh) can fetch its image. Default one day.',
    ),
  VETTED_DOCUMENT_TOKEN_REFRESH_MAX_AGE_DAYS: integer(1, 3650)
    .default(90)
    .describe(
      'Document passback: up to how many days after it was issued a document token, expired or not, can still be exchanged for a new one at `/api/public/v3/document_tokens/refresh` (while the grant stands and the document exists).',
    ),
  VETTED_DOCUMENT_FETCHES_PER_MINUTE: integer(1, 100_000)
    .default(2)
    .describe(
      "Document passback: how many images of one document may be fetched in any 60 seconds, by all of its tokens and all instances together (ID.me's limit is 2). Past it the answer is 429 with `Retry-After`.",
    ),
  VETTED_DOCUMENT_RETENTION_DAYS: integer(1, 36_500)
    .optional()
    .describe(
      'When set, the images of identity documents are purged this many days after the review decision (their records stay for the audit trail, and document tokens answer 410). When unset, they are kept while the verification is valid and purged once it has expired or been revoked (rejected verifications keep theirs for reviewers). Deleting a verification or an account always deletes its images.',
    ),
  VETTED_REFRESH_TOKEN_REUSE_SECONDS: integer(0, 300)
    .default(30)
    .describe(
      'Refresh tokens rotate on every use. For this many seconds after a rotation the previous refresh token still works, so a partner retrying a refresh concurrently is not taken for a thief (reuse after the window revokes the whole grant). `0` disables the grace.',
    ),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ConfigSettings = z.output<typeof configSchema>;
export type SettingName = keyof typeof configSchema.shape;
export const settingNames = Object.keys(configSchema.shape) as SettingName[];
