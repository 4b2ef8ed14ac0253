import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { errorCode, isNetworkFailure, StoreUnavailableError } from './unavailable.js';

/**
 * SQLSTATEs of a server that cannot serve right now: connection exceptions (class 08),
 * insufficient resources (53: disk full, out of memory, too many connections), shutting down or
 * starting up (57P01–57P03), a statement cancelled by a server-side `statement_timeout` (57014),
 * and a read-only server where the primary was (25006: a connection left on a demoted primary
 * after a failover).
 */
export function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    ['57P01', '57P02', '57P03', '57014', '25006'].includes(code)
  );
}

/** A query that got no answer in time: its connection is not trusted again. */
class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

/**
 * The pool Kysely queries through: pg's, with three guarantees a chat server needs.
 * - Every query answers within `deadlineMs`. pg's own `query_timeout` fails the query but keeps
 *   the connection, which after a silent network fault is dead: the next query on it would hang
 *   the same way.
 * - Failures that mean "the database cannot answer right now" become StoreUnavailableError, told
 *   apart by class and code: a server error's SQLSTATE, a socket error's code, a connection that
 *   reported itself broken, our own deadline. Anything else (a constraint, a bug) passes as is.
 * - A connection that failed that way is closed, not pooled again; and once one has, the idle ones
 *   from before it are not trusted either (they most likely went down the same way), so that the
 *   first requests after an outage do not each find a dead connection.
 */
export class GuardedPool implements PostgresPool {
  /** Bumped whenever a connection turns out dead. */
  deaths = 0;
  private readonly guarded = new WeakMap<pg.PoolClient, GuardedClient>();

  constructor(
    private readonly pool: pg.Pool,
    readonly deadlineMs: number,
  ) {
    // An idle client losing its server (restart, failover) reports on the pool, a checked-out one
    // on itself; pg emits either with no listener attached, which would end the process.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => this.guarded.set(client, new GuardedClient(client, this)));
  }

  async connect(): Promise<PostgresPoolClient> {
    for (;;) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        this.deaths++;
        throw new StoreUnavailableError(error);
      }
      const guarded = this.guarded.get(client)!;
      if (guarded.trustedAt >= this.deaths) return guarded;
      client.release(true);
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

class GuardedClient implements PostgresPoolClient {
  private broken = false;
  /** `deaths` as of this connection's last answer: it was alive after them. */
  trustedAt: number;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly pool: GuardedPool,
  ) {
    this.trustedAt = pool.deaths;
    client.on('error', () => this.die());
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') return this.client.query(sqlOrCursor as never);
    return this.run<R>(sqlOrCursor, parameters);
  }

  release(): void {
    this.client.release(this.broken);
  }

  private async run<R>(
    sql: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> {
    // A transaction's rollback after a lost connection must not wait for another deadline.
    if (this.broken) throw new StoreUnavailableError(new Error('The connection was lost'));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DeadlineExceeded(`PostgreSQL did not answer within ${this.pool.deadlineMs} ms`),
          ),
        this.pool.deadlineMs,
      );
    });
    const pending = this.client.query(sql, [...parameters]) as unknown as Promise<
      PostgresQueryResult<R>
    >;
    try {
      const result = await Promise.race([pending, deadline]);
      this.trustedAt = this.pool.deaths;
      return result;
    } catch (error) {
      if (!this.unavailable(error)) throw error;
      if (error instanceof DeadlineExceeded) pending.catch(() => undefined);
      // A statement the server cancelled by its own timeout leaves the connection usable.
      if (errorCode(error) !== '57014') this.die();
      throw new StoreUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private unavailable(error: unknown): boolean {
    if (error instanceof pg.DatabaseError) return isUnavailableSqlState(error.code ?? '');
    return error instanceof DeadlineExceeded || this.broken || isNetworkFailure(error);
  }

  private die(): void {
    if (this.broken) return;
    this.broken = true;
    this.pool.deaths++;
  }
}
