import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig, unknownSettings } from './load.ts';

const cwd = '/srv/vetted';
const strongKey = Buffer.alloc(32, 7).fill(9, 16).toString('base64');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('serves a laptop by default: localhost:3000, SQLite under ./data, a generated development key', () => {
    const config = loadConfig({}, cwd);
    expect(config.env).toBe('development');
    expect(config.demo).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.issuer).toBe('http://localhost:3000/oidc');
    expect(config.dataDir).toBe(join(cwd, 'data'));
    expect(config.database).toEqual({ kind: 'sqlite', file: join(cwd, 'data', 'vetted.db') });
    expect(config.masterKey).toEqual({
      kind: 'file',
      path: join(cwd, 'data', 'master.key'),
      generateIfMissing: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives the default base URL from the port and strips trailing slashes from a given one', () => {
    expect(loadConfig({ VETTED_PORT: '8080' }, cwd).baseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ VETTED_BASE_URL: 'https://id.example.com/' }, cwd).issuer).toBe(
      'https://id.example.com/oidc',
    );
  });

  it('names the key and the value in one line per problem', () => {
    expect(problemsOf({ VETTED_PORT: 'abc' })).toEqual([
      'VETTED_PORT: must be a whole number from 0 to 65535 (got "abc")',
    ]);
    expect(problemsOf({ VETTED_PORT: '70000', VETTED_LOG_LEVEL: 'loud' })).toEqual([
      'VETTED_PORT: must be a whole number from 0 to 65535 (got "70000")',
      'VETTED_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
    expect(problemsOf({ VETTED_BASE_URL: 'ftp://x' })[0]).toMatch(
      /^VETTED_BASE_URL: must be an absolute http/,
    );
    expect(problemsOf({ VETTED_DATABASE_URL: 'mysql://x' })[0]).toMatch(
      /^VETTED_DATABASE_URL: must start with/,
    );
    expect(problemsOf({ VETTED_TRUST_PROXY: 'maybe' })[0]).toMatch(
      /^VETTED_TRUST_PROXY: must be true or false/,
    );
    expect(problemsOf({ VETTED_ENV: 'staging' })[0]).toMatch(
      /^VETTED_ENV: must be development or production/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ VETTED_PORT: '' }, cwd).port).toBe(3000);
  });

  it('parses database URLs for SQLite files, memory and PostgreSQL with a schema', () => {
    expect(loadConfig({ VETTED_DATABASE_URL: 'sqlite:db/x.db' }, cwd).database).toEqual({
      kind: 'sqlite',
      file: join(cwd, 'db/x.db'),
    });
    expect(loadConfig({ VETTED_DATABASE_URL: 'sqlite:///var/lib/v.db' }, cwd).database).toEqual({
      kind: 'sqlite',
      file: '/var/lib/v.db',
    });
    expect(loadConfig({ VETTED_DATABASE_URL: 'sqlite::memory:' }, cwd).database).toEqual({
      kind: 'sqlite',
      file: ':memory:',
    });
    expect(
      loadConfig(
        {
          VETTED_DATABASE_URL: 'postgres://u:p@db:5432/vetted?schema=tenant_a',
          VETTED_DATABASE_POOL_MAX: '4',
        },
        cwd,
      ).database,
    ).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/vetted', schema: 'tenant_a', poolMax: 4 });
    expect(problemsOf({ VETTED_DATABASE_URL: 'postgres://db/v?schema=Robert%22;drop' })[0]).toMatch(
      /^VETTED_DATABASE_URL: \?schema= must be a lower-case SQL identifier/,
    );
  });

  describe('in production', () => {
    const production = {
      VETTED_ENV: 'production',
      VETTED_BASE_URL: 'https://id.example.com',
      VETTED_SMTP_URL: 'smtps://vetted:secret@mail.example.com:465',
    };

    it('refuses to start without a master key', () => {
      expect(problemsOf(production)).toEqual([
        'VETTED_MASTER_KEY: required in production (32 random bytes, e.g. `openssl rand -base64 32`), or set VETTED_MASTER_KEY_FILE',
      ]);
    });

    it('refuses an in-memory database and a plain-http public URL', () => {
      const problems = problemsOf({
        ...production,
        VETTED_MASTER_KEY: strongKey,
        VETTED_DATABASE_URL: 'sqlite::memory:',
        VETTED_BASE_URL: 'http://id.example.com',
      });
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^VETTED_DATABASE_URL: an in-memory database/);
      expect(problems[1]).toMatch(/^VETTED_BASE_URL: must use https/);
    });

    it('refuses to start without an SMTP server, naming the key', () => {
      const { VETTED_SMTP_URL: _smtp, ...withoutSmtp } = production;
      expect(problemsOf({ ...withoutSmtp, VETTED_MASTER_KEY: strongKey })).toEqual([
        'VETTED_SMTP_URL: required in production (smtp:// or smtps:// URL of the mail server); without it mail is only kept in the development outbox',
      ]);
    });

    it('never serves the development demo', () => {
      expect(loadConfig({ ...production, VETTED_MASTER_KEY: strongKey, VETTED_DEMO: 'true' }, cwd).demo).toBe(
        false,
      );
    });

    it('accepts https, or http on localhost, with a configured key or key file', () => {
      expect(loadConfig({ ...production, VETTED_MASTER_KEY: strongKey }, cwd).env).toBe('production');
      expect(
        loadConfig(
          { ...production, VETTED_BASE_URL: 'http://localhost:3000', VETTED_MASTER_KEY_FILE: '/run/key' },
          cwd,
        ).masterKey,
      ).toEqual({ kind: 'file', path: '/run/key', generateIfMissing: false });
    });
  });

  it('sends mail through SMTP when configured, else keeps it in the development outbox', () => {
    expect(loadConfig({}, cwd).mail).toEqual({ smtpUrl: undefined, from: 'Vetted <no-reply@localhost>' });
    expect(
      loadConfig(
        { VETTED_SMTP_URL: ' smtp://u:p@mail.example.com:587 ', VETTED_MAIL_FROM: 'ID <id@example.com>' },
        cwd,
      ).mail,
    ).toEqual({ smtpUrl: 'smtp://u:p@mail.example.com:587', from: 'ID <id@example.com>' });
    expect(problemsOf({ VETTED_SMTP_URL: 'http://mail.example.com' })).toEqual([
      'VETTED_SMTP_URL: must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587 (got "http://mail.example.com")',
    ]);
    expect(problemsOf({ VETTED_SMTP_URL: 'mail.example.com:25' })[0]).toMatch(/^VETTED_SMTP_URL: must be/);
    expect(problemsOf({ VETTED_MAIL_FROM: 'no address' })[0]).toMatch(
      /^VETTED_MAIL_FROM: must be an address/,
    );
    expect(problemsOf({ VETTED_MAIL_FROM: 'a@b.c\nBcc: x@y.z' })[0]).toMatch(/^VETTED_MAIL_FROM: /);
  });

  it('shares rate-limit counters through Redis when configured, else keeps them in the database', () => {
    expect(loadConfig({}, cwd).redisUrl).toBeUndefined();
    expect(loadConfig({ VETTED_REDIS_URL: ' rediss://u:p@cache.example.com:6380/2 ' }, cwd).redisUrl).toBe(
      'rediss://u:p@cache.example.com:6380/2',
    );
    expect(problemsOf({ VETTED_REDIS_URL: 'cache.example.com:6379' })).toEqual([
      'VETTED_REDIS_URL: must be a redis:// or rediss:// URL, e.g. redis://:password@redis.example.com:6379/0 (got "cache.example.com:6379")',
    ]);
  });

  it('hides secrets when described', () => {
    const config = loadConfig(
      {
        VETTED_MASTER_KEY: strongKey,
        VETTED_DATABASE_URL: 'postgres://vetted:hunter2@db/vetted',
        VETTED_METRICS_TOKEN: 'a-metrics-token-1234',
        VETTED_SMTP_URL: 'smtp://mailer:smtp-hunter3@mail.example.com:587',
        VETTED_REDIS_URL: 'redis://:redis-hunter4@cache.example.com:6379/0',
      },
      cwd,
    );
    const text = JSON.stringify(describeConfig(config));
    expect(text).not.toContain('smtp-hunter3');
    expect(text).not.toContain('redis-hunter4');
    expect(text).toContain('cache.example.com:6379');
    expect(text).toContain('mail.example.com:587');
    expect(text).not.toContain(strongKey);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('a-metrics-token-1234');
  });

  it('points out VETTED_* variables that are not settings, except test ones', () => {
    expect(
      unknownSettings({ VETTED_PROT: '1', VETTED_PORT: '1', VETTED_TEST_DATABASE_URL: 'x', HOME: '/' }),
    ).toEqual(['VETTED_PROT']);
  });
});
