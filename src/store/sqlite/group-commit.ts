/**
 * Group commit: write work that arrives within one event-loop turn runs in one SQLite transaction,
 * so one commit serves many concurrent requests instead of one each.
 *
 * Each caller's work runs inside its own savepoint: if it throws, only that caller's changes are
 * rolled back and only that caller's promise rejects; the others commit. Promises settle only
 * after the shared COMMIT has returned, so an acknowledged answer still means committed; if the
 * transaction cannot begin or commit, every caller in it is rejected and nothing is applied.
 */
import type Database from 'better-sqlite3';

interface Job {
  work: () => unknown;
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
          out.push({ ok: true, value: isolated(job.work) });
        } catch (error) {
          out.push({ ok: false, error });
        }
      }
    });
  }

  /** Queues synchronous work for the next shared transaction; settles once it has committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
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
