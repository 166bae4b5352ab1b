/**
 * The monthly summary of a 10 000-claim month on DynamoDB Local, next to a raw read of the same items in the same run:
 * - time from "read the month" to the rendered email (subject, HTML, text), the number of Query requests (and that
 *   nothing but Query is used), and the HTML size against Gmail's ~100 KB clipping threshold;
 * - baseline: a plain sequential paged Query of the same month index (the narrow MONTH_SUMMARY_INDEX) with the same
 *   page size (Limit PAGE_LIMIT), low-level client, no unmarshalling, no model. Printed too: the same raw read
 *   without a Limit, of that index and of GSI1 (whole claims, projection ALL), the previous baseline;
 * The month is the shape a big event makes: 9 000 instance-level claims in one account (one open EC2 event, so every
 * one is provisional) plus 1 000 Region-level claims over 40 accounts. DynamoDB Local is warmed (≥ 2 000 requests:
 * the seeding writes, then two untimed reads) before both measurements; each figure is the median of 3 runs.
 * Run: npm run bench:summary   (needs Java 17+, like npm start)
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoClaimStore } from '../src/store/claim-store.ts';
import type { Db } from '../src/store/clients.ts';
import { startLocalDynamoDb } from '../src/store/local-dynamodb.ts';
import { GSI1, keys, MONTH_SUMMARY_INDEX } from '../src/store/table.ts';
import { loadSummaryModel } from '../src/summary/load.ts';
import { PAGE_LIMIT } from '../src/store/dynamo.ts';
import { renderSummaryEmail } from '../src/summary/render.ts';
import { mapPool } from '../src/util/pool.ts';
import { BIG_MONTH, bigMonthClaim } from '../tests/helpers/big-month.ts';

const MONTH = BIG_MONTH;
const NOW_MS = Date.parse('2025-11-01T08:00:00Z');
const CLAIMS = Number(process.env.BENCH_SUMMARY_CLAIMS ?? 10_000);
const GOAL_MS = 2000;
const GMAIL_CLIP_BYTES = 100 * 1024;
/** Counts every request the document and the low-level client send, by command name. */
function countRequests(db: Db): () => Record<string, number> {
  const counts: Record<string, number> = {};
  const counter = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    const name = context.commandName ?? 'unknown';
    counts[name] = (counts[name] ?? 0) + 1;
    return next(args);
  };
  db.client.middlewareStack.add(counter as never, { step: 'initialize', name: 'benchRequestCounter' });
  return () => ({ ...counts });
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}

async function rawSequentialQuery(db: Db, indexName: string, limit?: number): Promise<{ items: number; pages: number; bytes: number; capacity: number }> {
  let items = 0;
  let pages = 0;
  let bytes = 0;
  let capacity = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: indexName,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: keys.monthIndex(MONTH) } },
        ExclusiveStartKey: start as never,
        ReturnConsumedCapacity: 'TOTAL',
        ...(limit ? { Limit: limit } : {}),
      }),
    );
    pages++;
    items += page.Count ?? 0;
    // The items as DynamoDB JSON (what came over the wire, near enough).
    bytes += JSON.stringify(page.Items ?? []).length;
    capacity += page.ConsumedCapacity?.CapacityUnits ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return { items, pages, bytes, capacity };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function row(goal: string, figure: string, baseline: string, ratio: string, met: boolean): string {
  return `| ${goal} | ${figure} | ${baseline} | ${ratio} | ${met ? 'yes' : 'NO'} |`;
}

