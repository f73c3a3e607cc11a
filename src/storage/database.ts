import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/load.ts';
import { SQLITE_MEMORY } from '../config/load.ts';
import type { Schema } from './schema.ts';
import { startBackgroundCheckpoints } from './sqlite-checkpointer.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  /** The PostgreSQL schema in use when not the default one. */
  readonly schema: string | undefined;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const PG_UNIQUE_VIOLATION = '23505';

export async function openDatabase(
  config: DatabaseConfig,
  onError: (error: Error) => void = () => undefined,
): Promise<Database> {
  return config.kind === 'sqlite' ? openSqlite(config.file, onError) : openPostgres(config, onError);
}

function openSqlite(file: string, onError: (error: Error) => void): Database {
  if (file !== SQLITE_MEMORY) mkdirSync(dirname(file), { recursive: true });
  const connection = new SqliteDatabase(file);
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
  // 64 MiB of page cache instead of 2 MiB: tokens and sessions are read right after they are written.
  connection.pragma('cache_size = -65536');
  const checkpointer =
    file === SQLITE_MEMORY
      ? undefined
      : startBackgroundCheckpoints(connection, file, {
          onError: (message) => onError(new Error(`sqlite checkpoints: ${message}`)),
        });
  const db = new Kysely<Schema>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(connection) }),
  });
  const database = wrap(db, 'sqlite', undefined);
  return {
    ...database,
    async close() {
      await checkpointer?.stop();
      await database.close();
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; with better-sqlite3 preparing costs more than running. Prepared
 * statements are reused per SQL text (bounded, oldest dropped first).
 */
function withStatementCache(connection: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = connection.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value ?? '');
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

async function openPostgres(
  config: Extract<DatabaseConfig, { kind: 'postgres' }>,
  onPoolError: (error: Error) => void,
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    types: typeParsers(),
    ...(config.schema === undefined ? {} : { options: `-c search_path=${config.schema}` }),
  });
  pool.on('error', onPoolError);
  if (config.schema !== undefined) {
    // The schema name was validated as a plain identifier when the configuration was loaded.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`).catch(async (error: unknown) => {
      // Two instances creating the schema at once: one wins, the other sees a unique violation.
      if ((error as { code?: string }).code === PG_UNIQUE_VIOLATION) return;
      await pool.end();
      throw error;
    });
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return wrap(db, 'postgres', config.schema);
}

/** Times are stored as epoch milliseconds in bigint columns; they fit a JavaScript number. */
function typeParsers(): pg.TypeOverrides {
  const overrides = new pg.TypeOverrides();
  overrides.setTypeParser(pg.types.builtins.INT8, Number);
  return overrides;
}

function wrap(db: Kysely<Schema>, dialect: Dialect, schema: string | undefined): Database {
  return {
    db,
    dialect,
    schema,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
