/**
 * Reads one partition of an index with a few concurrent Queries over sort-key ranges instead of one sequential chain
 * of pages: a month of 10 000 claims is ~15 pages of 1 MB, and a chain waits for each page before asking for the
 * next (a Query can only continue from its own LastEvaluatedKey).
 *
 * The ranges come from the keys themselves, since the distribution is unknown (one account with 9 000 instance ARNs,
 * or 40 accounts): the first page gives its last key, a one-item reverse Query the partition's last key, and the span
 * between is cut at interpolated strings. Whenever a worker's page comes back with more to read and a slot is free,
 * the rest of its range is cut in two and a new worker takes the upper half, so a badly guessed cut corrects itself.
 *
 * Completeness does not depend on the guesses: consecutive ranges share their boundary (`BETWEEN` is inclusive) and
 * the last one is open-ended, so together they cover every key after the first page; an item whose key equals a
 * boundary is read twice and returned once (deduplicated on the base-table key).
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { PAGE_LIMIT } from './dynamo.ts';
import type { Db } from './clients.ts';

export interface RangeQueryInput {
  indexName: string;
  partitionAttribute: string;
  partitionValue: string;
  sortAttribute: string;
  /** Base-table key attributes, for deduplication (e.g. ['pk', 'sk']). */
  itemKey: readonly string[];
  /** Most Queries in flight (default 8). */
  concurrency?: number;
  /** Items per Query (DynamoDB's Limit); default PAGE_LIMIT (src/store/dynamo.ts). */
  pageSize?: number;
  /** Only these (top-level or dotted) attributes; the key attributes are added. */
  attributes?: readonly string[];
}

type Item = Record<string, unknown>;

function utf8Compare(a: string, b: string): number {
  // DynamoDB orders string keys by their UTF-8 bytes.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const PRECISION = 3; // characters after the common prefix; 65536^3 < 2^53, so exact in a double

/**
 * `parts - 1` strings strictly between `low` and `high` (UTF-8 order), spread by treating the first characters after
 * the common prefix as a base-65536 number. Fewer (possibly none) when the span is too narrow to cut.
 */
export function splitPoints(low: string, high: string, parts: number): string[] {
  if (parts < 2 || utf8Compare(low, high) >= 0) return [];
  let p = 0;
  while (p < low.length && p < high.length && low[p] === high[p]) p++;
  const digits = (s: string) => Array.from({ length: PRECISION }, (_, k) => s.charCodeAt(p + k) || 0);
  const value = (ds: number[]) => ds.reduce((v, d) => v * 65536 + d, 0);
  const lo = value(digits(low));
  const hi = value(digits(high));
  const out: string[] = [];
  let previous = low;
  for (let i = 1; i < parts; i++) {
    let v = Math.floor(lo + ((hi - lo) * i) / parts);
    const chars: number[] = [];
    for (let k = 0; k < PRECISION; k++) {
      chars.unshift(v % 65536);
      v = Math.floor(v / 65536);
    }
    while (chars.length && chars[chars.length - 1] === 0) chars.pop();
    if (chars.some((c) => c >= 0xd800 && c <= 0xdfff)) continue; // a lone surrogate is not a valid key string
    const candidate = high.slice(0, p) + String.fromCharCode(...chars);
    if (utf8Compare(candidate, previous) <= 0 || utf8Compare(candidate, high) >= 0) continue;
    out.push(candidate);
    previous = candidate;
  }
  return out;
}

interface Range {
  /** Inclusive lower bound; undefined only for the first page. */
  from: string;
  /** Inclusive upper bound; undefined = open-ended. */
  to: string | undefined;
  /** Where to stop cutting an open-ended range (the partition's last key when it was probed). */
  cutLimit: string;
  start?: Item;
}

export async function queryPartitionInRanges(db: Db, input: RangeQueryInput): Promise<{ items: Item[]; queries: number }> {
  const concurrency = Math.max(1, input.concurrency ?? 8);
  const names: Record<string, string> = { '#pk': input.partitionAttribute, '#sk': input.sortAttribute };
  let projection: string | undefined;
  if (input.attributes) {
    const wanted = new Set([...input.attributes, ...input.itemKey, input.partitionAttribute, input.sortAttribute]);
    projection = [...wanted]
      .map((path) =>
        path
          .split('.')
          .map((part) => {
            const alias = `#a${Object.keys(names).length}`;
            names[alias] = part;
            return alias;
          })
          .join('.'),
      )
      .join(', ');
  }
  let queries = 0;
  const send = async (extra: Partial<QueryCommandInput>, condition: string, values: Record<string, unknown>) => {
    queries++;
    // DynamoDB refuses names the expressions do not use.
    const used = `#pk = :pk${condition} ${projection ?? ''}`;
    const usedNames = Object.fromEntries(Object.entries(names).filter(([alias]) => new RegExp(`${alias}\\b`).test(used)));
    return db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: input.indexName,
        KeyConditionExpression: `#pk = :pk${condition}`,
        ExpressionAttributeNames: usedNames,
        ExpressionAttributeValues: { ':pk': input.partitionValue, ...values },
        ...(projection ? { ProjectionExpression: projection } : {}),
        Limit: input.pageSize ?? PAGE_LIMIT,
        ...extra,
      }),
    );
  };

  const byKey = new Map<string, Item>();
  const keep = (items: Item[] | undefined) => {
    for (const item of items ?? []) byKey.set(JSON.stringify(input.itemKey.map((k) => item[k])), item);
  };

  const first = await send({}, '', {});
  keep(first.Items);
  if (!first.LastEvaluatedKey) return { items: [...byKey.values()], queries };

  const lastProbe = await send({ ScanIndexForward: false, Limit: 1 }, '', {});
  const firstTail = String(first.LastEvaluatedKey[input.sortAttribute]);
  const lastKey = String(lastProbe.Items?.[0]?.[input.sortAttribute] ?? firstTail);
  const cuts = [firstTail, ...splitPoints(firstTail, lastKey, concurrency)];
  const pending: Range[] = cuts.map((from, i) => ({ from, to: cuts[i + 1], cutLimit: lastKey }));
  pending[0]!.start = first.LastEvaluatedKey;

  let active = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const launch = () => {
      while (!failed && active < concurrency && pending.length > 0) {
        const range = pending.shift()!;
        active++;
        run(range).then(
          () => {
            active--;
            if (active === 0 && pending.length === 0) resolve();
            else launch();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    const run = async (range: Range) => {
      for (;;) {
        const condition = range.to === undefined ? ' AND #sk >= :from' : ' AND #sk BETWEEN :from AND :to';
        const values = range.to === undefined ? { ':from': range.from } : { ':from': range.from, ':to': range.to };
        const page = await send(range.start ? { ExclusiveStartKey: range.start } : {}, condition, values);
        keep(page.Items);
        if (!page.LastEvaluatedKey) return;
        range.start = page.LastEvaluatedKey;
        if (active + pending.length < concurrency) {
          // A slot is free: hand the upper half of what is left of this range to a new worker.
          const at = String(page.LastEvaluatedKey[input.sortAttribute]);
          const [mid] = splitPoints(at, range.to ?? range.cutLimit, 2);
          if (mid !== undefined) {
            pending.push({ from: mid, to: range.to, cutLimit: range.cutLimit });
            range.to = mid;
            launch();
          }
        }
      }
    };
    launch();
  });
  return { items: [...byKey.values()], queries };
}