async function main() {
  const local = await startLocalDynamoDb({ tableName: 'bench-summary' });
  try {
    const store = new DynamoClaimStore(local.db);
    const requests = countRequests(local.db);
    const t0 = performance.now();
    await mapPool(
      Array.from({ length: CLAIMS }, (_, i) => i),
      8,
      (i) => store.saveComputedClaim(bigMonthClaim(i, CLAIMS)),
    );
    const seedMs = performance.now() - t0;
    const sampleBytes = JSON.stringify(bigMonthClaim(0, CLAIMS)).length;
    console.log(`node ${process.version}, DynamoDB Local (in memory); seeded ${CLAIMS} claims (~${sampleBytes} B each as JSON) in ${(seedMs / 1000).toFixed(1)} s`);

    // warm every path (untimed)
    await rawSequentialQuery(local.db, MONTH_SUMMARY_INDEX, PAGE_LIMIT);
    await rawSequentialQuery(local.db, MONTH_SUMMARY_INDEX);
    await rawSequentialQuery(local.db, GSI1);
    renderSummaryEmail(await loadSummaryModel(store, MONTH, { nowMs: NOW_MS }));

    const rawMs: number[] = [];
    const unlimitedMs: number[] = [];
    const fullMs: number[] = [];
    const summaryMs: number[] = [];
    let rawPages = 0;
    let raw = { items: 0, pages: 0, bytes: 0, capacity: 0 };
    let unlimited = raw;
    let full = raw;
    let summaryRequests: Record<string, number> = {};
    let html = 0;
    let text = 0;
    let claimCount = 0;
    for (let run = 0; run < 3; run++) {
      const r0 = performance.now();
      raw = await rawSequentialQuery(local.db, MONTH_SUMMARY_INDEX, PAGE_LIMIT);
      rawMs.push(performance.now() - r0);
      const u0 = performance.now();
      unlimited = await rawSequentialQuery(local.db, MONTH_SUMMARY_INDEX);
      unlimitedMs.push(performance.now() - u0);
      if (unlimited.items !== CLAIMS) throw new Error(`raw query read ${unlimited.items} items, expected ${CLAIMS}`);
      rawPages = raw.pages;
      if (raw.items !== CLAIMS) throw new Error(`raw query read ${raw.items} items, expected ${CLAIMS}`);
      const f0 = performance.now();
      full = await rawSequentialQuery(local.db, GSI1);
      fullMs.push(performance.now() - f0);
      if (full.items !== CLAIMS) throw new Error(`raw ${GSI1} query read ${full.items} items, expected ${CLAIMS}`);

      const before = requests();
      const s0 = performance.now();
      const model = await loadSummaryModel(store, MONTH, { nowMs: NOW_MS });
      const email = renderSummaryEmail(model);
      summaryMs.push(performance.now() - s0);
      summaryRequests = diff(requests(), before);
      html = Buffer.byteLength(email.html);
      text = Buffer.byteLength(email.text);
      claimCount = model.claimCount;
      if (claimCount !== CLAIMS) throw new Error(`summary counted ${claimCount} claims, expected ${CLAIMS}`);
    }
    const s = median(summaryMs);
    const r = median(rawMs);
    const queries = summaryRequests.QueryCommand ?? 0;
    const others = Object.entries(summaryRequests).filter(([k]) => k !== 'QueryCommand');
    console.log(`summary of ${claimCount} claims; requests per summary: ${JSON.stringify(summaryRequests)}; text part ${(text / 1024).toFixed(1)} KB`);
    const perItem = (r: typeof raw) => `${(r.bytes / 1024).toFixed(0)} KB (${(r.bytes / r.items).toFixed(0)} B/item), ${r.pages} pages, ${r.capacity} RCU`;
    console.log(`raw sequential read of the month: ${MONTH_SUMMARY_INDEX} (INCLUDE), Limit ${PAGE_LIMIT}: ${perItem(raw)}, ${median(rawMs).toFixed(0)} ms`);
    console.log(`  without a Limit: ${MONTH_SUMMARY_INDEX} ${perItem(unlimited)}, ${median(unlimitedMs).toFixed(0)} ms; ${GSI1} (ALL) ${perItem(full)}, ${median(fullMs).toFixed(0)} ms`);
    console.log('| goal | figure | baseline | ratio | met? |');
    console.log('|---|---|---|---|---|');
    console.log(row(`summary of a ${CLAIMS}-claim month < ${GOAL_MS} ms (read → rendered email)`, `${s.toFixed(0)} ms`, `${r.toFixed(0)} ms raw sequential Query of ${MONTH_SUMMARY_INDEX}, Limit ${PAGE_LIMIT} (no Limit: ${median(unlimitedMs).toFixed(0)} ms; ${GSI1}: ${median(fullMs).toFixed(0)} ms)`, `${(s / r).toFixed(2)} ×`, s < GOAL_MS));
    console.log(row('Query only (no Scan, no GetItem)', `${queries} Query${others.length ? ` + ${others.map(([k, v]) => `${v} ${k}`).join(', ')}` : ''}`, `${rawPages} Query pages (raw, Limit ${PAGE_LIMIT})`, `${(queries / rawPages).toFixed(2)} ×`, queries > 0 && others.length === 0));
    console.log(row('HTML email < 100 KB (Gmail clips at ~102 KB)', `${(html / 1024).toFixed(1)} KB`, `${GMAIL_CLIP_BYTES / 1024} KB limit`, `${(html / GMAIL_CLIP_BYTES).toFixed(2)} ×`, html < GMAIL_CLIP_BYTES));
  } finally {
    await local.stop();
  }
}

await main();
