/**
 * Issue 10, rule 4: MULTIPLE_SERVICES windows follow the updates. A service's period starts at the first update that
 * lists it as impacted, ends at the update that lists it as recovered, and a later re-impact opens a new period
 * (AWS post-event summary, https://aws.amazon.com/message/101925/: STS recovered at 08:19 UTC on 20 October 2025 and
 * was impacted again 15:31–16:59). The result must not depend on arrival order or duplicates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { impactedServices, serviceStatusLists } from '../../src/health/service-status.ts';
import type { IncidentState, UpdateRecord } from '../../src/pipeline/incidents.ts';
import { serviceWindow, type ServicePeriod } from '../../src/pipeline/windows.ts';
import { outagesOf } from '../../src/claims/outage.ts';
import { computeCredit } from '../../src/credit/engine.ts';
import { getSla } from '../../src/sla/index.ts';

const ms = (iso: string) => Date.parse(iso);
const START = '2025-10-20T06:48:00.000Z';
const END = '2025-10-20T21:20:00.000Z';
const MIN = 60_000;

function state(over: Partial<IncidentState> = {}): IncidentState {
  return {
    account: '123456789012',
    eventArn: 'arn:aws:health:us-east-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/X',
    lastUpdatedMs: ms(END),
    services: ['DYNAMODB', 'LAMBDA', 'STS', 'EC2'],
    rawService: 'MULTIPLE_SERVICES',
    eventTypeCode: 'AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE',
    eventTypeCategory: 'issue',
    eventScopeCode: 'PUBLIC',
    region: 'us-east-1',
    statusCode: 'closed',
    startTime: START,
    endTime: END,
    lastUpdatedTime: END,
    description: 'Resolved.',
    ...over,
  };
}

function update(hhmm: string, impacted: string[], recovered: string[] = [], page = 1): UpdateRecord {
  return { lastUpdatedMs: ms(`2025-10-20T${hhmm}:00.000Z`), page, statusCode: 'open', impacted, recovered };
}
const at = (hhmm: string) => ms(`2025-10-20T${hhmm}:00.000Z`);

/** The 20 October 2025 timeline as Health updates (UTC; the summary's PDT times + 7 h). */
const OCT20: UpdateRecord[] = [
  update('06:50', ['DYNAMODB', 'EC2']),
  update('06:51', ['DYNAMODB', 'EC2', 'LAMBDA', 'STS']),
  update('08:19', ['DYNAMODB', 'EC2', 'LAMBDA'], ['STS']),
  update('09:40', ['EC2', 'LAMBDA'], ['STS', 'DYNAMODB']),
  update('15:31', ['EC2', 'LAMBDA', 'STS'], ['DYNAMODB']),
  update('16:59', ['EC2', 'LAMBDA'], ['DYNAMODB', 'STS']),
  update('20:50', ['LAMBDA'], ['DYNAMODB', 'STS', 'EC2']),
  update('21:15', [], ['DYNAMODB', 'STS', 'EC2', 'LAMBDA']),
  { ...update('21:53', [], ['DYNAMODB', 'STS', 'EC2', 'LAMBDA']), statusCode: 'closed' },
];

describe('impacted / recovered lists of one update (Health wording)', () => {
  it('reads both lists of a multi-service update', () => {
    const d =
      '[08:31 AM PDT] We are seeing increased error rates for STS again.\n\nThe following AWS services were previously impacted but are now operating normally: DYNAMODB.\n\nThe following AWS services are impacted: EC2, LAMBDA, STS.';
    expect(serviceStatusLists(d)).toEqual({ impacted: ['EC2', 'LAMBDA', 'STS'], recovered: ['DYNAMODB'] });
  });

  it('the recovered list is not an impact list, and negations are not either', () => {
    expect(impactedServices('The following AWS services were previously impacted but are now operating normally: APPSYNC, BACKUP, EVENTS.')).toEqual([]);
    expect(impactedServices('Other AWS services are not affected: S3, DYNAMODB.')).toEqual([]);
    expect(impactedServices('Affected services: S3, EC2')).toEqual(['S3', 'EC2']);
  });

  it('a service listed both ways counts as impacted (re-impact while a cumulative recovered list still names it)', () => {
    const d = 'The following AWS services were previously impacted but are now operating normally: STS, DYNAMODB.\nThe following AWS services are impacted: STS.';
    expect(serviceStatusLists(d)).toEqual({ impacted: ['STS'], recovered: ['DYNAMODB'] });
  });
});

