/**
 * Edition limits per org (SPEC §8): concurrency caps and daily API credits on a rolling
 * 24-hour window. Off unless an org's edition is set (`PUT /_zcrm/orgs/{org}/edition`).
 *
 * Credits follow Zoho's 2020 table (Kaizen #34, "API credits", the v2-era table; ZOHO-FACTS.md §8):
 * base + per-user credits, capped per edition. Concurrency per org follows Kaizen #93/#203.
 * Credits are counted in the database in per-minute buckets, so instances sharing a database
 * share them; so is the concurrency count (one lease row per call in flight).
 */
import { randomUUID } from 'node:crypto';
import type { Org, OrgSettings } from '../store/store.js';
import { errors } from '../zoho/errors.js';
import type { AppContext } from './context.js';

export const EDITION_NAMES = ['Free', 'Standard', 'Professional', 'Enterprise', 'Ultimate'] as const;
export type Edition = (typeof EDITION_NAMES)[number];

interface EditionLimits {
  concurrency: number;
  baseCredits: number;
  creditsPerUser: number;
  /** Upper bound of the daily credits; null = none. */
  maxCredits: number | null;
}

export const EDITIONS: Record<Edition, EditionLimits> = {
  Free: { concurrency: 5, baseCredits: 5_000, creditsPerUser: 0, maxCredits: 5_000 },
  Standard: { concurrency: 10, baseCredits: 5_000, creditsPerUser: 250, maxCredits: 100_000 },
  Professional: { concurrency: 15, baseCredits: 10_000, creditsPerUser: 500, maxCredits: 500_000 },
  Enterprise: { concurrency: 20, baseCredits: 15_000, creditsPerUser: 1_000, maxCredits: 1_000_000 },
  Ultimate: { concurrency: 25, baseCredits: 15_000, creditsPerUser: 2_000, maxCredits: null },
};

const WINDOW_MINUTES = 24 * 60;

/** The canonical edition name for any spelling, or undefined. */
export function parseEdition(raw: unknown): Edition | undefined {
  if (typeof raw !== 'string') return undefined;
  return EDITION_NAMES.find((e) => e.toLowerCase() === raw.toLowerCase());
}

export function editionOf(settings: OrgSettings): Edition | undefined {
  return parseEdition(settings.edition);
}

/** Daily credits: base + users × per-user, at most the edition's maximum. */
export function dailyCredits(edition: Edition, users: number): number {
  const e = EDITIONS[edition];
  const computed = e.baseCredits + e.creditsPerUser * Math.max(0, users);
  return e.maxCredits === null ? computed : Math.min(computed, e.maxCredits);
}

/**
 * What a call costs, as Zoho charges: 1 credit per call; insert and update of records
 * 1 credit per 10 records (ZOHO-FACTS.md §8).
 */
export function creditCost(method: string, segments: string[], body: Buffer | undefined): number {
  const recordsWrite = (method === 'POST' || method === 'PUT') && segments.length >= 1 && segments.length <= 2 &&
    segments[0] !== 'settings' && segments[0] !== 'users' && segments[0] !== 'org';
  if (!recordsWrite || !body || body.length === 0) return 1;
  try {
    const data = (JSON.parse(body.toString('utf8')) as { data?: unknown }).data;
    return Array.isArray(data) && data.length > 10 ? Math.ceil(data.length / 10) : 1;
  } catch {
    return 1;
  }
}

export interface Admission {
  release(): void;
  /** Credits left, reported once half of them are used (`X-API-CREDITS-REMAINING`). */
  remaining?: number;
}

export interface LimitStatus {
  edition: Edition | null;
  concurrency_limit: number | null;
  in_flight: number;
  credits_limit: number | null;
  credits_used: number;
  credits_remaining: number | null;
}

/** A lease left by an instance that died frees its slot after this long. */
const LEASE_TTL_MS = 5 * 60_000;

const concurrencyExceeded = () => errors.tooManyRequests('You have exceeded the concurrency limit of your edition');

export class Limits {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly ctx: AppContext) {}

  private async creditLimit(org: Org, edition: Edition): Promise<number> {
    const override = org.settings.editionCredits;
    if (typeof override === 'number') return override;
    const licensed = org.settings.editionUsers;
    const users = typeof licensed === 'number' ? licensed : (await this.ctx.store.listUsers(org.id)).length;
    return dailyCredits(edition, users);
  }

  private window(): { minute: number; sinceMinute: number } {
    const minute = Math.floor(this.ctx.clock.now() / 60_000);
    return { minute, sinceMinute: minute - WINDOW_MINUTES + 1 };
  }

  /** Admits one call of an org, or throws 429 TOO_MANY_REQUESTS; undefined when the org has no edition. */
  async admit(org: Org, cost: number): Promise<Admission | undefined> {
    const edition = editionOf(org.settings);
    if (!edition) return undefined;
    const cap = EDITIONS[edition].concurrency;
    const n = this.inFlight.get(org.id) ?? 0;
    // This instance's own count refuses without a database call; the lease below counts every instance.
    if (n >= cap) throw concurrencyExceeded();
    // Count the call in flight before awaiting, so concurrent calls see it.
    this.inFlight.set(org.id, n + 1);
    let leaseId: string | undefined;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(org.id) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(org.id);
      else this.inFlight.set(org.id, left);
      if (leaseId) {
        this.ctx.store.releaseLease(org.id, leaseId).catch((err: unknown) => this.ctx.log.warn({ err }, 'releasing a concurrency lease failed'));
      }
    };
    try {
      const now = this.ctx.clock.now();
      const id = randomUUID();
      if (!(await this.ctx.store.acquireLease(org.id, id, cap, now, now + LEASE_TTL_MS))) throw concurrencyExceeded();
      leaseId = id;
      const limit = await this.creditLimit(org, edition);
      const charged = await this.ctx.store.chargeCredits(org.id, { ...this.window(), cost, limit });
      if (!charged.ok) throw errors.tooManyRequests('You have exceeded the API credits of your edition for the last 24 hours');
      return { release, remaining: charged.used * 2 >= limit ? Math.max(0, limit - charged.used) : undefined };
    } catch (e) {
      release();
      throw e;
    }
  }

  async status(org: Org): Promise<LimitStatus> {
    const edition = editionOf(org.settings) ?? null;
    const inFlight = this.inFlight.get(org.id) ?? 0;
    if (!edition) {
      return { edition, concurrency_limit: null, in_flight: inFlight, credits_limit: null, credits_used: 0, credits_remaining: null };
    }
    const limit = await this.creditLimit(org, edition);
    const { used } = await this.ctx.store.chargeCredits(org.id, { ...this.window(), cost: 0, limit });
    // With an edition every call in flight holds a lease: count them on every server sharing the database.
    const shared = await this.ctx.store.countLeases(org.id, this.ctx.clock.now());
    return {
      edition, concurrency_limit: EDITIONS[edition].concurrency, in_flight: shared,
      credits_limit: limit, credits_used: used, credits_remaining: Math.max(0, limit - used),
    };
  }
}
