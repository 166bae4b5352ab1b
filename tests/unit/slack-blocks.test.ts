import type { KnownBlock } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/claims/types.ts';
import {
  ACTION_APPROVE,
  ACTION_REJECT,
  LIMITS,
  REASON_ACTION_ID,
  REASON_BLOCK_ID,
  alreadyDecidedText,
  awaitsChargesConfirmation,
  buildClaimMessage,
  buildRejectModal,
  clip,
  decodeButtonValue,
  decodeRejectMetadata,
  encodeButtonValue,
  escapeMrkdwn,
  evidenceText,
  fleetPartsText,
} from '../../src/slack/blocks.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { fleetClaim, fleetPart, instanceIds } from '../helpers/fleet-fixture.ts';
import { messageText } from '../helpers/fake-slack.ts';

const NOW = new Date('2025-11-01T12:00:00Z');

function evidence(i: number, overrides: Partial<Evidence> = {}): Evidence {
  return {
    eventArn: `arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_${String(i).padStart(5, '0')}`,
    service: 'EC2',
    eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
    region: 'us-east-1',
    startTime: '2025-10-20T06:48:00.000Z',
    endTime: '2025-10-20T09:40:00.000Z',
    statusCode: 'closed',
    description: 'x'.repeat(2000),
    affectedResources: [],
    affectedResourceCount: 0,
    ...overrides,
  };
}

type Section = { type: 'section'; text?: { text: string }; fields?: { text: string }[] };
type Actions = { type: 'actions'; block_id: string; elements: { action_id: string; value: string; style?: string }[] };

const sections = (blocks: KnownBlock[]) => blocks.filter((b): b is KnownBlock & Section => b.type === 'section');
const actions = (blocks: KnownBlock[]) => blocks.find((b) => b.type === 'actions') as (KnownBlock & Actions) | undefined;