describe('serviceWindow follows the updates', () => {
  it('starts at the first update that lists the service as impacted, not at the event start', () => {
    const updates = [update('07:11', ['DYNAMODB']), update('08:26', ['DYNAMODB', 'LAMBDA']), update('12:00', [], ['LAMBDA'])];
    expect(serviceWindow(state(), updates, 'LAMBDA')).toEqual({ startMs: at('08:26'), endMs: at('12:00') });
  });

  it('a service listed by the earliest update starts at the event start (the impact the event was opened for)', () => {
    const updates = [update('07:11', ['DYNAMODB']), update('09:40', [], ['DYNAMODB'])];
    expect(serviceWindow(state(), updates, 'DYNAMODB')).toEqual({ startMs: ms(START), endMs: at('09:40') });
  });

  it('a re-impact opens a second period: STS 06:51–08:19 and 15:31–16:59 (20 October 2025)', () => {
    const w = serviceWindow(state(), OCT20, 'STS');
    expect(w).toEqual({
      startMs: at('06:51'),
      endMs: at('16:59'),
      periods: [
        { startMs: at('06:51'), endMs: at('08:19') },
        { startMs: at('15:31'), endMs: at('16:59') },
      ],
    });
  });

  it('gives the published 20 October 2025 windows for every service', () => {
    const span = (s: string) => {
      const w = serviceWindow(state(), OCT20, s);
      return [new Date(w.startMs).toISOString().slice(11, 16), w.endMs === null ? null : new Date(w.endMs).toISOString().slice(11, 16)];
    };
    expect(span('DYNAMODB')).toEqual(['06:48', '09:40']);
    expect(span('EC2')).toEqual(['06:48', '20:50']);
    expect(span('LAMBDA')).toEqual(['06:51', '21:15']);
  });

  it('a service the updates never list keeps the event window (documented fallback)', () => {
    expect(serviceWindow(state(), OCT20, 'SQS')).toEqual({ startMs: ms(START), endMs: ms(END) });
  });

  it('the event’s own service (not MULTIPLE_SERVICES) is impacted from the event start', () => {
    const s = state({ rawService: 'EC2', services: ['EC2', 'LAMBDA'] });
    const updates = [update('07:11', ['EC2']), update('08:00', ['EC2', 'LAMBDA']), update('09:00', ['EC2'], ['LAMBDA'])];
    expect(serviceWindow(s, updates, 'EC2')).toEqual({ startMs: ms(START), endMs: ms(END) });
    expect(serviceWindow(s, updates, 'LAMBDA')).toEqual({ startMs: at('08:00'), endMs: at('09:00') });
  });

  it('an open event keeps an impacted service open; a stale open period is capped like an open window', () => {
    const s = state({ statusCode: 'open', endTime: null, lastUpdatedMs: at('15:31') });
    const updates = OCT20.slice(0, 5);
    const w = serviceWindow(s, updates, 'STS');
    expect(w.periods).toEqual([
      { startMs: at('06:51'), endMs: at('08:19') },
      { startMs: at('15:31'), endMs: null },
    ]);
    expect(w.endMs).toBeNull();
    const outages = outagesOf({ ...w, lastUpdatedMs: at('15:31') }, at('15:31') + 30 * 86_400_000);
    expect(outages[1]).toMatchObject({ startMs: at('15:31'), stale: true });
  });

  it('the claim counts the union of the periods, not the span (STS: 88 + 88 minutes)', () => {
    const w = serviceWindow(state(), OCT20, 'STS');
    const lambda = getSla('lambda')!; // any minute-exact SLA will do: only the downtime is checked
    const r = computeCredit({ sla: lambda, month: '2025-10', outages: outagesOf({ ...w, lastUpdatedMs: ms(END) }, ms('2025-10-22T00:00:00Z')), chargesCents: 100_00, nowMs: ms('2025-10-22T00:00:00Z') });
    expect(r.downtimeMinutes).toBe(176);
  });

  it('pages of one update that disagree: impacted wins at that instant', () => {
    const updates = [update('07:00', ['LAMBDA']), update('09:00', [], ['LAMBDA'], 1), update('09:00', ['LAMBDA'], [], 2), update('10:00', [], ['LAMBDA'])];
    expect(serviceWindow(state(), updates, 'LAMBDA')).toEqual({ startMs: ms(START), endMs: at('10:00') });
  });

  it('updates before the start are ignored and an impact after the end adds nothing', () => {
    const updates = [update('06:00', ['LAMBDA']), update('07:00', ['LAMBDA']), update('08:00', [], ['LAMBDA']), { ...update('22:00', ['LAMBDA']) }];
    expect(serviceWindow(state(), updates, 'LAMBDA')).toEqual({ startMs: ms(START), endMs: at('08:00') });
  });

  it('updates recorded before the impacted list was kept (no `impacted` field) give the old result', () => {
    const legacy: UpdateRecord[] = [
      { lastUpdatedMs: at('09:40'), page: 1, statusCode: 'open', recovered: ['DYNAMODB'] },
      { lastUpdatedMs: at('21:53'), page: 1, statusCode: 'closed', recovered: ['DYNAMODB', 'LAMBDA'] },
    ];
    expect(serviceWindow(state(), legacy, 'DYNAMODB')).toEqual({ startMs: ms(START), endMs: at('09:40') });
    expect(serviceWindow(state(), legacy, 'LAMBDA')).toEqual({ startMs: ms(START), endMs: ms(END) });
  });
});

