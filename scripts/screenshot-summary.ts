/**
 * Retakes docs/summary-email.png from what `npm start` really produces: runs the demo (`node bin/sla-claims.js demo`,
 * which writes out/summary-2025-10.html), then renders that file in headless Chromium at 900 px wide and as tall as
 * the page. `--phone` also writes docs/summary-email-phone.png (a 390 px wide frame), `--no-run` reuses the
 * existing out/ file. Needs Java 17+ (for the demo) and Chromium (CHROMIUM_PATH, or /usr/bin/chromium).
 * Run: node bin/run-ts.js scripts/screenshot-summary.ts [--no-run] [--phone]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const HTML = resolve('out/summary-2025-10.html');
const TARGET = resolve('docs/summary-email.png');
const PHONE_TARGET = resolve('docs/summary-email-phone.png');
const args = new Set(process.argv.slice(2));
const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p): p is string => !!p && existsSync(p),
);
if (!chromium) {
  console.error('screenshot-summary: no Chromium found; install it (apt-get install -y chromium) or set CHROMIUM_PATH');
  process.exit(2);
}

if (!args.has('--no-run')) execFileSync(process.execPath, ['bin/sla-claims.js', 'demo'], { stdio: 'inherit' });
if (!existsSync(HTML)) {
  console.error(`screenshot-summary: ${HTML} does not exist; run npm start first (or drop --no-run)`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'summary-shot-'));
let profiles = 0;
function chrome(extra: string[]): string {
  return execFileSync(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${join(work, `profile-${profiles++}`)}`,
      ...extra,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000, stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

/** The page height at `width`, measured by a probe in a copy of the page (the email itself has no script). */
function heightAt(page: string, width: number): number {
  const probe = join(work, 'probe.html');
  writeFileSync(probe, page.replace('</body>', `<script>document.body.setAttribute('data-h', String(document.documentElement.scrollHeight));</script></body>`));
  const dom = chrome(['--dump-dom', `--window-size=${width},1000`, pathToFileURL(probe).href]);
  return Number(/data-h="(\d+)"/.exec(dom)?.[1] ?? 1400);
}

try {
  const html = readFileSync(HTML, 'utf8');
  const height = heightAt(html, 900);
  chrome([`--screenshot=${join(work, 'shot.png')}`, `--window-size=900,${height}`, pathToFileURL(HTML).href]);
  copyFileSync(join(work, 'shot.png'), TARGET);
  console.log(`wrote ${TARGET} (900x${height}) from ${HTML}`);
  if (args.has('--phone')) {
    // Headless Chromium will not make a window narrower than 500 px: show the email in a 390 px frame instead.
    const srcdoc = html.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const probeHeight = heightAt(`<html><body style="margin:0"><div style="width:390px">${html}</div></body></html>`, 500);
    const frame = join(work, 'phone.html');
    writeFileSync(frame, `<!DOCTYPE html><html><body style="margin:0"><iframe width="390" height="${probeHeight}" style="border:0;width:390px;height:${probeHeight}px" srcdoc="${srcdoc}"></iframe></body></html>`);
    chrome([`--screenshot=${join(work, 'phone.png')}`, `--window-size=500,${probeHeight}`, pathToFileURL(frame).href]);
    copyFileSync(join(work, 'phone.png'), PHONE_TARGET);
    console.log(`wrote ${PHONE_TARGET} (390 px frame in a 500x${probeHeight} window)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
