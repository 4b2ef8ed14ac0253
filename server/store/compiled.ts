import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';

const SENTINEL = '\u0000palaver-param:';

/**
 * A named placeholder for a query compiled once (see compileOnce). The value is only a marker in
 * the compiled parameters, so its type is whatever the column needs.
 */
export function param<T>(name: string): T {
  return `${SENTINEL}${name}` as T;
}

export type StatementValues = Record<string, unknown>;

/** SQL text in the store's dialect, and how to order a call's values into its parameters. */
export interface CompiledStatement<Row> {
  readonly sql: string;
  bind(values: StatementValues): unknown[];
  /** Only carries the row type. */
  readonly row?: Row;
}

/**
 * Builds and compiles a query once. Building and compiling with Kysely's query builder was ~29 %
 * of the server's CPU per message (bench/realtime.ts): the hot statements pay it at start only.
 */
export function compileOnce<Row>(query: Compilable<Row>): CompiledStatement<Row> {
  const compiled = query.compile();
  const slots = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(SENTINEL)
      ? { name: value.slice(SENTINEL.length) }
      : { value },
  );
  return {
    sql: compiled.sql,
    bind: (values) => slots.map((slot) => ('name' in slot ? values[slot.name] : slot.value)),
  };
}

/** A statement with no parameters, in SQL both dialects read alike. */
export function plainStatement(text: string): CompiledStatement<never> {
  return { sql: text, bind: () => [] };
}

/** Runs a statement compiled once; the first row it returns, if any. */
export type StatementRunner = <Row>(
  statement: CompiledStatement<Row>,
  values: StatementValues,
) => Promise<Row | undefined>;

/** What runnerOf needs of a Kysely instance or transaction. */
interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/** A runner over a Kysely instance or transaction (its driver, without the query builder). */
export function runnerOf(db: Executor): StatementRunner {
  return async <Row>(statement: CompiledStatement<Row>, values: StatementValues) => {
    const result = await db.executeQuery<Row>(
      CompiledQuery.raw(statement.sql, statement.bind(values)),
    );
    return result.rows[0];
  };
}