/**
 * An independent statement of the rule, point by point: is the service down at instant x? The last listing at or
 * before x decides; before any listing the service is down only if the first listing is a recovery, or an impact
 * given by the earliest update; no listing at all: the whole event.
 */
function downAt(x: number, s: IncidentState, updates: readonly UpdateRecord[], code: string): boolean {
  const startMs = Date.parse(s.startTime);
  const endMs = s.endTime === null ? Infinity : Date.parse(s.endTime);
  if (x < startMs || x >= endMs) return false;
  const valid = updates.filter((u) => u.lastUpdatedMs >= startMs);
  const status = (t: number) => {
    const here = valid.filter((u) => u.lastUpdatedMs === t);
    if (here.some((u) => (u.impacted ?? []).includes(code))) return 'impacted';
    if (here.some((u) => u.recovered.includes(code))) return 'recovered';
    return null;
  };
  const listed = [...new Set(valid.map((u) => u.lastUpdatedMs))].filter((t) => status(t) !== null).sort((a, b) => a - b);
  if (listed.length === 0) return true;
  const last = listed.filter((t) => t <= x).pop();
  if (last !== undefined) return status(last) === 'impacted';
  const earliest = Math.min(...valid.map((u) => u.lastUpdatedMs));
  return status(listed[0]!) === 'recovered' || listed[0] === earliest;
}

function inPeriods(x: number, w: { startMs: number; endMs: number | null; periods?: ServicePeriod[] }): boolean {
  return (w.periods ?? [w]).some((p) => x >= p.startMs && x < (p.endMs ?? Infinity));
}

describe('serviceWindow properties', () => {
  const SERVICES = ['DYNAMODB', 'LAMBDA', 'STS'];
  const arbUpdates = fc.array(
    fc.record({
      slot: fc.integer({ min: -3, max: 60 }), // 15-minute slots around a 10-hour event
      page: fc.integer({ min: 1, max: 2 }),
      impacted: fc.subarray(SERVICES),
      recovered: fc.subarray(SERVICES),
    }),
    { maxLength: 12 },
  );
  const toUpdates = (raw: { slot: number; page: number; impacted: string[]; recovered: string[] }[]): UpdateRecord[] =>
    raw.map((u) => ({ lastUpdatedMs: ms(START) + u.slot * 15 * MIN, page: u.page, statusCode: 'open', impacted: u.impacted, recovered: u.recovered }));
  const closedAt = ms(START) + 40 * 15 * MIN;

  it('agrees with the point-by-point statement of the rule', () => {
    fc.assert(
      fc.property(arbUpdates, fc.boolean(), fc.constantFrom(...SERVICES), (raw, open, code) => {
        const s = state(open ? { endTime: null, statusCode: 'open' } : { endTime: new Date(closedAt).toISOString() });
        const updates = toUpdates(raw);
        const w = serviceWindow(s, updates, code);
        for (let slot = -4; slot <= 64; slot++) {
          const x = ms(START) + slot * 15 * MIN + 7 * MIN; // between update instants
          expect(inPeriods(x, w), `slot ${slot}`).toBe(downAt(x, s, updates, code));
        }
        // The span holds the periods, in order, without overlap.
        for (const [i, p] of (w.periods ?? []).entries()) {
          expect(p.startMs).toBeGreaterThanOrEqual(w.startMs);
          if (i > 0) expect(p.startMs).toBeGreaterThanOrEqual(w.periods![i - 1]!.endMs!);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on arrival order or duplicates', () => {
    fc.assert(
      fc.property(
        arbUpdates.filter((r) => r.length > 0),
        fc.infiniteStream(fc.nat()),
        fc.array(fc.nat(), { maxLength: 6 }),
        (raw, randoms, dupes) => {
          const updates = toUpdates(raw);
          const s = state({ endTime: new Date(closedAt).toISOString() });
          const shuffled = [...updates, ...dupes.map((d) => updates[d % updates.length]!)];
          const it = randoms[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          for (const code of SERVICES) expect(serviceWindow(s, shuffled, code)).toEqual(serviceWindow(s, updates, code));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('serviceWindow bounds', () => {
  it('keeps at most MAX_PERIODS periods (the last runs to the end of the last one), so the claim item stays bounded', async () => {
    const { MAX_PERIODS } = await import('../../src/pipeline/windows.ts');
    const updates: UpdateRecord[] = [];
    for (let i = 0; i < 2 * (MAX_PERIODS + 10); i++) {
      const t = ms(START) + (i + 1) * MIN;
      updates.push({ lastUpdatedMs: t, page: 1, statusCode: 'open', impacted: i % 2 === 0 ? ['LAMBDA'] : [], recovered: i % 2 === 1 ? ['LAMBDA'] : [] });
    }
    const w = serviceWindow(state(), updates, 'LAMBDA');
    expect(w.periods).toHaveLength(MAX_PERIODS);
    expect(w.periods![MAX_PERIODS - 1]!.endMs).toBe(ms(START) + 2 * (MAX_PERIODS + 10) * MIN);
    expect(Buffer.byteLength(JSON.stringify(w))).toBeLessThan(8 * 1024);
  });
});
