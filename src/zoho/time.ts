/** Zoho prints times as ISO 8601 with seconds and a numeric offset, no milliseconds. */
export function formatZohoTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export interface Clock {
  now(): number;
}

/** A clock that can be moved forward, so token lifetimes can be tested without waiting. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  get offset(): number {
    return this.offsetMs;
  }
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
  /** Brings the offset up to date before a request; an in-process clock always is (nothing to wait for). */
  sync(): Promise<void> | void {}
  /** Moves the clock forward for every server that shares it; here, this process only. */
  async advanceShared(ms: number): Promise<void> {
    this.advance(ms);
  }
}
