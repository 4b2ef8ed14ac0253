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

/** A statement to run and the values to bind; the program receives its first row back. */
export interface Step {
  statement: CompiledStatement<unknown>;
  values: StatementValues;
}

/**
 * Statements run one after the other, each depending on the rows before: written once as a
 * generator, run synchronously (runProgram) or through an async driver (runProgramAsync).
 */
export type StatementProgram<T> = Generator<Step, T, unknown>;

/** Runs a statement inside a StatementProgram: `const row = yield* query(statement, values)`. */
export function* query<Row>(
  statement: CompiledStatement<Row>,
  values: StatementValues,
): StatementProgram<Row | undefined> {
  return (yield { statement, values }) as Row | undefined;
}

/** Runs a statement compiled once; its first row, if any. */
export type SyncStatementRunner = (step: Step) => unknown;

export function runProgram<T>(program: StatementProgram<T>, run: SyncStatementRunner): T {
  let next = program.next();
  while (!next.done) next = program.next(run(next.value));
  return next.value;
}

/** What runProgramAsync needs of a Kysely instance or transaction. */
interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/** Runs a program through Kysely's driver (without its query builder). */
export async function runProgramAsync<T>(program: StatementProgram<T>, db: Executor): Promise<T> {
  let next = program.next();
  while (!next.done) {
    const { statement, values } = next.value;
    const result = await db.executeQuery(CompiledQuery.raw(statement.sql, statement.bind(values)));
    next = program.next(result.rows[0]);
  }
  return next.value;
}

/** Runs one compiled statement through Kysely's driver; its first row, if any. */
export function runStatement<Row>(
  db: Executor,
  statement: CompiledStatement<Row>,
  values: StatementValues,
): Promise<Row | undefined> {
  return runProgramAsync(query(statement, values), db);
}

/** Runs one compiled statement through Kysely's driver; all its rows. */
export async function runStatementRows<Row>(
  db: Executor,
  statement: CompiledStatement<Row>,
  values: StatementValues,
): Promise<Row[]> {
  const result = await db.executeQuery(CompiledQuery.raw(statement.sql, statement.bind(values)));
  return result.rows as Row[];
}
