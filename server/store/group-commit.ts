import { appendInTransaction, type AppendStatements } from './append.js';
import { plainStatement, type StatementRunner } from './compiled.js';
import type { AppendedMessage, NewMessage } from './port.js';

/** The connection a group commit writes on. */
export interface GroupCommitConnection {
  /** Runs `work` while no other query may use the connection. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Runs statements on it directly, without the query builder's per-query overhead. */
  run: StatementRunner;
}

interface Pending {
  message: NewMessage;
  resolve: (appended: AppendedMessage) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: the appends that arrive in one turn of the event loop (every socket
 * read of that turn) share one transaction, each in a savepoint of its own so that one failing
 * append fails alone. A commit is the dearest part of a small write, and SQLite has one writer
 * anyway, so many messages per commit is what lets one core store 10,000+ messages a second
 * (bench/realtime.ts). Every promise still resolves only after the commit that holds its message.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly control = {
    begin: plainStatement('begin'),
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
    const outcomes: Array<{ ok: true; value: AppendedMessage } | { ok: false; error: unknown }> =
      [];
    const { run } = this.connection;
    try {
      await this.connection.exclusive(async () => {
        await run(this.control.begin, {});
        try {
          for (const item of batch) {
            try {
              const value = await appendInTransaction(
                (work) => this.inSavepoint(work),
                this.statements,
                item.message,
              );
              outcomes.push({ ok: true, value });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
          await run(this.control.commit, {});
        } catch (error) {
          await run(this.control.rollback, {}).catch(() => undefined);
          throw error;
        }
      });
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

  private async inSavepoint<T>(work: (run: StatementRunner) => Promise<T>): Promise<T> {
    const { run } = this.connection;
    await run(this.control.savepoint, {});
    try {
      const value = await work(run);
      await run(this.control.release, {});
      return value;
    } catch (error) {
      await run(this.control.rollbackToSavepoint, {});
      await run(this.control.release, {});
      throw error;
    }
  }
}
