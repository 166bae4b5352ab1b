/**
 * Credit engine throughput: computations per second for inputs of 1 000 outage intervals (overlapping, unsorted,
 * 2 % open, a quarter outside the month), on a minute-based (ec2-region) and an error-rate (dynamodb) SLA.
 *
 * Side by side, in the same run and interleaved round by round (so machine noise hits all three alike):
 * - the engine (`computeCredit`, everything it returns);
 * - the raw baseline: the same intervals already in Float64Arrays, aligned, clipped, two plain typed-array sorts and
 *   a sweep that only sums the downtime (no validation, no objects, no tiers, no result);
 * - the previous implementation (bench/credit-engine-previous.ts), for the speed-up, after checking that it returns
 *   identical results on every input.
 * Warm-up first, then the median of ROUNDS rounds. Run: npm run bench:credit
 */
import { isDeepStrictEqual } from 'node:util';
import { computeCredit, type Outage } from '../src/credit/engine.ts';
import { monthWindow } from '../src/credit/month.ts';
import { getSla } from '../src/sla/index.ts';
import { previousComputeCredit } from './credit-engine-previous.ts';

const GOAL = 10_000;
const ROUNDS = 7;
const ROUND_MS = 300;
const MONTH = '2025-10';
const CHARGES = 123_456_78;
const MINUTE_MS = 60_000;

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const rand = lcg(7);
const MONTH_START = Date.parse('2025-10-01T00:00:00Z');
const SPAN = 40 * 86_400_000;
const inputs: Outage[][] = Array.from({ length: 20 }, () =>
  Array.from({ length: 1000 }, () => {
    const start = MONTH_START - 5 * 86_400_000 + Math.floor(rand() * SPAN);
    return rand() < 0.02 ? { startMs: start, endMs: null } : { startMs: start, endMs: start + Math.floor(rand() * 3 * 3_600_000) };
  }),
);
const nowMs = Date.parse('2025-11-05T00:00:00Z');

// The raw baseline's data: the same intervals, open ones closed at now, already in typed arrays.
const rawInputs = inputs.map((outages) => ({
  starts: Float64Array.from(outages, (o) => o.startMs),
  ends: Float64Array.from(outages, (o) => o.endMs ?? Math.max(nowMs, o.startMs)),
}));
const scratchStarts = new Float64Array(1000);
const scratchEnds = new Float64Array(1000);
const { startMs: FROM, endMs: TO } = monthWindow(MONTH);

function rawDowntimeMs(index: number, wholeMinutes: boolean): number {
  const { starts, ends } = rawInputs[index]!;
  let n = 0;
  for (let i = 0; i < starts.length; i++) {
    let s = starts[i]!;
    let e = ends[i]!;
    if (wholeMinutes) {
      s = Math.floor(s / MINUTE_MS) * MINUTE_MS;
      e = Math.ceil(e / MINUTE_MS) * MINUTE_MS;
    }
    s = Math.max(s, FROM);
    e = Math.min(e, TO);
    if (e > s) {
      scratchStarts[n] = s;
      scratchEnds[n] = e;
      n++;
    }
  }
  const ss = scratchStarts.subarray(0, n).sort();
  const es = scratchEnds.subarray(0, n).sort();
  let total = 0;
  let active = 0;
  let from = 0;
  let j = 0;
  for (let i = 0; i < n; ) {
    if (ss[i]! <= es[j]!) {
      if (active++ === 0) from = ss[i]!;
      i++;
    } else {
      if (--active === 0) total += es[j]! - from;
      j++;
    }
  }
  return n === 0 ? total : total + es[n - 1]! - from;
}

type Run = (index: number) => number;

/**
 * Computations per second of `run` over ROUND_MS, cycling through the inputs: per second of wall time, and per
 * second of this process's CPU time (steadier when other processes share the cores).
 */
function round(run: Run): { wall: number; cpu: number } {
  let runs = 0;
  let sink = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const end = start + BigInt(ROUND_MS * 1e6);
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 20; i++) sink += run((runs + i) % inputs.length);
    runs += 20;
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the results alive');
  const wallS = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { wall: runs / wallS, cpu: runs / ((used.user + used.system) / 1e6) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

console.log(`node ${process.version}, ${process.arch}; ${ROUNDS} interleaved rounds of ${ROUND_MS} ms after warm-up, medians`);
const rows: string[] = [];
const extra: string[] = [];

for (const slaId of ['ec2-region', 'dynamodb']) {
  const sla = getSla(slaId)!;
  const wholeMinutes = sla.measurement !== 'error-rate-5min';
  const args = (index: number) => ({ sla, month: MONTH, outages: inputs[index]!, chargesCents: CHARGES, nowMs });

  // Same figures from all three before timing anything.
  let windows = 0;
  for (let i = 0; i < inputs.length; i++) {
    const now = computeCredit(args(i));
    const before = previousComputeCredit(args(i));
    if (!isDeepStrictEqual(now, before)) throw new Error(`${slaId} input ${i}: engine and previous implementation differ`);
    if (rawDowntimeMs(i, wholeMinutes) !== now.downtimeMs) throw new Error(`${slaId} input ${i}: raw baseline differs`);
    windows += now.windows.length;
  }

  const engine: Run = (i) => computeCredit(args(i)).downtimeMs;
  const previous: Run = (i) => previousComputeCredit(args(i)).downtimeMs;
  const raw: Run = (i) => rawDowntimeMs(i, wholeMinutes);
  for (let i = 0; i < 2000; i++) engine(i % 20) + previous(i % 20) + raw(i % 20);

  const rounds = { engine: [] as { wall: number; cpu: number }[], previous: [] as { wall: number; cpu: number }[], raw: [] as { wall: number; cpu: number }[] };
  for (let r = 0; r < ROUNDS; r++) {
    rounds.engine.push(round(engine));
    rounds.raw.push(round(raw));
    rounds.previous.push(round(previous));
  }
  const wall = (xs: { wall: number }[]) => median(xs.map((x) => x.wall));
  const cpu = (xs: { cpu: number }[]) => median(xs.map((x) => x.cpu));
  const e = wall(rounds.engine);
  const b = wall(rounds.raw);
  const p = wall(rounds.previous);
  const met = e >= GOAL;

  rows.push(
    `| ≥ ${fmt(GOAL)} computations/s, 1 000 intervals, ${slaId} (${sla.measurement}) | ${fmt(e)}/s | ${fmt(b)}/s raw sort + sweep | ${(e / b).toFixed(2)} × | ${met ? 'yes' : 'no'} |`,
  );
  extra.push(
    `${slaId}: previous implementation ${fmt(p)}/s → ${(e / p).toFixed(2)} × faster; identical results on all ${inputs.length} inputs; ` +
      `${(windows / inputs.length).toFixed(0)} merged windows per computation; engine rounds ${rounds.engine.map((x) => fmt(x.wall)).join(' ')}\n` +
      `  per CPU-second: engine ${fmt(cpu(rounds.engine))}, raw ${fmt(cpu(rounds.raw))}, previous ${fmt(cpu(rounds.previous))}`,
  );
}

console.log('| goal | figure | baseline | ratio | met? |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
for (const line of extra) console.log(line);
