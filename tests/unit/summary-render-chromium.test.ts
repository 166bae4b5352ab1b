/**
 * Opens the summary email in headless Chromium: the rendered text has the totals, the chart bars have the right
 * widths once laid out, and a screenshot is produced. Skipped (loudly) only when Chromium is not installed.
 * The README screenshot is not taken here (this uses fixture claims): `scripts/screenshot-summary.ts` takes it from `npm start`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/credit/money.ts';
import { demoMonthClaims, demoUpcomingClaims, DEMO_MONTH, DEMO_NOW_MS } from '../helpers/summary-demo.ts';
import { buildSummaryModel } from '../../src/summary/model.ts';
import { renderSummaryEmail } from '../../src/summary/render.ts';
import { BIG_MONTH, bigMonthClaim } from '../helpers/big-month.ts';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const chromium = CANDIDATES.find((p): p is string => !!p && existsSync(p));
if (!chromium) {
  const line = '!'.repeat(100);
  console.warn(
    `\n${line}\n!!! SKIPPING the Chromium rendering test of the summary email: no Chromium found (${CANDIDATES.filter(Boolean).join(', ')}).\n` +
      `!!! Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH. CI must install it.\n${line}\n`,
  );
}

let work: string;
let run = 0;

function chrome(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const profile = join(work, `profile-${run++}`);
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
  ];
  return new Promise((resolveRun, reject) => {
    execFile(chromium!, [...flags, ...args], { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr.slice(-2000)}`));
      else resolveRun({ stdout, stderr });
    });
  });
}

/** Width, height and a rough count of distinct byte values in the decompressed image data. */
function pngInfo(file: string): { width: number; height: number; distinctBytes: number; size: number } {
  const buf = readFileSync(file);
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    if (type === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const seen = new Set<number>();
  for (let i = 0; i < raw.length; i += 7) seen.add(raw[i]!);
  return { width, height, distinctBytes: seen.size, size: buf.length };
}

const model = buildSummaryModel({
  month: DEMO_MONTH,
  claims: demoMonthClaims(),
  upcoming: demoUpcomingClaims(),
  nowMs: DEMO_NOW_MS,
  timeZone: 'Europe/London',
});
const email = renderSummaryEmail(model, { slackTeamId: 'T0ACME' });

/** Test-only probe appended to a copy of the email: writes each bar's laid-out width / track width into the DOM. */
const PROBE = `<script>
for (const bar of document.querySelectorAll('[data-bar]')) {
  const track = bar.closest('[data-track]');
  bar.setAttribute('data-rendered-ratio', (bar.getBoundingClientRect().width / track.getBoundingClientRect().width).toFixed(4));
}
document.body.setAttribute('data-page-height', String(document.documentElement.scrollHeight));
</script>`;

/**
 * A page showing `html` in a 390 px wide frame (headless Chromium will not make a window narrower than 500 px), with
 * a probe writing the frame's viewport width and the email's scroll width into the DOM.
 */
function phonePage(html: string): string {
  const srcdoc = html.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<!DOCTYPE html><html><body style="margin:0"><iframe id="phone" width="390" height="2000" style="border:0;width:390px;height:2000px" srcdoc="${srcdoc}"></iframe>
<script>
window.addEventListener('load', () => {
  const doc = document.getElementById('phone').contentDocument;
  document.body.setAttribute('data-viewport-width', String(doc.documentElement.clientWidth));
  document.body.setAttribute('data-scroll-width', String(doc.documentElement.scrollWidth));
});
</script></body></html>`;
}

/** A 10 000-claim month (long instance ARNs, capped lists), for the phone-width check. */
const bigEmail = renderSummaryEmail(
  buildSummaryModel({ month: BIG_MONTH, claims: Array.from({ length: 10_000 }, (_, i) => bigMonthClaim(i, 10_000)), nowMs: DEMO_NOW_MS }),
);

describe.skipIf(!chromium)('summary email in headless Chromium', () => {
  let htmlFile: string;
  let probeFile: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'summary-chromium-'));
    htmlFile = join(work, 'summary.html');
    probeFile = join(work, 'summary-probe.html');
    writeFileSync(htmlFile, email.html);
    writeFileSync(probeFile, email.html.replace('</body>', `${PROBE}</body>`));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('renders the totals, and the bars at widths proportional to the credit (biggest = 100 %)', async () => {
    const { stdout: dom } = await chrome(['--dump-dom', pathToFileURL(probeFile).href]);
    const text = dom.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
    for (const fact of [
      'October 2025',
      formatUsd(model.owedCents),
      formatUsd(model.toFileCents),
      formatUsd(model.submittedCents),
      'Owed (to file or awaiting AWS)',
      'Credit by service',
      'Needs action',
      '29 days left',
      'PROVISIONAL',
      'CHARGES UNKNOWN',
    ]) {
      expect(text, fact).toContain(fact);
    }

    const ratios = new Map<string, number>();
    for (const match of dom.matchAll(/data-bar="([^"]+)"[^>]*data-rendered-ratio="([\d.]+)"/g)) {
      ratios.set(match[1]!.replace(/&amp;/g, '&'), Number(match[2]));
    }
    expect([...ratios.keys()]).toEqual(model.chart.map((b) => b.label));
    const biggest = model.chart[0]!;
    expect(ratios.get(biggest.label)).toBeCloseTo(1, 2);
    for (const bar of model.chart) {
      const expected = bar.creditCents / biggest.creditCents;
      expect(Math.abs(ratios.get(bar.label)! - expected), `${bar.label}: ${ratios.get(bar.label)} vs ${expected}`).toBeLessThan(0.01);
    }

  }, 120_000);

  it('is fluid: nothing overflows a 390 px phone viewport (the Credit/Deadline column stays on screen)', async () => {
    for (const [name, html] of [['demo', email.html], ['10 000 claims', bigEmail.html]] as const) {
      const file = join(work, `phone-${name.replace(/\W/g, '')}.html`);
      writeFileSync(file, phonePage(html));
      const { stdout: dom } = await chrome(['--dump-dom', '--window-size=800,2000', pathToFileURL(file).href]);
      const viewport = Number(/data-viewport-width="(\d+)"/.exec(dom)?.[1]);
      const scroll = Number(/data-scroll-width="(\d+)"/.exec(dom)?.[1]);
      expect(viewport, name).toBe(390);
      expect(scroll, `${name}: scrollWidth ${scroll} > viewport ${viewport}`).toBeLessThanOrEqual(viewport);
    }
  }, 180_000);

  it('produces a non-trivial 900x1400 screenshot', async () => {
    const png = join(work, 'summary.png');
    await chrome([`--screenshot=${png}`, '--window-size=900,1400', pathToFileURL(htmlFile).href]);
    expect(existsSync(png)).toBe(true);
    const info = pngInfo(png);
    expect(info.width).toBe(900);
    expect(info.height).toBe(1400);
    // A blank page of that size compresses to a few kB with a handful of byte values.
    expect(info.size).toBeGreaterThan(40_000);
    expect(info.distinctBytes).toBeGreaterThan(100);
    expect(statSync(png).size).toBe(info.size);
  }, 120_000);
});
