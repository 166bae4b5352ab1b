/** Block Kit of filing (pure): the case-text modal within Slack's limits, the message of each filing state. */
import { describe, expect, it } from 'vitest';
import { buildCaseTextModal, buildClaimMessage, chunkLines, LIMITS } from '../../src/slack/blocks.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { fleetClaim, fleetPart } from '../helpers/fleet-fixture.ts';

const now = new Date('2025-10-22T00:00:00Z');
const textOf = (blocks: unknown) => JSON.stringify(blocks);

describe('filing blocks', () => {
  it('splits text at line ends into pieces that rejoin to the text', () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n');
    const chunks = chunkLines(text, 500);
    expect(chunks.every((c) => c.length <= 500)).toBe(true);
    expect(chunks.join('\n')).toBe(text);
    expect(chunkLines('y'.repeat(1200), 500).map((c) => c.length)).toEqual([500, 500, 200]);
  });

  it('the case-text modal keeps every section under 3,000 characters, even for a claim at the body limit', () => {
    const evidence = Array.from({ length: 50 }, (_, i) => ({
      ...sampleClaim().evidence[0]!,
      eventArn: `arn:aws:health:us-east-1::event/DYNAMODB/X/E_${i}_<&>${'z'.repeat(80)}`,
      affectedResources: Array.from({ length: 10 }, (_, k) => `t<${i}>&${k}`),
      affectedResourceCount: 10,
    }));
    const modal = buildCaseTextModal(sampleClaim({ evidence }));
    expect(modal.blocks.length).toBeLessThanOrEqual(100);
    for (const block of modal.blocks as { text?: { text: string } }[]) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(modal.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(textOf(modal.blocks)).toContain('&lt;');
  });

  it('points a person filing a large fleet by hand to the CSV of its full list, and a small fleet to nothing', () => {
    const big = textOf(buildCaseTextModal(fleetClaim()).blocks);
    expect(big).toContain('attach the full list of 10,003');
    expect(big).toContain('--files DIR');
    const small = fleetClaim({}, [fleetPart({ resourceCount: 2, resources: ['i-1', 'i-2'] })]);
    expect(textOf(buildCaseTextModal({ ...small, fleet: { resourceCount: 2, parts: small.fleet!.parts } }).blocks)).not.toContain('--files');
  });

  it('ready to file: the reason and the two buttons; submitted: the case and no buttons; manual case without display id shows its id', () => {
    const ready = buildClaimMessage(sampleClaim({ status: 'ready_to_file', filingNote: 'the contract says filing: manual for this account' }), { now });
    expect(textOf(ready.blocks)).toContain('filing: manual');
    expect(textOf(ready.blocks)).toContain('claim_case_text');
    expect(textOf(ready.blocks)).toContain('claim_mark_filed');
    const submitted = buildClaimMessage(
      sampleClaim({ status: 'submitted', filing: { via: 'support-api', caseId: 'case-123456789012-2025-abc', displayId: '1000000001', filedAt: '2025-10-22T00:00:00.000Z', filedBy: 'system', filedInAccount: '123456789012' } }),
      { now },
    );
    expect(textOf(submitted.blocks)).toContain('displayId=1000000001|1000000001');
    expect(textOf(submitted.blocks)).not.toContain('"actions"');
    const manual = buildClaimMessage(sampleClaim({ status: 'submitted', filing: { via: 'manual', caseId: 'case-123456789012-2025-abcdef', filedAt: '2025-10-23T10:00:00.000Z', filedBy: 'U0PERSON' } }), { now });
    expect(textOf(manual.blocks)).toContain('case `case-123456789012-2025-abcdef`');
    expect(textOf(manual.blocks)).toContain('<@U0PERSON>');
  });
});
