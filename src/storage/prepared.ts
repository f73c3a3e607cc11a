import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

const MARK = '\u0000vetted-param:';

/**
 * A query that Kysely builds and compiles once; each call binds new values to the same SQL. Building and
 * compiling cost more than running a primary-key lookup, so the hottest queries (token, user and
 * verification lookups on every OAuth call) are prepared this way. `param(name)` stands for a value given
 * at call time; any other value in the query is fixed.
 */
export function prepareQuery<Params extends Record<string, unknown>, Row>(
  db: Kysely<Schema>,
  build: (param: (name: keyof Params & string) => never) => Compilable<Row>,
): (params: Params) => Promise<Row[]> {
  const compiled = build((name) => `${MARK}${name}` as never).compile();
  const slots = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(MARK) ? value.slice(MARK.length) : undefined,
  );
  return async (params) => {
    const values = slots.map((name, index) =>
      name === undefined ? compiled.parameters[index] : params[name],
    );
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, values));
    return result.rows;
  };
}
