/**
 * Opens the summary email in headless Chromium: the rendered text has the totals, the chart bars have the right
 * widths once laid out, and a screenshot is produced. Skipped (loudly) only when Chromium is not installed.
 * `UPDATE_SUMMARY_SCREENSHOT=1 npx vitest run tests/unit/summary-render-chromium.test.ts` refreshes docs/summary-email.png.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/credit/money.ts';
import { demoMonthClaims, demoUpcomingClaims, DEMO_MONTH, DEMO_NOW_MS } from '../helpers/summary-demo.ts';
import { buildSummaryModel } from '../../src/summary/model.ts';
import { renderSummaryEmail } from '../../src/summary/render.ts';

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
      'Owed (excluding rejected)',
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

    if (process.env.UPDATE_SUMMARY_SCREENSHOT === '1') {
      const height = Number(/data-page-height="(\d+)"/.exec(dom)?.[1] ?? 1400);
      const target = resolve('docs/summary-email.png');
      await chrome([`--screenshot=${join(work, 'docs.png')}`, `--window-size=900,${height}`, pathToFileURL(htmlFile).href]);
      copyFileSync(join(work, 'docs.png'), target);
      console.warn(`updated ${target} (900x${height})`);
    }
  }, 120_000);

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
