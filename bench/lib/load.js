// Load runs with autocannon. Every request definition carries a `kind`; latencies and statuses are
// recorded per kind from autocannon's per-response event, with sub-millisecond resolution.
//
// Relations are re-linked inside the run, so the table keeps its size and every delink removes a row:
// each connection takes a free parent (campaign), delinks its 100 children (one request per child, or
// one 100-id request), links all 100 back with one bulk PUT, then hands the parent back.
import autocannon from 'autocannon';
import { campaignId, CHILDREN, childIndex, contactId } from './dataset.js';
import { fetchOnce } from './proc.js';

/** Free parents, handed out in a scattered order so consecutive loops touch distant parts of the table. */
class Parents {
  constructor(count) {
    this.free = [];
    const step = count > 7919 && count % 7919 !== 0 ? 7919 : 1;
    for (let i = 0; i < count; i++) this.free.push((i * step + 12345) % count);
    this.head = 0;
    this.busy = new Set();
  }
  take() {
    if (this.head >= this.free.length) throw new Error('no free parent: more connections than parents');
    const p = this.free[this.head++];
    if (this.head > 4096) { this.free = this.free.slice(this.head); this.head = 0; }
    this.busy.add(p);
    return p;
  }
  give(p) {
    if (this.busy.delete(p)) this.free.push(p);
  }
}

const childIds = (p) => Array.from({ length: CHILDREN }, (_, j) => contactId(childIndex(p, j)));
const linkBody = (p) => JSON.stringify({ data: childIds(p).map((id) => ({ id })) });
const base = (p) => `/crm/v2/Campaigns/${campaignId(p)}/Contacts`;

function linkDef(parents) {
  return {
    kind: 'link100', method: 'PUT', headers: { 'content-type': 'application/json' },
    setupRequest: (req, ctx) => ({ ...req, path: base(ctx.p), body: linkBody(ctx.p) }),
    onResponse: (_status, _body, ctx) => parents.give(ctx.p),
  };
}

/** Request definitions for one connection loop of a scenario. */
export function scenario(name, ds, parents) {
  if (name === 'ceiling') return [{ kind: 'ceiling', method: 'GET', path: '/' }];
  if (name === 'list') return [{ kind: 'list', method: 'GET', path: `/crm/v2/Campaigns/${ds.listParent}/Contacts?per_page=200` }];
  const first = (ctx) => {
    if (ctx.p === undefined) ctx.p = parents.take();
    return ctx.p;
  };
  if (name === 'single') {
    const defs = [];
    for (let j = 0; j < CHILDREN; j++) {
      defs.push({
        kind: 'delink1', method: 'DELETE',
        setupRequest: (req, ctx) => ({ ...req, path: `${base(first(ctx))}/${contactId(childIndex(ctx.p, j))}` }),
      });
    }
    return [...defs, linkDef(parents)];
  }
  if (name === 'batch') {
    return [
      { kind: 'delink100', method: 'DELETE', setupRequest: (req, ctx) => ({ ...req, path: `${base(first(ctx))}?ids=${childIds(ctx.p).join(',')}` }) },
      linkDef(parents),
    ];
  }
  throw new Error(`unknown scenario ${name}`);
}

function summarize(lat, seconds, bad) {
  lat.sort((a, b) => a - b);
  const at = (q) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] : NaN);
  return { requests: lat.length, rps: lat.length / seconds, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: lat.at(-1) ?? NaN, unexpected_status: bad };
}

/** One timed autocannon run; returns per-kind figures plus the client's CPU use. */
export async function runLoad({ url, token, defs, connections, seconds }) {
  const lat = {};
  const bad = {};
  for (const d of defs) { lat[d.kind] = []; bad[d.kind] = 0; }
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const instance = autocannon({
    url, connections, duration: seconds, pipelining: 1, timeout: 30, requests: defs,
    headers: token ? { authorization: `Zoho-oauthtoken ${token}` } : {},
  });
  instance.on('response', (client, status, _bytes, ms) => {
    const kind = client.requestIterator.currentRequest.kind;
    lat[kind].push(ms);
    if (status !== 200) bad[kind]++;
  });
  const result = await instance;
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const out = { seconds: wall, client_core_busy: (cpu.user + cpu.system) / 1e6 / wall, errors: result.errors + result.timeouts, kinds: {} };
  for (const kind of Object.keys(lat)) out.kinds[kind] = summarize(lat[kind], wall, bad[kind]);
  return out;
}

/** Links back the children of every parent a connection was holding when the run stopped. */
export async function repair(url, token, parents) {
  for (const p of [...parents.busy]) {
    const r = await fetchOnce(url + base(p), {
      method: 'PUT', body: linkBody(p), headers: { authorization: `Zoho-oauthtoken ${token}`, 'content-type': 'application/json' },
    });
    if (r.status !== 200) throw new Error(`re-linking parent ${p} failed: ${r.status} ${r.body.slice(0, 200)}`);
    parents.give(p);
  }
}

export { Parents };
