/** The summary's month read (narrow index gsi2) carries a fleet claim's top-level resourceCount: its line says "N resources". */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { loadSummaryModel } from '../../src/summary/load.ts';
import { renderSummaryEmail } from '../../src/summary/render.ts';
import { freshDb } from '../helpers/db.ts';
import { fleetClaim } from '../helpers/fleet-fixture.ts';

let db: Db;
beforeAll(async () => {
  db = await freshDb('summary-fleet');
});
afterAll(() => db.client.destroy());

it("reads a fleet claim's resourceCount through the narrow month index, never its fleet", async () => {
  const store = new DynamoClaimStore(db);
  const c = fleetClaim({ status: 'draft' });
  await store.saveComputedClaim({ ...c, resourceCount: c.fleet!.resourceCount });
  const [read] = await store.listClaimsByMonthConcurrently('2025-10', { fields: ['claimId', 'resourceCount'] });
  expect(read).toEqual({ claimId: c.claimId, resourceCount: 10_003 });
  const model = await loadSummaryModel(store, '2025-10', { nowMs: Date.parse('2025-11-01T08:00:00Z') });
  expect(model.needsAction[0]?.resourceCount).toBe(10_003);
  expect(renderSummaryEmail(model).text).toContain('us-east-1 · 10,003 resources');
});
