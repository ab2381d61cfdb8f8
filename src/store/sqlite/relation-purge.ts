/**
 * The purge of relations by related record (`relations_rev`, schema migration 5).
 *
 * A delink marks the relation row gone (migration 6), and a trigger queues the pair in
 * `relations_purge`; so does deleting a record with its relations. Reverse entries are candidates
 * that every read checks against the live rows of `relations`, so a queued entry is never seen. The
 * purge drops queued reverse entries whose relation is still gone, then deletes the rows still
 * marked gone (one linked back in the meantime is live again, and keeps its entry, unwritten), in
 * small transactions shared with the requests of the moment (group commit): when the queue passes
 * PURGE_AT, and to the end once delinks pause. The queue is a table, so a crash loses nothing: the
 * purge resumes after a restart.
 */
import type Database from 'better-sqlite3';
import type { GroupCommit } from './group-commit.js';

/** Queued entries above which the purge runs while writes go on. */
export const PURGE_AT = 20_000;
/** Entries checked per purge transaction: small, as requests share it. */
const CHUNK = 500;
/** Once nothing was queued for this long, the purge runs to the end of the queue. */
const IDLE_MS = 1000;

export class RelationPurge {
  /** Entries queued and not yet purged (estimated from the queue's sequence numbers at start). */
  private backlog: number;
  private running = false;
  private stopped = false;
  private lastQueued = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly first: Database.Statement;
  private readonly stale: Database.Statement;
  private readonly dropGone: Database.Statement;
  private readonly dropRev: Database.Statement;
  private readonly dequeue: Database.Statement;

  constructor(db: Database.Database, private readonly group: GroupCommit) {
    this.first = db.prepare('SELECT min(seq) FROM relations_purge').pluck();
    // One look per queued pair: those whose relation is not live (deleted, or marked gone by a
    // delink), probed in key order. Most pairs of a busy queue are linked back by then.
    this.stale = db.prepare(`SELECT p.org_id, p.relation, p.left_id, p.right_id FROM relations_purge p
      WHERE p.seq BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM relations r
        WHERE r.org_id = p.org_id AND r.relation = p.relation AND r.left_id = p.left_id AND r.right_id = p.right_id AND r.gone = 0)`).raw();
    this.dropGone = db.prepare('DELETE FROM relations WHERE org_id = ? AND relation = ? AND left_id = ? AND right_id = ? AND gone = 1');
    this.dropRev = db.prepare('DELETE FROM relations_rev WHERE org_id = ? AND relation = ? AND right_id = ? AND left_id = ?');
    this.dequeue = db.prepare('DELETE FROM relations_purge WHERE seq <= ?');
    // Two statements: SQLite finds a lone min() or max() of the key in the B-tree, but scans the whole
    // table for both at once (32 ms at start-up with 284k entries queued, against 0.1 ms).
    const lo = this.first.get() as bigint | null;
    const hi = db.prepare('SELECT max(seq) FROM relations_purge').pluck().get() as bigint | null;
    this.backlog = lo === null || hi === null ? 0 : Number(hi - lo) + 1;
    this.timer = setInterval(() => {
      if (this.backlog > 0 && Date.now() - this.lastQueued >= IDLE_MS) this.start();
    }, IDLE_MS);
    this.timer.unref();
  }

  /** `n` more entries were queued (by the delete trigger). */
  queued(n: number): void {
    this.backlog += n;
    this.lastQueued = Date.now();
    if (this.backlog >= PURGE_AT) this.start();
  }

  /** Purges the whole queue now; resolves with the reverse entries dropped. */
  async drain(): Promise<number> {
    let dropped = 0;
    for (;;) {
      const r = await this.group.run(() => this.chunk());
      dropped += r.dropped;
      if (!r.more) break;
    }
    this.backlog = 0;
    return dropped;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    setImmediate(() => this.step());
  }

  private step(): void {
    if (this.stopped) {
      this.running = false;
      return;
    }
    this.group.run(() => this.chunk()).then((r) => {
      this.backlog = r.more ? Math.max(0, this.backlog - r.checked) : 0;
      const idle = Date.now() - this.lastQueued >= IDLE_MS;
      if (!this.stopped && r.more && (idle || this.backlog >= PURGE_AT / 2)) setImmediate(() => this.step());
      else this.running = false;
    }, () => {
      // The transaction failed (it is retried at the next trigger): nothing was dequeued.
      this.running = false;
    });
  }

  /** One purge step (the next CHUNK sequence numbers of the queue); runs inside a transaction. */
  private chunk(): { checked: number; dropped: number; more: boolean } {
    const lo = this.first.get() as bigint | null;
    if (lo === null) return { checked: 0, dropped: 0, more: false };
    const hi = lo + BigInt(CHUNK - 1);
    let dropped = 0;
    for (const [org, relation, left, right] of this.stale.all(lo, hi) as [string, string, bigint, bigint][]) {
      // A pair can be queued more than once (delinked, linked back, delinked again): the later looks find nothing.
      this.dropGone.run(org, relation, left, right);
      dropped += this.dropRev.run(org, relation, right, left).changes;
    }
    const checked = this.dequeue.run(hi).changes;
    return { checked, dropped, more: this.first.get() !== null };
  }
}
