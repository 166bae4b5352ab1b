/**
 * Scheduled (daily): matches the credits on the bill (Cost Explorer, record type Credit) to filed claims, records
 * what was paid, flags partial or missing credits 60 days after filing (src/tracking/reconcile-credits.ts).
 * Dependencies: handlers/wiring.ts.
 */
import { reconcileCredits, type ReconcileDeps } from '../src/tracking/reconcile-credits.ts';
import { creditsReconcileDeps, lambda } from './wiring.ts';

export async function creditsReconcile(_event: unknown, deps: ReconcileDeps) {
  return reconcileCredits(deps);
}

export const handler = lambda('credits-reconcile', creditsReconcileDeps, creditsReconcile);