function assertWithinLimits(blocks: KnownBlock[]) {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  for (const block of blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    if (block.type === 'section') {
      const s = block as Section;
      if (s.text) expect(s.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(s.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fieldsPerSection);
      for (const f of s.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
    }
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
    if (block.type === 'actions') {
      for (const e of (block as Actions).elements) expect(e.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    }
  }
}

describe('buildClaimMessage', () => {
  it('shows service, Region, month, downtime, uptime vs commitment, credit, deadline with days left, and the evidence', () => {
    const claim = sampleClaim({ status: 'pending_approval', version: 2 });
    const { text, blocks } = buildClaimMessage(claim, { now: NOW });
    const all = messageText(blocks);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'SLA credit claim: Amazon DynamoDB (Standard) · us-east-1 · 2025-10' } });
    expect(all).toContain('*Service*\nAmazon DynamoDB (Standard)');
    expect(all).toContain('*Region*\n`us-east-1`');
    expect(all).toContain('*Month*\n2025-10');
    expect(all).toContain('*Downtime*\n172 min (2 h 52 min)');
    expect(all).toContain('*Uptime*\n99.6147 % (commitment 99.99 %)');
    expect(all).toContain('*Credit*\n10 % of $5,000.00 = $500.00');
    expect(all).toContain('*Deadline*\n2025-12-31 (60 days left)');
    expect(all).toContain(claim.evidence[0]?.eventArn);
    expect(all).toContain('2025-10-20 06:48 UTC → 2025-10-20 09:40 UTC');
    expect(all).toContain('Awaiting approval');
    expect(text).toContain('$500.00');
    assertWithinLimits(blocks);
  });

  it('shows the resource for resource-level claims, provisional downtime and unknown charges', () => {
    const claim = sampleClaim({
      status: 'pending_approval',
      resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc',
      provisional: true,
      chargesCents: null,
      creditCents: null,
      chargesKnown: false,
    });
    const all = messageText(buildClaimMessage(claim, { now: NOW }).blocks);
    expect(all).toContain('*Resource*\n`arn:aws:ec2:us-east-1:123456789012:instance/i-0abc`');
    expect(all).toContain('provisional');
    expect(all).toContain("10 % of the month's charges — charges unknown: confirm the month's charges before filing");
  });

  it('sends a claim with unknown charges for approval, saying the charges must be confirmed before filing', () => {
    const unknown = { chargesCents: null, creditCents: null, chargesKnown: false, claimable: false, creditPercent: 25 } as const;
    const claim = sampleClaim({ status: 'pending_approval', version: 2, ...unknown });
    const { text, blocks } = buildClaimMessage(claim, { now: NOW });
    const all = messageText(blocks);
    expect(all).toContain("*Awaiting approval*: :warning: *credit 25 % — charges unknown: confirm the month's charges before filing.*");
    expect(all).toContain("*Credit*\n25 % of the month's charges — charges unknown: confirm the month's charges before filing");
    expect(all).not.toContain('No longer claimable');
    expect(all).not.toContain('$');
    expect(text).toContain('25 % (charges unknown)');
    const block = actions(blocks);
    expect(block?.elements.map((e) => e.action_id)).toEqual([ACTION_APPROVE, ACTION_REJECT]);
    const approve = block?.elements[0] as unknown as { confirm: { text: { text: string } } };
    expect(approve.confirm.text.text).toMatch(/^The charges are unknown: confirm the month's charges before filing\. File a claim for \*25 % \(charges unknown\)\*/);
    assertWithinLimits(blocks);

    // Once the deadline has passed: only Reject, and the message says why.
    const late = buildClaimMessage(claim, { now: new Date('2026-01-01T00:00:00Z') }).blocks;
    expect(actions(late)?.elements.map((e) => e.action_id)).toEqual([ACTION_REJECT]);
    expect(messageText(late)).toContain('No longer claimable*: the filing deadline has passed');
  });

  it('awaitsChargesConfirmation: credit owed, charges unknown, deadline (UTC day) not passed', () => {
    const unknown = sampleClaim({ chargesCents: null, creditCents: null, chargesKnown: false, claimable: false, creditPercent: 25 });
    expect(awaitsChargesConfirmation(unknown, NOW)).toBe(true);
    expect(awaitsChargesConfirmation(unknown, new Date('2025-12-31T23:59:59Z'))).toBe(true); // due today
    expect(awaitsChargesConfirmation(unknown, new Date('2026-01-01T00:00:00Z'))).toBe(false);
    expect(awaitsChargesConfirmation({ ...unknown, creditPercent: 0 }, NOW)).toBe(false);
    expect(awaitsChargesConfirmation(sampleClaim(), NOW)).toBe(false); // charges known
    expect(awaitsChargesConfirmation(sampleClaim({ claimable: false, creditCents: 90 }), NOW)).toBe(false);
  });

  it('puts Approve and Reject buttons whose values name the claim and the version shown', () => {
    const claim = sampleClaim({ status: 'pending_approval', version: 7 });
    const block = actions(buildClaimMessage(claim, { now: NOW, approvers: new Set(['U1', 'U2']) }).blocks);
    expect(block?.block_id).toBe('claim-actions-v7');
    expect(block?.elements.map((e) => e.action_id)).toEqual([ACTION_APPROVE, ACTION_REJECT]);
    for (const e of block?.elements ?? []) expect(decodeButtonValue(e.value)).toEqual({ claimId: claim.claimId, version: 7 });
    expect(block?.elements[0]?.style).toBe('primary');
    expect(block?.elements[1]?.style).toBe('danger');
  });

  it('offers only Reject for a pending claim that is no longer claimable', () => {
    const block = actions(buildClaimMessage(sampleClaim({ status: 'pending_approval', claimable: false, creditCents: 90 }), { now: NOW }).blocks);
    expect(block?.elements.map((e) => e.action_id)).toEqual([ACTION_REJECT]);
  });

  it('shows decisions without buttons', () => {
    const approved = buildClaimMessage(sampleClaim({ status: 'approved', version: 3, decidedBy: 'U0APPROVER' }), { now: NOW }).blocks;
    expect(messageText(approved)).toContain('Approved by <@U0APPROVER>');
    expect(actions(approved)).toBeUndefined();
    const rejected = buildClaimMessage(
      sampleClaim({ status: 'rejected', version: 3, decidedBy: 'U0REJECTER', decisionReason: 'covered by <credits> & refunds' }),
      { now: NOW },
    ).blocks;
    expect(messageText(rejected)).toContain('Rejected by <@U0REJECTER>*: covered by &lt;credits&gt; &amp; refunds');
    expect(actions(rejected)).toBeUndefined();
  });

  it('marks a duplicate post without buttons, pointing at the tracked message', () => {
    const { blocks } = buildClaimMessage(sampleClaim({ status: 'pending_approval' }), { now: NOW, duplicateOf: { channel: 'C1', ts: '123.456' } });
    expect(messageText(blocks)).toContain('Duplicate post');
    expect(actions(blocks)).toBeUndefined();
  });

  it('respects Slack limits with 500 long evidence entries, ending the list with "+N more"', () => {
    const many = Array.from({ length: 500 }, (_, i) => evidence(i));
    const { blocks } = buildClaimMessage(sampleClaim({ status: 'pending_approval', evidence: many }), { now: NOW });
    assertWithinLimits(blocks);
    const text = sections(blocks).find((s) => s.text?.text.startsWith('*Evidence*'))?.text?.text ?? '';
    expect(text.startsWith('*Evidence* (500 events)')).toBe(true);
    const shown = text.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(shown).toBeGreaterThan(0);
    expect(text.endsWith(`\n+${500 - shown} more`)).toBe(true);
  });

  it('keeps the evidence section within 3000 characters even with huge ARNs', () => {
    const huge = Array.from({ length: 12 }, (_, i) => evidence(i, { eventArn: `arn:aws:health:${'z'.repeat(2500)}${i}` }));
    const text = evidenceText(huge);
    expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(text).toMatch(/\+\d+ more$/);
    const { blocks } = buildClaimMessage(sampleClaim({ status: 'pending_approval', evidence: huge, slaClause: { ...sampleClaim().slaClause, name: 'N'.repeat(400) } }), { now: NOW });
    assertWithinLimits(blocks);
  });

  it('shows every event when they fit, without "+N more"', () => {
    const text = evidenceText([evidence(1, { description: 'short' }), evidence(2, { endTime: null })]);
    expect(text).not.toContain('more');
    expect(text).toContain('→ ongoing');
  });

  it('escapes mrkdwn control characters from AWS-provided text', () => {
    const claim = sampleClaim({ status: 'pending_approval', evidence: [evidence(1, { eventArn: 'arn:<!channel>&x', statusCode: '<b>' })] });
    const all = messageText(buildClaimMessage(claim, { now: NOW }).blocks);
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('arn:&lt;!channel&gt;&amp;x');
    expect(escapeMrkdwn('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });

  it('counts down the deadline', () => {
    const at = (iso: string) => messageText(buildClaimMessage(sampleClaim({ status: 'pending_approval' }), { now: new Date(iso) }).blocks);
    expect(at('2025-12-30T23:00:00Z')).toContain('2025-12-31 (1 day left)');
    expect(at('2025-12-31T08:00:00Z')).toContain('2025-12-31 (due today)');
    expect(at('2026-01-02T08:00:00Z')).toContain('2025-12-31 (passed 2 day(s) ago)');
  });
});

describe('buildClaimMessage: fleet claims (one claim, many resources)', () => {
  const groupsOf = (blocks: KnownBlock[]) => sections(blocks).find((s) => s.text?.text.startsWith('*Resource groups*'))?.text?.text ?? '';

  it('says how many resources it covers and lists each group: count, ≤ 3 ids then "+ N more", downtime, credit %', () => {
    const claim = fleetClaim({ status: 'pending_approval', version: 3 });
    const { text, blocks } = buildClaimMessage(claim, { now: NOW });
    const all = messageText(blocks);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'SLA credit claim: Amazon EC2 — Instance-Level SLA · 10,003 resources in us-east-1 · 2025-10' } });
    expect(all).toContain('*Resources*\n10,003 resources in `us-east-1`');
    expect(all).toContain('*Downtime*\n172 min (2 h 52 min)\n_longest of 2 groups_');
    expect(all).toContain("*Credit*\nup to 10 % of the resources' charges — charges unknown: confirm the month's charges before filing");
    expect(all).toContain('*credit up to 10 % — charges unknown');
    const groups = groupsOf(blocks).split('\n');
    expect(groups[0]).toBe("*Resource groups* (10,003 resources in 2 groups; a group's resources were hit by the same events)");
    // The ARNs' resource part: the claim already shows the account and the Region.
    expect(groups[1]).toBe('• *10,000 resources*: `instance/i-00000000000000000`, `instance/i-00000000000000001`, `instance/i-00000000000000002` + 9,997 more');
    expect(groups[2]).toBe('   172 min (2 h 52 min) down · uptime 99.6147 % · credit 10 % (charges unknown) · 1 event');
    expect(groups[3]).toBe('• *3 resources*: `i-a`, `i-b`, `i-c`');
    expect(groups[4]).toBe('   30 min down · uptime 99.9328 % · no credit (commitment met) · 1 event');
    expect(groups).toHaveLength(5);
    expect(all).not.toContain('i-00000000000000003');
    expect(text).toContain('10,003 resources in us-east-1');
    // One claim, one decision: the same buttons, naming the claim and the version shown.
    const block = actions(blocks);
    expect(block?.elements.map((e) => e.action_id)).toEqual([ACTION_APPROVE, ACTION_REJECT]);
    expect(decodeButtonValue(block?.elements[0]?.value)).toEqual({ claimId: claim.claimId, version: 3 });
    assertWithinLimits(blocks);
    // A legacy per-resource claim (resource set, no fleet) keeps its rendering: no groups.
    const legacy = buildClaimMessage(sampleClaim({ status: 'pending_approval', resource: 'i-0abc' }), { now: NOW }).blocks;
    expect(groupsOf(legacy)).toBe('');
    expect(messageText(legacy)).toContain('*Resource*\n`i-0abc`');
  });

  it("shows each group's credit when its charges are known, and the claim's credit as their sum", () => {
    const parts = [
      fleetPart({ resourceCount: 2, resources: ['i-1', 'i-2'], downtimeMinutes: 600, uptimePercent: 98.6559, creditPercent: 30, tierText: '30 %', chargesCents: 20_000, creditCents: 6_000 }),
      fleetPart({ resourceCount: 1, resources: ['i-3'], downtimeMinutes: 250, uptimePercent: 99.44, creditPercent: 10, tierText: '10 %', chargesCents: 10_000, creditCents: 1_000 }),
    ];
    const claim = fleetClaim({ status: 'pending_approval' }, parts);
    const all = messageText(buildClaimMessage(claim, { now: NOW }).blocks);
    expect(all).toContain("*Credit*\n$70.00, the sum of the 2 groups' credits (charges $300.00)");
    expect(all).toContain('credit 30 % of $200.00 = $60.00');
    expect(all).toContain('credit 10 % of $100.00 = $10.00');
    expect(all).toContain('*1 resource*: `i-3`\n');
    expect(all).toContain('Awaiting approval* to claim *$70.00*');
  });

  it('reads a one-group fleet like a single claim: its percentage of its charges, no "longest of" note', () => {
    const one = [fleetPart({ resourceCount: 4, resources: ['i-1', 'i-2', 'i-3', 'i-4'], creditPercent: 10, tierText: '10 %', chargesCents: 40_000, creditCents: 4_000, downtimeMinutes: 300 })];
    const all = messageText(buildClaimMessage(fleetClaim({ status: 'pending_approval' }, one), { now: NOW }).blocks);
    expect(all).toContain('*Credit*\n10 % of $400.00 = $40.00');
    expect(all).toContain('*Resource groups* (4 resources in 1 group;');
    expect(all).toContain('`i-1`, `i-2`, `i-3` + 1 more');
    expect(all).not.toContain('longest of');
  });

  it('lists at most 5 groups, then "+ N more groups, M resources"', () => {
    const parts = Array.from({ length: 12 }, (_, i) => fleetPart({ resourceCount: 10 + i, resources: instanceIds(10 + i, String(i % 10)).slice(0, 20), downtimeMinutes: 500 - i }));
    const text = fleetPartsText(fleetClaim({}, parts).fleet!);
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(5);
    const hidden = parts.slice(5).reduce((n, p) => n + p.resourceCount, 0);
    expect(text.endsWith(`\n+ 7 more groups, ${hidden} resources`)).toBe(true);
  });

  it('stays within Slack limits with huge resource ids and escapes them', () => {
    const huge = (i: number) => `arn:aws:ec2:us-east-1:123456789012:instance/${'<z>'.repeat(600)}${i}`;
    const parts = Array.from({ length: 40 }, (_, i) => fleetPart({ resourceCount: 100, resources: [huge(i), huge(i + 100), huge(i + 200), huge(i + 300)], downtimeMinutes: 900 - i }));
    const { blocks } = buildClaimMessage(fleetClaim({ status: 'pending_approval' }, parts), { now: NOW });
    assertWithinLimits(blocks);
    const groups = groupsOf(blocks);
    expect(groups.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(groups).not.toContain('<z>');
    expect(groups).toContain('&lt;z&gt;');
    expect(groups).toMatch(/\n\+ 3\d more groups, 3,\d00 resources$/);
  });
});

describe('values carried through Slack', () => {
  it('round-trips button values and refuses oversize or malformed ones', () => {
    expect(decodeButtonValue(encodeButtonValue({ claimId: 'a#b', version: 4 }))).toEqual({ claimId: 'a#b', version: 4 });
    expect(() => encodeButtonValue({ claimId: 'x'.repeat(2100), version: 1 })).toThrow(/2000/);
    for (const bad of [undefined, '', 'nope', '{"claimId":"a"}', '{"claimId":"a","version":0}', '{"claimId":"","version":1}']) {
      expect(decodeButtonValue(bad)).toBeNull();
    }
  });

  it('builds the rejection modal with the claim and version in private_metadata', () => {
    const claim = sampleClaim({ status: 'pending_approval', version: 2 });
    const view = buildRejectModal(claim, { claimId: claim.claimId, version: 2, channel: 'C1', messageTs: '1.2' });
    expect(decodeRejectMetadata(view.private_metadata)).toEqual({ claimId: claim.claimId, version: 2, channel: 'C1', messageTs: '1.2' });
    expect(view.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(view.submit?.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(view.blocks.find((b) => b.type === 'input')).toMatchObject({ block_id: REASON_BLOCK_ID, element: { action_id: REASON_ACTION_ID } });
    expect(decodeRejectMetadata('{"claimId":"a","version":1}')).toBeNull();
  });

  it('tells late clickers who decided', () => {
    expect(alreadyDecidedText(sampleClaim({ status: 'approved', decidedBy: 'U0ABC' }))).toBe('This claim was already approved by <@U0ABC>.');
    expect(alreadyDecidedText(sampleClaim({ status: 'rejected', decidedBy: 'U0ABC' }))).toBe('This claim was already rejected by <@U0ABC>.');
    expect(alreadyDecidedText(sampleClaim({ status: 'pending_approval', version: 5 }))).toContain('version 5');
  });

  it('clips with an ellipsis without splitting surrogate pairs', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('abc', 3)).toBe('abc');
  });
});
