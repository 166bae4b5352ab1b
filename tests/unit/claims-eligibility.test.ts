/**
 * Issue 10, rule 3: EC2 (and ECS/Fargate) Region-level means "Region Unavailable": running instances in two or more
 * AZs concurrently without external connectivity (Amazon Compute SLA, https://aws.amazon.com/compute/sla/, catalog
 * `ec2-region` measurementText: "Failed launches, API errors and latency are not Unavailability."). A Health event
 * about launches or API errors must not become a Region-level claim.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regionLevelEligibility, unreachableAzs, type RegionUnavailableEvidence } from '../../src/claims/eligibility.ts';
import { parseEventBridgeHealthEvent } from '../../src/health/parse.ts';
import { getSla } from '../../src/sla/index.ts';

const evidence = (descriptions: string[], over: Partial<RegionUnavailableEvidence> = {}): RegionUnavailableEvidence => ({
  descriptions,
  entities: [],
  eventTypeCodes: ['AWS_EC2_OPERATIONAL_ISSUE'],
  ...over,
});

describe('regionLevelEligibility', () => {
  it('AWS’s own EC2 operational-issue sample (af-south-1) is not Region Unavailable', () => {
    const event = parseEventBridgeHealthEvent(JSON.parse(readFileSync('events/public-ec2-operational-issue-af-south-1.json', 'utf8')));
    const v = regionLevelEligibility('ec2-region', null, { descriptions: [event.description], entities: event.affectedEntities, eventTypeCodes: [event.eventTypeCode] });
    expect(v.eligible).toBe(false);
  });

  it('API errors and latencies (AWS’s us-east-1 sample wording) are not claimable, and the note says why with the SLA', () => {
    const v = regionLevelEligibility('ec2-region', null, evidence(['We are investigating increased API Error rates and Latencies for Amazon Elastic Compute Cloud in the US-EAST-1 Region.']));
    expect(v).toEqual({ eligible: false, reason: expect.stringMatching(/^EC2 Region-level: not claimable — API\/launch errors are not Region Unavailable/) });
    if (!v.eligible) {
      expect(v.reason).toContain('all of your running instances in two or more AZs concurrently have no external connectivity');
      expect(v.reason).toContain('https://aws.amazon.com/compute/sla/');
    }
  });

  it('20 October 2025 wording: launch failures, new instances without connectivity, running instances not affected', () => {
    const v = regionLevelEligibility(
      'ec2-region',
      null,
      evidence([
        'EC2 instance launches are still failing in use1-az1 and use1-az2; running EC2 instances are not affected.',
        'Newly launched instances in use1-az1 and use1-az2 experienced network connectivity issues after launch.',
        'Existing instances in use1-az4 and use1-az6 are not impacted by the connectivity issue.',
      ]),
    );
    expect(v.eligible).toBe(false);
  });

  it('instances that lost connectivity in two named AZs are Region Unavailable evidence', () => {
    const d = 'Some EC2 instances in the use1-az1 and use1-az2 Availability Zones lost network connectivity.';
    expect(unreachableAzs(evidence([d])).sort()).toEqual(['use1-az1', 'use1-az2']);
    expect(regionLevelEligibility('ec2-region', null, evidence([d]))).toEqual({ eligible: true });
    expect(regionLevelEligibility('ec2-region', null, evidence(['Instances in us-east-1a, us-east-1b are unreachable.']))).toEqual({ eligible: true });
  });

  it('"multiple Availability Zones" without names counts as two or more', () => {
    expect(regionLevelEligibility('ec2-region', null, evidence(['We are investigating connectivity issues affecting EC2 instances in multiple Availability Zones in the US-EAST-1 Region.']))).toEqual({ eligible: true });
  });

  it('one AZ is not enough, and the note says so', () => {
    const v = regionLevelEligibility('ec2-region', null, evidence(['A small number of instances in a single Availability Zone (USE1-AZ4) lost connectivity due to a loss of power.']));
    expect(v).toEqual({ eligible: false, reason: expect.stringContaining('one AZ only (use1-az4)') });
  });

  it('IMPAIRED entities in two AZs count; UNIMPAIRED ones do not; an entity that is an AZ counts for it', () => {
    const az: Record<string, string> = { 'i-1': 'us-east-1a', 'i-2': 'us-east-1b', 'i-3': 'us-east-1c' };
    const entityAz = (v: string) => az[v];
    const impaired = [{ entityValue: 'i-1', status: 'IMPAIRED' }, { entityValue: 'i-2', status: 'IMPAIRED' }];
    expect(regionLevelEligibility('ec2-region', null, evidence([''], { entities: impaired, entityAz }))).toEqual({ eligible: true });
    const mixed = [{ entityValue: 'i-1', status: 'IMPAIRED' }, { entityValue: 'i-3', status: 'UNIMPAIRED' }];
    expect(regionLevelEligibility('ec2-region', null, evidence([''], { entities: mixed, entityAz })).eligible).toBe(false);
    const zones = [{ entityValue: 'use1-az1', status: 'IMPAIRED' }, { entityValue: 'use1-az2', status: 'IMPAIRED' }];
    expect(regionLevelEligibility('ec2-region', null, evidence([''], { entities: zones }))).toEqual({ eligible: true });
    // Without an AZ an impaired instance says nothing about the Region.
    expect(regionLevelEligibility('ec2-region', null, evidence([''], { entities: impaired })).eligible).toBe(false);
  });

  it('measured status checks failing in two AZs make it eligible', () => {
    expect(regionLevelEligibility('ec2-region', null, evidence(['API errors.'], { statusCheckAzs: ['us-east-1a', 'us-east-1d'] }))).toEqual({ eligible: true });
  });

  it('ECS and Fargate Region-level follow the same rule, in their own words', () => {
    const v = regionLevelEligibility('fargate', null, evidence(['Increased task launch failures for Fargate.'], { eventTypeCodes: ['AWS_FARGATE_OPERATIONAL_ISSUE'] }));
    expect(v).toEqual({ eligible: false, reason: expect.stringMatching(/^Fargate Region-level: not claimable — .*tasks/) });
    expect(regionLevelEligibility('ecs', null, evidence(['API errors.'])).eligible).toBe(false);
  });

  it('other SLAs and resource-level scopes are not concerned', () => {
    expect(regionLevelEligibility('dynamodb', null, evidence(['Increased API error rates.']))).toEqual({ eligible: true });
    expect(regionLevelEligibility('ec2-region', 'i-1', evidence(['API errors.']))).toEqual({ eligible: true });
    expect(regionLevelEligibility('ec2-instance', 'i-1', evidence(['API errors.']))).toEqual({ eligible: true });
  });

  it('the quoted definition is the catalog’s', () => {
    expect(getSla('ec2-region')!.measurementText).toContain('all of your running instances in two or more AZs concurrently have no external connectivity');
    expect(getSla('ec2-region')!.measurementText).toContain('Failed launches, API errors and latency are not Unavailability.');
  });
});
