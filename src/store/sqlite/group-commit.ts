/**
 * Group commit: write work that arrives within one event-loop turn runs in one SQLite transaction,
 * so one commit serves many concurrent requests instead of one each.
 *
 * Each caller's work runs inside its own savepoint: if it throws, only that caller's changes are
 * rolled back and only that caller's promise rejects; the others commit. Work that writes with a
 * single statement (one delink, one link) needs no savepoint: SQLite undoes a failed statement by
 * itself, and an error that ends the whole transaction fails the batch. Promises settle only
 * after the shared COMMIT has returned, so an acknowledged answer still means committed; if the
 * transaction cannot begin or commit, every caller in it is rejected and nothing is applied.
 */
import type Database from 'better-sqlite3';

interface Job {
  work: () => unknown;
  /** At most one write statement: a failure leaves nothing of it behind without a savepoint. */
  atomic: boolean;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private queue: Job[] = [];
  private scheduled = false;
  private readonly batch: Database.Transaction<(jobs: Job[], out: Outcome[]) => void>;
  /** Transactions committed so far, each for one batch of callers. */
  batches = 0;

  constructor(db: Database.Database) {
    // Called inside `batch`, a better-sqlite3 transaction function becomes a savepoint.
    const isolated = db.transaction((work: () => unknown) => work());
    this.batch = db.transaction((jobs: Job[], out: Outcome[]) => {
      if (jobs.length === 1) {
        out.push({ ok: true, value: jobs[0].work() });
        return;
      }
      for (const job of jobs) {
        try {
          out.push({ ok: true, value: job.atomic ? job.work() : isolated(job.work) });
        } catch (error) {
          // SQLite ends the transaction itself on some errors (disk full, I/O): then nothing commits.
          if (!db.inTransaction) throw error;
          out.push({ ok: false, error });
        }
      }
    });
  }

  /**
   * Queues synchronous work for the next shared transaction; settles once it has committed.
   * `atomic`: the work writes with at most one statement, so it runs without a savepoint.
   */
  run<T>(work: () => T, atomic = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, atomic, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after this turn's I/O callbacks: every request read in this turn joins.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs everything queued now (also called before the database closes). */
  flush(): void {
    this.scheduled = false;
    const jobs = this.queue;
    if (jobs.length === 0) return;
    this.queue = [];
    const out: Outcome[] = [];
    try {
      this.batch.immediate(jobs, out);
    } catch (error) {
      // Nothing committed (a single caller's own error lands here too): every caller learns it.
      for (const job of jobs) job.reject(error);
      return;
    }
    this.batches++;
    jobs.forEach((job, i) => {
      const o = out[i];
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }
}
