/**
 * Snapshot of every conditional write the pipeline and the claim store send (issue 11): ConditionExpression and
 * UpdateExpression per operation, captured by a middleware on the client while a realistic sequence runs (an incident
 * opened, updated, redelivered, closed; a claim created, recomputed, moved to pending approval and approved).
 * A change of a condition must be deliberate: refresh with `npx vitest run tests/integration/conditional-writes -u`
 * and review the diff (the storage reshape of issue 12 changes these on purpose).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { healthEnvelope } from '../helpers/event-builder.ts';
import { ingestPayload } from '../../src/pipeline/ingest.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';
import { deps } from '../helpers/pipeline.ts';

let db: Db;
const sent: { op: string; condition?: string; update?: string }[] = [];

beforeAll(async () => {
  db = await freshDb('cond');
  db.client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const op = context.commandName ?? 'unknown';
      const record = (name: string, item: Record<string, unknown>) => {
        if (item.ConditionExpression || item.UpdateExpression) {
          sent.push({ op: name, ...(item.ConditionExpression ? { condition: String(item.ConditionExpression) } : {}), ...(item.UpdateExpression ? { update: normalise(String(item.UpdateExpression)) } : {}) });
        }
      };
      if (Array.isArray(input.Statements)) {
        // PartiQL (several claims per BatchExecuteStatement): the statement is the condition (INSERT, UPDATE … WHERE).
        for (const st of input.Statements as { Statement: string }[]) sent.push({ op, condition: normaliseStatement(st.Statement) });
      } else if (Array.isArray(input.TransactItems)) {
        for (const t of input.TransactItems as Record<string, Record<string, unknown>>[]) for (const [kind, body] of Object.entries(t)) record(`${op}.${kind}`, body);
      } else record(op, input);
      return next(args);
    },
    { step: 'initialize', name: 'captureConditions' },
  );
});
afterAll(() => db?.client.destroy());

/** Generated attribute placeholders (#f0 = :f0, …) in one form, so field order changes do not churn the snapshot. */
function normalise(expression: string): string {
  return expression.replace(/(?:#f\d+ = :f\d+, )+#f\d+ = :f\d+/g, '#f… = :f…');
}

/** The generated attribute lists of a PartiQL statement in one form, and the table name out. */
function normaliseStatement(statement: string): string {
  return statement
    .replace(/"[^"]+" = \?(?:, "[^"]+" = \?)+/g, '"…" = ?, …')
    .replace(/\{'[^']+': \?(?:, '[^']+': \?)+\}/g, "{'…': ?, …}")
    .replace(/(INTO|UPDATE) "[^"]+"/, '$1 "table"');
}

const spec = {
  account: '123456789012',
  eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/AWS_DYNAMODB_OPERATIONAL_ISSUE_COND',
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:48:00Z',
  description: 'Increased error rates.',
} as const;

it('the condition and update expressions of incidents, claims and transitions', async () => {
  const d = deps(db);
  const open = healthEnvelope({ ...spec, lastUpdated: '2025-10-20T07:30:00Z', status: 'open' });
  const closed = healthEnvelope({ ...spec, end: '2025-10-20T09:40:00Z', lastUpdated: '2025-10-20T09:40:00Z', status: 'closed' });
  const [first] = await ingestPayload(open, 'open', d);
  await ingestPayload(open, 'redelivery', d);
  await ingestPayload(closed, 'closed', d);
  const claimId = first!.kind === 'processed' ? first!.claims[0]!.claimId : '';
  const claim = (await d.claims.getClaim(claimId))!;
  const pending = await d.claims.transition({ claimId, from: 'draft', to: 'pending_approval', expectedVersion: claim.version, actor: 'system', at: '2025-11-15T00:00:00Z' });
  expect(pending.ok).toBe(true);
  await d.claims.setSlackRef(claimId, { channel: 'C1', ts: '1.0', shownVersion: claim.version + 1 }, claim.version + 1);
  await d.claims.transition({ claimId, from: 'pending_approval', to: 'approved', expectedVersion: claim.version + 1, actor: 'U1', at: '2025-11-15T00:01:00Z' });

  // One line per distinct operation shape, in first-seen order.
  const shapes = [...new Set(sent.map((s) => `${s.op}: ${s.condition ?? '–'}${s.update ? ` | ${s.update}` : ''}`))];
  expect(shapes).toMatchSnapshot();
});

it('the conditional PartiQL statements of an update touching two months (one BatchExecuteStatement)', async () => {
  sent.length = 0;
  const d = deps(db);
  const arn = `${spec.eventArn}-SPLIT`;
  // Open across a month boundary: two new claims, then a later update rewrites both.
  const first = healthEnvelope({ ...spec, account: '210987654321', eventArn: arn, start: '2025-10-31T22:00:00Z', lastUpdated: '2025-11-01T01:00:00Z', status: 'open' });
  const second = healthEnvelope({ ...spec, account: '210987654321', eventArn: arn, start: '2025-10-31T22:00:00Z', end: '2025-11-01T02:00:00Z', lastUpdated: '2025-11-01T02:10:00Z', status: 'closed' });
  const [a] = await ingestPayload(first, 'open', { ...d, now: () => Date.parse('2025-11-01T01:30:00Z') });
  const [b] = await ingestPayload(second, 'closed', { ...d, now: () => Date.parse('2025-11-01T03:00:00Z') });
  expect(a!.kind === 'processed' && a!.claims.map((c) => c.month)).toEqual(['2025-10', '2025-11']);
  expect(b!.kind === 'processed' && b!.claims.map((c) => [c.month, c.version])).toEqual([['2025-10', 2], ['2025-11', 2]]);
  const shapes = [...new Set(sent.map((s) => `${s.op}: ${s.condition ?? '–'}${s.update ? ` | ${s.update}` : ''}`))];
  expect(shapes).toMatchSnapshot();
});
