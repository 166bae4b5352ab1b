/**
 * Credit engine throughput: computations per second for inputs of 1 000 outage intervals (overlapping, unsorted,
 * some open), on a minute-based and an error-rate SLA. Run: npm run bench:credit
 */
import { computeCredit, type Outage } from '../src/credit/engine.ts';
import { getSla } from '../src/sla/index.ts';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
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

function bench(slaId: string, seconds = 2) {
  const sla = getSla(slaId)!;
  // warm-up
  for (let i = 0; i < 200; i++) computeCredit({ sla, month: '2025-10', outages: inputs[i % inputs.length]!, chargesCents: 123_456_78, nowMs });
  let runs = 0;
  let checksum = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 50; i++) {
      const r = computeCredit({ sla, month: '2025-10', outages: inputs[runs % inputs.length]!, chargesCents: 123_456_78, nowMs });
      checksum += r.creditCents ?? 0;
      runs++;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = runs / elapsed;
  console.log(
    `credit engine, ${slaId.padEnd(10)} 1 000 intervals: ${Math.round(perSecond).toLocaleString('en-US')} computations/s ` +
      `(${((elapsed / runs) * 1e6).toFixed(1)} µs each, ${runs.toLocaleString('en-US')} runs, checksum ${checksum})`,
  );
}

console.log(`node ${process.version}, ${process.arch}`);
bench('ec2-region');
bench('dynamodb');
