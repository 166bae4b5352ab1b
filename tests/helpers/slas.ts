import type { SlaDefinition } from '../../src/sla/types.ts';

/** Test-local SLA shapes, so the engine tests do not depend on the catalog's figures. */
export function percentSla(overrides: Partial<SlaDefinition> = {}): SlaDefinition {
  return {
    id: 'test-sla',
    name: 'Test SLA',
    services: ['TEST'],
    scope: 'region',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    measurementText: 'minutes unavailable',
    tiers: [
      { below: '99.99', atLeast: '99.0', creditPercent: 10 },
      { below: '99.0', atLeast: '95.0', creditPercent: 25 },
      { below: '95.0', atLeast: null, creditPercent: 100 },
    ],
    creditBase: 'service-region',
    creditBaseText: 'charges',
    source: { url: 'https://example.invalid', lastUpdated: null, verified: false },
    claim: { subject: 'SLA Credit Request', evidence: [] },
    ...overrides,
  };
}

export function daySla(): SlaDefinition {
  return percentSla({
    id: 'test-days',
    commitmentPercent: '100',
    measurement: 'days-of-charges',
    tiers: [],
    dayTiers: [
      { minMinutes: 5, maxMinutes: 30, days: 1 },
      { minMinutes: 31, maxMinutes: 240, days: 7 },
      { minMinutes: 241, maxMinutes: null, days: 30 },
    ],
  });
}
