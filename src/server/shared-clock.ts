/**
 * The simulated clock when several server instances share one database: the offset lives in
 * the store, `POST /_zcrm/clock/advance` writes it there, and every instance reads it before
 * each request. Token expiry therefore moves for all instances at once.
 */
import type { Store } from '../store/store.js';
import { AdjustableClock } from '../zoho/time.js';

export class SharedClock extends AdjustableClock {
  private current?: Promise<void>;
  private queued?: Promise<void>;

  constructor(private readonly store: Pick<Store, 'getClockOffset' | 'advanceClock'>) {
    super();
  }

  /**
   * Each caller waits for a read that began after it called, so an advance committed on another
   * instance before this request arrived is always seen. Callers arriving while a read is in
   * flight share one follow-up read: under load this costs one query per batch, not per request.
   */
  override sync(): Promise<void> {
    if (!this.current) return this.start();
    const after = () => {
      this.queued = undefined;
      return this.current ?? this.start();
    };
    this.queued ??= this.current.then(after, after);
    return this.queued;
  }

  private start(): Promise<void> {
    const read: Promise<void> = this.store.getClockOffset()
      .then((ms) => this.setOffset(ms))
      .finally(() => {
        if (this.current === read) this.current = undefined;
      });
    this.current = read;
    return read;
  }

  override async advanceShared(ms: number): Promise<void> {
    this.setOffset(await this.store.advanceClock(ms));
  }
}
