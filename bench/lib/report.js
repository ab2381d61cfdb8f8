// Turns raw figures into the table `npm run bench` prints: every figure next to its ratio to the
// ceiling, and each target next to the figure it judges.
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const ms = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : '–');
const ratio = (x) => (Number.isFinite(x) ? (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3)) : '–');
const mb = (bytes) => bytes / 1e6;

/** Server CPU time per request over a whole run (all kinds), in µs. */
export function cpuPerRequest(run) {
  const requests = Object.values(run.kinds).reduce((n, k) => n + k.requests, 0);
  return (run.server_core_busy * run.seconds * 1e6) / Math.max(1, requests);
}

/** The ceiling runs next to one of ours, or (without those) the bench's first and last ones. */
const ceilingRuns = (results, run, c) => run?.ceiling_neighbours ?? [results.ceiling.before.runs[`c${c}`], results.ceiling.after.runs[`c${c}`]];

/** Of those, the run with the lower CPU cost per request. */
function ceilingRun(results, c, run) {
  return ceilingRuns(results, run, c).reduce((best, r) => (cpuPerRequest(r) < cpuPerRequest(best) ? r : best));
}

/**
 * The ceiling's figures next to one of our runs (the faster of the runs just before and just after
 * it), or, without a run or for results without those, the faster of the bench's first and last.
 */
/** The middle value (the lower middle one for an even count). */
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];

function nearCeiling(results, run, c) {
  return ceilingRuns(results, run, c).reduce((best, r) => (r.kinds.ceiling.rps > best.kinds.ceiling.rps ? r : best)).kinds.ceiling;
}

/** Per-round ratios in the order they ran, the round standing for the run marked with *. */
const roundList = (values, rounds) => values.map((v, i) => `${ratio(v)}${rounds[i].chosen ? '*' : ''}`).join(' / ');

