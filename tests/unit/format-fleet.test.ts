/** The shared display helpers of fleet claims (src/format/fleet.ts). */
import { describe, expect, it } from 'vitest';
import { countText, fleetOverview, hiddenPartsText, sampleId, shortId } from '../../src/format/fleet.ts';

describe('fleet display helpers', () => {
  it('counts with the noun and en-US grouping', () => {
    expect(countText(1)).toBe('1 resource');
    expect(countText(10_003)).toBe('10,003 resources');
    expect(countText(2, 'group')).toBe('2 groups');
  });

  it('keeps the first parts with ≤ 3 samples each, and counts what is left out', () => {
    const parts = Array.from({ length: 7 }, (_, i) => ({ resourceCount: i + 1, resources: ['a', 'b', 'c', 'd'].slice(0, i + 1) }));
    const o = fleetOverview(parts);
    expect(o.shown.map((s) => [s.samples.length, s.moreResources])).toEqual([[1, 0], [2, 0], [3, 0], [3, 1], [3, 2]]);
    expect([o.hiddenParts, o.hiddenResources]).toEqual([2, 13]);
    expect(hiddenPartsText(o)).toBe('+ 2 more groups, 13 resources');
    expect(hiddenPartsText(fleetOverview(parts.slice(0, 5)))).toBe('');
    expect(hiddenPartsText({ hiddenParts: 1, hiddenResources: 1 })).toBe('+ 1 more group, 1 resource');
  });

  it('shows an ARN by its resource part, cut from the front without splitting a surrogate pair', () => {
    expect(sampleId('arn:aws:ec2:us-east-1:123456789012:instance/i-0abc')).toBe('instance/i-0abc');
    expect(sampleId('arn:aws:rds:eu-west-1:123456789012:db:orders')).toBe('db:orders');
    expect(sampleId('i-0abc')).toBe('i-0abc');
    expect(shortId('x'.repeat(100), 10)).toBe(`…${'x'.repeat(9)}`);
    const cut = shortId(`${'x'.repeat(20)}😀${'y'.repeat(7)}`, 9);
    expect(cut).toBe(`…${'y'.repeat(7)}`);
  });
});
