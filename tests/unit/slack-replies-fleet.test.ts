/** "AWS replied" in Slack names a fleet claim by its resource count, like the approval message. */
import { describe, expect, it } from 'vitest';
import { awsRepliedText } from '../../src/tracking/slack-replies.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { fleetClaim } from '../helpers/fleet-fixture.ts';

const answer = { at: '2025-11-20T10:00:00.000Z', from: 'Amazon Web Services', body: 'We have applied the credit.' };
const filing = { via: 'support-api', caseId: 'case-1', displayId: '172834561234', filedAt: '2025-11-02T10:00:00.000Z', filedBy: 'system' } as const;

describe('awsRepliedText', () => {
  it('names a fleet claim by how many resources it covers, and a legacy claim by its resource', () => {
    const fleet = awsRepliedText(fleetClaim({ status: 'submitted', filing }), answer, { status: 'credited', reason: '' });
    expect(fleet).toContain('(Amazon EC2 — Instance-Level SLA, 10,003 resources in us-east-1, account 123456789012, 2025-10)');
    const legacy = awsRepliedText(sampleClaim({ status: 'submitted', filing, resource: 'i-0abc' }), answer, { status: 'credited', reason: '' });
    expect(legacy).toContain('Amazon DynamoDB (Standard), i-0abc, account 123456789012, 2025-10');
  });
});