export function targets(results) {
  const s = results.sizes;
  const out = [];
  const add = (name, value, want, ok, shown) => out.push({ name, value, want, ok, shown });
  for (const [size, r] of Object.entries(s)) {
    const single50 = r.runs.single_c50?.kinds.delink1;
    if (single50) {
      const v = single50.rps / nearCeiling(results, r.runs.single_c50, 50).rps;
      add(`${size}: single-id delink req/s vs ceiling run next to it, c=50`, v, '≥ 0.3×', v >= 0.3, `${ratio(v)}×`);
      const each = r.runs.single_c50.rounds;
      if (each?.length > 1) add(`${size}: same, each round (the median one stands)`, null, '(info)', null, roundList(each.map((x) => x.share_of_ceiling), each));
      const far = single50.rps / nearCeiling(results, undefined, 50).rps;
      add(`${size}: same, vs the bench's first or last ceiling run`, far, '(info)', null, `${ratio(far)}×`);
      // Not a target: what the req/s ratio would be if both servers had the core to themselves.
      const cap = cpuPerRequest(ceilingRun(results, 50, r.runs.single_c50)) / cpuPerRequest(r.runs.single_c50);
      add(`${size}: same, from CPU time per request (ceiling's ÷ ours)`, cap, '(info)', null, `${ratio(cap)}×`);
    }
    const single10 = r.runs.single_c10?.kinds.delink1;
    if (single10) add(`${size}: single-id delink p99, c=10`, single10.p99_ms, '≤ 10 ms', single10.p99_ms <= 10, `${ms(single10.p99_ms)} ms`);
    const batch = r.runs.batch_c10?.kinds.delink100;
    if (batch) {
      const v = (batch.rps * 100) / r.raw_sqlite.rows_per_s;
      add(`${size}: 100-id delink relations/s vs better-sqlite3 alone (fastest of 4)`, v, '≥ 0.5×', v >= 0.5, `${ratio(v)}×`);
      const each = r.runs.batch_c10.rounds;
      if (each?.length > 1) add(`${size}: same, each round (the median one stands)`, null, '(info)', null, roundList(each.map((x) => (x.rps * 100) / r.raw_sqlite.rows_per_s), each));
    }
  }
  const small = s['10k'];
  const big = s['1M'];
  if (small && big) {
    for (const [run, kind, what] of [['single_c50', 'delink1', 'single-id'], ['batch_c10', 'delink100', '100-id']]) {
      const a = small.runs[run]?.kinds[kind];
      const b = big.runs[run]?.kinds[kind];
      if (a && b) {
        // Each size's throughput as a share of the ceiling measured next to it, so that the machine
        // running faster or slower between the two sizes' runs does not count as a size effect: the
        // median of its rounds' shares. (A 100-id run's standing round is chosen by relations/s against
        // better-sqlite3 alone, a different figure, so its own share is not the median share.)
        const c = Number(run.split('_c')[1]);
        const shareOf = (r, k) => (r.rounds?.length ? median(r.rounds.map((x) => x.share_of_ceiling)) : k.rps / nearCeiling(results, r, c).rps);
        const shareA = shareOf(small.runs[run], a);
        const shareB = shareOf(big.runs[run], b);
        const v = Math.max(shareA / shareB, shareB / shareA);
        add(`10k vs 1M: ${what} delink throughput (rounds vs the ceiling next to them, median)`, v, 'within 1.25×', v <= 1.25, `${ratio(shareA / shareB)}× (10k/1M)`);
        const standing = (a.rps / nearCeiling(results, small.runs[run], c).rps) / (b.rps / nearCeiling(results, big.runs[run], c).rps);
        add(`10k vs 1M: same, from the standing rounds alone`, standing, '(info)', null, `${ratio(standing)}× (10k/1M)`);
        add(`10k vs 1M: ${what} delink req/s as measured`, a.rps / b.rps, '(info)', null, `${ratio(a.rps / b.rps)}× (10k/1M)`);
      }
    }
    // Not a target: how much of the size penalty better-sqlite3 pays on its own.
    const raw = small.raw_sqlite.rows_per_s / big.raw_sqlite.rows_per_s;
    add('10k vs 1M: better-sqlite3 alone, same loop', raw, '(info)', null, `${ratio(raw)}× (10k/1M)`);
  }
  const cold = results.cold_start['1M'];
  if (cold) add('cold start, 1M relations', cold.median_ms, '≤ 200 ms', cold.median_ms <= 200, `${fmt(cold.median_ms)} ms`);
  if (big) add('peak RSS during the 1M run', mb(big.peak_rss_bytes), '≤ 150 MB', mb(big.peak_rss_bytes) <= 150, `${fmt(mb(big.peak_rss_bytes))} MB`);
  return out;
}

const KIND_LABEL = { delink1: 'single-id delink', delink100: '100-id delink', link100: 'bulk link of 100', list: 'list related (page of 200)' };
const PER_REQUEST = { delink1: 1, delink100: 100, link100: 100, list: 0 };

