/** Times formatted lately, by whole second: a page of records mostly repeats a few (at most MEMO_SIZE kept). */
const memo = new Map<number, string>();
const MEMO_SIZE = 1024;

/** Zoho prints times as ISO 8601 with seconds and a numeric offset, no milliseconds. */
export function formatZohoTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  let text = memo.get(second);
  if (text === undefined) {
    text = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(second, text);
  }
  return text;
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
