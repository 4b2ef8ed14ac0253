import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';
import type { GroupCommitConnection } from './group-commit.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';
import { errorCode, StoreUnavailableError } from './unavailable.js';

/** The embedded default: one file, WAL journal, migrations applied on open. */
export async function openSqliteStore(file: string): Promise<KyselyStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL is durable against process crashes, which is what an ack promises.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Each append runs in a savepoint (group-commit.ts), whose journal would otherwise be a file.
  database.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }),
  });
  await migrateToLatest(db as Kysely<unknown>);
  // The group commit's statements are a fixed few: prepared once each, past the LRU's bookkeeping.
  const prepared = new WeakMap<object, BetterSqlite3.Statement<unknown[]>>();
  const groupCommit: GroupCommitConnection = {
    // Kysely's driver hands its one connection to one query or transaction at a time.
    exclusive: (work) => db.connection().execute(() => Promise.resolve(work())),
    run: ({ statement, values }) =>
      unavailableWhenBusy(() => {
        let ready = prepared.get(statement);
        if (!ready) {
          ready = database.prepare(statement.sql);
          prepared.set(statement, ready);
        }
        const parameters = statement.bind(values);
        if (ready.reader) return ready.get(...parameters);
        ready.run(...parameters);
        return undefined;
      }),
  };
  if (file === ':memory:') return new KyselyStore(db, 'sqlite', { groupCommit });
  const checkpointer = startCheckpointer(file, database);
  return new KyselyStore(db, 'sqlite', { groupCommit, beforeClose: () => checkpointer.stop() });
}

/**
 * Kysely begins SQLite transactions deferred: one that reads, then writes, fails at once with
 * SQLITE_BUSY when another process wrote in between (the busy timeout cannot help an upgrade).
 * Immediate transactions wait for the write lock first, so a second process on the same file (two
 * starting together, a restart overlapping the old process) takes its turn instead of failing.
 * SQLite's schema changes are transactional too, so the migrator applies pending migrations in
 * one such transaction: the first process to get the lock migrates, the next finds them applied.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * SQLite result codes (extended ones included) of a database that cannot answer right now: locked
 * by another process past the busy timeout, a failing disk, a full disk.
 */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL)(_|$)/;

/** Runs a driver call, turning "cannot answer right now" failures into StoreUnavailableError. */
function unavailableWhenBusy<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof BetterSqlite3.SqliteError && UNAVAILABLE_CODES.test(errorCode(error)!)) {
      throw new StoreUnavailableError(error);
    }
    throw error;
  }
}

/** How often the background connection copies the WAL back into the database file. */
const CHECKPOINT_INTERVAL_MS = 50;
/**
 * WAL pages after which a commit on the main connection checkpoints by itself: only a fallback
 * for write bursts the background connection has not caught up with (SQLite's default is 1000).
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 4000;

const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
// A failed attempt is retried at the next tick; the main connection's fallback bounds the WAL.
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try {
    db.close();
  } finally {
    parentPort.close();
  }
});
`;

/**
 * SQLite's automatic checkpoint runs inside the commit that crosses 1000 WAL pages (every ~150
 * message appends) and fsyncs the WAL and the database file: 3–6 ms during which the event loop
 * is blocked, the whole p99 of an append (bench/store.ts). A worker thread with its own
 * connection checkpoints instead (PASSIVE: it never blocks readers or the writer), so the main
 * thread never waits for the disk. If the worker fails, the main connection checkpoints as before.
 */
function startCheckpointer(file: string, database: BetterSqlite3.Database) {
  database.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {
    if (!stopping && database.open) database.pragma('wal_autocheckpoint = 1000');
  });
  return {
    async stop(): Promise<void> {
      stopping = true;
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** Distinct SQL texts kept prepared; queries with `in (…)` lists make one text per list length. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew, and parsing and planning the SQL was ~12 % of
 * the identity pipeline's CPU time (bench/identity.ts). A query builder compiles to the same text
 * every time, so prepared statements are reused by text (least recently used ones dropped).
 * Reuse is safe: Kysely runs one query at a time on the connection, streams included.
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = guarded(unavailableWhenBusy(() => database.prepare(sql)));
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/** The statement as Kysely runs it, its failures classified by `unavailableWhenBusy`. */
function guarded(statement: BetterSqlite3.Statement): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => unavailableWhenBusy(() => statement.all(parameters)),
    run: (parameters) => unavailableWhenBusy(() => statement.run(parameters)),
    *iterate(parameters) {
      const rows = unavailableWhenBusy(() => statement.iterate(parameters));
      for (;;) {
        const next = unavailableWhenBusy(() => rows.next());
        if (next.done) return;
        yield next.value;
      }
    },
  };
}
