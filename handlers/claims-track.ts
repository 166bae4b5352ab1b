/**
 * Scheduled (every 6 hours): reads the AWS Support cases of submitted claims and records AWS's answers; a stated
 * outcome makes the claim credited or denied, anything else is posted to Slack as "AWS replied"
 * (src/tracking/track-cases.ts). Dependencies: handlers/wiring.ts.
 */
import { trackCases, type TrackDeps } from '../src/tracking/track-cases.ts';
import { claimsTrackDeps, lambda } from './wiring.ts';

export async function claimsTrack(_event: unknown, deps: TrackDeps) {
  return trackCases(deps);
}

export const handler = lambda('claims-track', claimsTrackDeps, claimsTrack);
