import { appendProgram, type AppendStatements } from './append.js';
import {
  plainStatement,
  runProgram,
  type CompiledStatement,
  type SyncStatementRunner,
} from './compiled.js';
import type { AppendedMessage, NewMessage } from './conversations-port.js';
import { isUniqueViolation } from './unique-violation.js';

/** The connection a group commit writes on. */
export interface GroupCommitConnection {
  /** Runs `work` while no other query may use the connection. */
  exclusive<T>(work: () => T): Promise<T>;
  /** Runs a statement on it directly and synchronously, without the query builder. */
  run: SyncStatementRunner;
}

type Outcome = { ok: true; value: AppendedMessage } | { ok: false; error: unknown };

interface Pending {
  message: NewMessage;
  resolve: (appended: AppendedMessage) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: the appends that arrive in one turn of the event loop (every socket
 * read of that turn) share one transaction, each in a savepoint of its own so that one failing
 * append fails alone. A commit is the dearest part of a small write, and SQLite has one writer
 * anyway: sharing commits is a large part of how one core went from ~2,600 to ~8,000 messages
 * a second (bench/realtime.ts). Every promise still resolves only after the commit that holds its message.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly control = {
    // Holds the write lock from the start, as every SQLite transaction here does (sqlite.ts).
    begin: plainStatement('begin immediate'),
    commit: plainStatement('commit'),
    rollback: plainStatement('rollback'),
    savepoint: plainStatement('savepoint palaver_append'),
    release: plainStatement('release savepoint palaver_append'),
    rollbackToSavepoint: plainStatement('rollback to savepoint palaver_append'),
  };

  constructor(
    private readonly connection: GroupCommitConnection,
    private readonly statements: AppendStatements,
  ) {}

  append(message: NewMessage): Promise<AppendedMessage> {
    return new Promise((resolve, reject) => {
      this.pending.push({ message, resolve, reject });
      if (this.pending.length === 1 && !this.flushing) setImmediate(() => this.flush());
    });
  }

  /** Resolves once every append queued so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      await (this.flushing ?? new Promise((resolve) => setImmediate(resolve)));
    }
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.commit(batch).finally(() => {
      this.flushing = null;
      if (this.pending.length > 0) setImmediate(() => this.flush());
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.connection.exclusive(() => this.writeAll(batch));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  /** One transaction, synchronous from BEGIN to COMMIT: nothing else can interleave. */
  private writeAll(batch: Pending[]): Outcome[] {
    this.exec(this.control.begin);
    try {
      const outcomes = batch.map((item): Outcome => {
        try {
          return { ok: true, value: this.appendOne(item.message) };
        } catch (error) {
          return { ok: false, error };
        }
      });
      this.exec(this.control.commit);
      return outcomes;
    } catch (error) {
      this.exec(this.control.rollback);
      throw error;
    }
  }

  private appendOne(message: NewMessage): AppendedMessage {
    try {
      return this.inSavepoint(message);
    } catch (error) {
      // Lost a race with another writer on the same file (the same client id, or the visitor's
      // first conversation): run once more, the append finds what that writer stored.
      if (!isUniqueViolation(error)) throw error;
      return this.inSavepoint(message);
    }
  }

  private inSavepoint(message: NewMessage): AppendedMessage {
    this.exec(this.control.savepoint);
    try {
      const value = runProgram(appendProgram(this.statements, message), this.connection.run);
      this.exec(this.control.release);
      return value;
    } catch (error) {
      this.exec(this.control.rollbackToSavepoint);
      this.exec(this.control.release);
      throw error;
    }
  }

  private exec(statement: CompiledStatement<never>): void {
    this.connection.run({ statement, values: {} });
  }
}
