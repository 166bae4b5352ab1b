/**
 * The case text of a fleet claim (one case for every affected resource): every resource ID with its incidents,
 * downtime and credit in the body when it fits; else a CSV attachment holding all of them, the body naming it, the
 * count and the first resources, always under the 8,000-character body with the claim token.
 */
import { describe, expect, it } from 'vitest';
import { incidentKeyOf } from '../../src/claims/ids.ts';
import { filingToken } from '../../src/claims/lifecycle.ts';
import { buildCaseText, caseTextForClaim, MAX_BODY_CHARS, tokenLine } from '../../src/filing/case-text.ts';
import { FLEET_CSV_HEADER, fleetCsvFiles, FleetListTooLargeError, readFleetLists } from '../../src/filing/fleet-list.ts';
import { getSla } from '../../src/sla/index.ts';
import { BIG_ARN, fleetClaim, instanceIds, SMALL_ARN } from '../helpers/fleet-claims.ts';
import { memoryResourceLists } from '../helpers/resource-lists.ts';

const csvRows = (data: Uint8Array) => Buffer.from(data).toString('utf8').split('\r\n').filter(Boolean);

describe('fleet case text', () => {
  it('a small fleet: every resource ID inline, grouped with its incidents, downtime and credit; no attachment', async () => {
    const big = instanceIds(12, 'i-0b');
    const small = ['i-0aaa', 'i-0bbb', 'i-0ccc'];
    const claim = await fleetClaim(big, small);
    const text = caseTextForClaim(claim);
    expect(text.files).toEqual([]);
    for (const id of [...big, ...small]) expect(text.body).toContain(id);
    expect(text.body).toContain('Affected resources: 15, in 2 group(s) by downtime, every resource ID listed below');
    expect(text.body).toContain('Group 1 of 2: 12 resource(s), incident 1: 172 min unavailable, uptime 99.6147 %, credit 10 % (less than 99.5 % but equal to or greater than 99.0 % → 10 % credit); credit $200.00 of $2,000.00');
    expect(text.body).toContain('Group 2 of 2: 3 resource(s), incident 2: 30 min unavailable, uptime 99.9328 %, credit 0 % (commitment met); credit $0.00 of $50.00');
    expect(text.body).toContain(`   i-0aaa, i-0bbb, i-0ccc`);
    expect(text.body).toContain(BIG_ARN);
    expect(text.body).toContain(SMALL_ARN);
    expect(text.body).toContain('Credit requested: $200.00 in total');
    expect(text.body).not.toContain('Resource: ');
    expect(text.body.endsWith(tokenLine(filingToken(claim.claimId)))).toBe(true);
    expect(text.body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
  });

  it('a 10 000-resource fleet: the full list in one CSV attachment (10 000 rows), the body names it, the count and the first resources, under 8,000 characters', async () => {
    const lists = memoryResourceLists();
    const big = instanceIds(10_000);
    const small = ['i-0aaa', 'i-0bbb', 'i-0ccc'];
    const claim = await fleetClaim(big, small, lists);
    const full = await readFleetLists(claim, lists);
    expect(full.map((l) => l.length)).toEqual([10_000, 3]);
    const text = caseTextForClaim(claim, { fleetLists: full });
    expect(text.body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(text.files.map((f) => f.fileName)).toEqual(['ec2-instance-us-east-1-2025-10-resources.csv']);
    const rows = csvRows(text.files[0]!.data);
    expect(rows[0]).toBe(FLEET_CSV_HEADER);
    expect(rows.slice(1)).toHaveLength(10_003);
    expect(rows.slice(1).filter((r) => r.includes(BIG_ARN))).toHaveLength(10_000);
    expect(rows[1]).toBe(`${big[0]},${BIG_ARN},172,99.6147,10`);
    expect(rows.at(-1)).toBe(`i-0ccc,${SMALL_ARN},30,99.9328,0`);
    expect(new Set(rows.slice(1).map((r) => r.split(',')[0]))).toEqual(new Set([...big, ...small]));
    expect(text.body).toContain('Affected resources: 10003, in 2 group(s) by downtime below; every resource ID, with its incidents, downtime and credit, is in the attached ec2-instance-us-east-1-2025-10-resources.csv (10003 rows)');
    expect(text.body).toContain('Attached: ec2-instance-us-east-1-2025-10-resources.csv');
    expect(text.body).toContain(`${big[0]}, ${big[1]}`);
    expect(text.body).toContain('(+');
    expect(text.body).toMatch(/\+\d+ more in ec2-instance-us-east-1-2025-10-resources\.csv\)/);
    expect(text.body).toContain('i-0aaa, i-0bbb, i-0ccc');
    expect(text.body).toContain(`- the instance ID of each affected Single EC2 Instance: see "Affected resources" and the attached ec2-instance-us-east-1-2025-10-resources.csv`);
    expect(text.body.endsWith(tokenLine(filingToken(claim.claimId)))).toBe(true);
  });

  it('without the full lists (the Slack modal) a big fleet shows its samples and counts, no attachment', async () => {
    const claim = await fleetClaim(instanceIds(10_000), ['i-0aaa']);
    const text = caseTextForClaim(claim);
    expect(text.files).toEqual([]);
    expect(text.body).toContain('+9980 more');
    expect(text.body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(text.body.endsWith(tokenLine(filingToken(claim.claimId)))).toBe(true);
  });

  it('200 groups and 60 incidents: under 8,000 characters with the token, the groups and incidents left out counted, every resource in the CSV', async () => {
    const base = await fleetClaim(instanceIds(30), ['i-0aaa']);
    const evidence = Array.from({ length: 60 }, (_, i) => ({ ...base.evidence[0]!, eventArn: `${BIG_ARN}_${String(i).padStart(3, '0')}_${'x'.repeat(60)}` }));
    const lists = Array.from({ length: 200 }, (_, g) => instanceIds(30, `i-${g.toString(16).padStart(3, '0')}`));
    const parts = lists.map((list, g) => ({ ...base.fleet!.parts[0]!, incidents: [incidentKeyOf(base.account, evidence[g % 60]!.eventArn)], resourceCount: list.length, resources: list.slice(0, 20), chunks: ['x'] }));
    const claim = { ...base, evidence, fleet: { resourceCount: 6000, parts } };
    const text = buildCaseText(claim, getSla('ec2-instance')!.claim, { fleetLists: lists });
    expect(text.body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(text.body.endsWith(tokenLine(filingToken(claim.claimId)))).toBe(true);
    expect(text.body).toMatch(/\+\d+ more groups \(every resource is in the attached list\)/);
    expect(text.body).toMatch(/\+\d+ more incidents/);
    expect(csvRows(text.files[0]!.data).slice(1)).toHaveLength(6000);
  });

  it('lists given that do not match the groups are an error naming the claim', async () => {
    const claim = await fleetClaim(instanceIds(30), ['i-0aaa']);
    expect(() => buildCaseText(claim, getSla('ec2-instance')!.claim, { fleetLists: [instanceIds(29), ['i-0aaa']] })).toThrow(`claim ${claim.claimId}: the resource lists given (29, 1) do not match its fleet groups (30, 1)`);
  });

  it('a list over one attachment is split over several of one set; over three it is an error naming the claim and the size', async () => {
    const claim = await fleetClaim(instanceIds(1000), ['i-0aaa']);
    const lists = [instanceIds(1000), ['i-0aaa']];
    const files = fleetCsvFiles(claim, lists, 3, 60_000);
    expect(files.map((f) => f.fileName)).toEqual(['ec2-instance-us-east-1-2025-10-resources-1-of-3.csv', 'ec2-instance-us-east-1-2025-10-resources-2-of-3.csv', 'ec2-instance-us-east-1-2025-10-resources-3-of-3.csv']);
    for (const f of files) {
      expect(f.data.byteLength).toBeLessThanOrEqual(60_000);
      expect(csvRows(f.data)[0]).toBe(FLEET_CSV_HEADER);
    }
    expect(files.flatMap((f) => csvRows(f.data).slice(1))).toHaveLength(1001);
    expect(() => fleetCsvFiles(claim, lists, 3, 40_000)).toThrow(FleetListTooLargeError);
    expect(() => fleetCsvFiles(claim, lists, 3, 40_000)).toThrow(new RegExp(`^claim ${claim.claimId}: its list of 1001 resources is \\d+ bytes of CSV, more than 3 attachment\\(s\\) of 40000 bytes`));
  });

  it('a missing resource list is an error naming it', async () => {
    const claim = await fleetClaim(instanceIds(30), ['i-0aaa']);
    await expect(readFleetLists(claim, memoryResourceLists())).rejects.toThrow(/resource list [0-9a-f]{64}: not found/);
  });

  it('CSV cells with commas, quotes or a leading = are quoted', async () => {
    const claim = await fleetClaim(['a,b', 'say "x"', '=cmd'], []);
    const [file] = fleetCsvFiles(claim, [['a,b', 'say "x"', '=cmd'], []]);
    expect(csvRows(file!.data).slice(1).map((r) => r.split(`,${BIG_ARN}`)[0])).toEqual(['"a,b"', '"say ""x"""', '"=cmd"']);
  });
});