function loadRows(results) {
  const rows = [];
  for (const c of [50, 10]) {
    const k = nearCeiling(results, undefined, c);
    rows.push([`ceiling (bare node:http), c=${c}`, fmt(k.rps), '1', ms(k.p50_ms), ms(k.p99_ms), '', '', `${fmt(cpuPerRequest(ceilingRun(results, c)))} (1)`]);
  }
  for (const [size, r] of Object.entries(results.sizes)) {
    for (const [run, res] of Object.entries(r.runs)) {
      const c = Number(run.split('_c')[1]);
      // Ratios against the ceiling runs next to this one where there are some.
      const ceil = nearCeiling(results, res, c);
      const cpu = cpuPerRequest(res);
      const cpuCeil = cpuPerRequest(ceilingRun(results, c, res));
      let first = true;
      for (const [kind, k] of Object.entries(res.kinds)) {
        if (k.requests === 0) continue;
        const rel = PER_REQUEST[kind] ? fmt(k.rps * PER_REQUEST[kind]) : '';
        const note = run.startsWith('single') && kind === 'link100' ? ' (re-link)' : '';
        rows.push([`${size}: ${KIND_LABEL[kind]}${note}, c=${c}`, fmt(k.rps), ratio(k.rps / ceil.rps),
          `${ms(k.p50_ms)} (${ratio(k.p50_ms / ceil.p50_ms)}×)`, `${ms(k.p99_ms)} (${ratio(k.p99_ms / ceil.p99_ms)}×)`, rel,
          `${(res.server_core_busy ?? NaN).toFixed(2)}/${res.client_core_busy.toFixed(2)}`, first ? `${fmt(cpu)} (${ratio(cpu / cpuCeil)}×)` : '″']);
        first = false;
      }
    }
    for (const [key, raw] of Object.entries(r.raw_sqlite_by_page_size ?? { [r.raw_sqlite.page_size ?? '?']: r.raw_sqlite })) {
      const reference = raw.rows_per_s === r.raw_sqlite.rows_per_s ? ' (reference)' : '';
      const [pages, statements] = key.split(' ');
      const pageNote = Number.isFinite(Number(pages)) ? `, ${Number(pages) / 1024} KiB pages` : '';
      const what = statements === 'mark' ? '100-row mark gone + link back (the store\'s statements)' : '100-row delete + re-insert';
      rows.push([`${size}: better-sqlite3 alone, ${what}${pageNote}${reference}`, '', '', '', '', fmt(raw.rows_per_s), '', '']);
    }
  }
  return rows;
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((x, i) => String(x).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function report(results) {
  const loads = table(['run', 'req/s', '× ceiling', 'p50 ms (× ceiling)', 'p99 ms (× ceiling)', 'relations/s', 'cores srv/client', 'srv CPU µs/req (× ceiling)'], loadRows(results));
  const ceilCold = results.cold_start.ceiling?.median_ms;
  const coldRows = Object.entries(results.cold_start).map(([k, v]) => [k === 'ceiling' ? 'ceiling (bare node:http)' : `our server, ${k === 'empty' ? 'empty database' : `${k} relations`}`, fmt(v.median_ms), ratio(v.median_ms / ceilCold), v.trials_ms.map((x) => fmt(x)).join(', ')]);
  const cold = table(['cold start: spawn to first 2xx', 'ms (median)', '× ceiling', 'trials ms'], coldRows);
  const ceilRss = Math.max(results.ceiling.before.peak_rss_bytes, results.ceiling.after.peak_rss_bytes);
  const rssRows = [['ceiling (bare node:http)', fmt(mb(ceilRss)), '1'],
    ...Object.entries(results.sizes).map(([size, r]) => [`our server, ${size} relations`, fmt(mb(r.peak_rss_bytes)), ratio(r.peak_rss_bytes / ceilRss)])];
  const rss = table(['peak RSS (VmHWM)', 'MB', '× ceiling'], rssRows);
  const t = targets(results);
  const tt = table(['target', 'measured', 'wanted', ''], t.map((x) => [x.name, x.shown, x.want, x.ok === null ? '' : x.ok ? 'met' : 'MISSED']));
  const m = results.machine ?? {};
  return [`${m.date ?? ''} · ${m.cores ?? '?'} cores · node ${m.node ?? ''} · ${results.settings.seconds} s per run after ${results.settings.warmup} s warm-up`,
    `each delink run: the median of ${results.settings.trials} rounds, each between two ceiling runs`,
    '', loads, '', cold, '', rss, '', tt, '', `${t.filter((x) => x.ok).length} of ${t.filter((x) => x.ok !== null).length} targets met`].join('\n');
}

export function resultsMarkdown(results, text) {
  return `# Latest benchmark results\n\nProduced by \`npm run bench -- --save\`; bench/README.md explains how to read it.\n\n` +
    `Date: ${results.machine.date} · cores: ${results.machine.cores} · node ${results.machine.node}\n\n${text}\n`;
}
