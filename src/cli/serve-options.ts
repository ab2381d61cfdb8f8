/** The `serve` flags for the request log and fault rules (declared once: flag, env variable, help). */
import { opt } from './options.js';

export interface ReliabilityCliOptions {
  requestLogSize: string;
  faultSeed: string;
  scenario?: string;
  requestTimeout: string;
}

export const requestLogSizeOption = () => opt('--request-log-size <n>', 'calls kept by the request log (/_zcrm/requests)', 'ZCRM_REQUEST_LOG_SIZE', '1000');
export const requestTimeoutOption = () => opt('--request-timeout <ms>', 'time for a whole request to arrive before the client is cut off (headers: at most 10 s)', 'ZCRM_REQUEST_TIMEOUT', '30000');
export const scenarioOption = () => opt('--scenario <file>', 'scenario (JSON) to load at start-up: orgs, users, records, relations, editions, fault rules', 'ZCRM_SCENARIO');
export const faultSeedOption = () => opt('--fault-seed <n>', 'seed of the fault rules\' random draws', 'ZCRM_FAULT_SEED', '1');

function integer(raw: string, flag: string, min: number): number {
  const n = Number(raw);
  if (!/^[0-9]{1,10}$/.test(raw) || n < min) throw new Error(`${flag} must be an integer of at least ${min}`);
  return n;
}

export function reliabilityStartOptions(o: ReliabilityCliOptions): { requestLogSize: number; faultSeed: number; scenario?: string; requestTimeout: number } {
  return {
    requestLogSize: integer(o.requestLogSize, '--request-log-size', 1), faultSeed: integer(o.faultSeed, '--fault-seed', 0), scenario: o.scenario,
    requestTimeout: integer(o.requestTimeout, '--request-timeout', 1),
  };
}
