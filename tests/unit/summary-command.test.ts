import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { defaultSummaryFile, summaryCommand, textFileFor } from '../../src/cli/summary-command.ts';

const io = { out: () => {}, err: () => {} };

describe('sla-claims summary: arguments', () => {
  it.each([
    [[], '--month: required, like --month 2025-10'],
    [['--month', '2025-13'], '--month: expected YYYY-MM, like 2025-10 (got "2025-13")'],
    [['--month', 'October'], '--month: expected YYYY-MM, like 2025-10 (got "October")'],
    [['--month', '1969-12'], '--month: expected YYYY-MM, like 2025-10 (got "1969-12")'],
    [['--month', '2025-10', '--out', ''], '--out: expected a file name'],
    [['--month', '2025-10', '--db', ' '], '--db: expected a folder (got " ")'],
    [['--month', '2025-10', '--tz', 'Europe/Londres'], '--tz: expected an IANA time zone, like Europe/London (got "Europe/Londres")'],
    [['--month', '2025-10', '--now', '2025-11-01T08:00'], '--now: expected an ISO-8601 instant with a time zone'],
    [['--month', '2025-10', 'extra'], 'unexpected argument "extra"'],
    [['--month', '2025-10', '--db', '/nonexistent/sla-claims-db'], '--db: no local store in "/nonexistent/sla-claims-db"; fill one first with `sla-claims process --db /nonexistent/sla-claims-db …`'],
  ])('rejects %j with a one-line usage error', async (argv, message) => {
    const run = summaryCommand(argv as string[], io);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  it('rejects unknown options (parseArgs error, printed as usage by main)', async () => {
    await expect(summaryCommand(['--month', '2025-10', '--email'], io)).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    await expect(summaryCommand(['--month', '2025-10', '--email'], io)).rejects.toThrow(
      "Unknown option '--email'; valid options: --month VALUE, --db VALUE, --out VALUE, --json, --now VALUE, --tz VALUE",
    );
  });

  it('refuses a --db folder that holds no store, and writes nothing (no database file, no email)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-empty-'));
    const out = join(dir, 'summary.html');
    const run = summaryCommand(['--month', '2025-10', '--db', dir, '--out', out], io);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(`--db: no local store in ${JSON.stringify(dir)} (the folder holds no shared-local-instance.db); fill one first with`);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a --db that names a file, in one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sla-claims-file-')), 'db');
    writeFileSync(file, 'not a folder');
    await expect(summaryCommand(['--month', '2025-10', '--db', file], io)).rejects.toThrow(`--db: ${JSON.stringify(file)} is a file, not a store folder`);
  });

  it.each(['x.txt', 'report', 'out/summary.html.bak'])('refuses --out %s: the HTML part goes to an .html file', async (out) => {
    await expect(summaryCommand(['--month', '2025-10', '--out', out], io)).rejects.toThrow(
      `--out: expected an .html file name, like out/summary.html; the text part is written next to it as .txt (got ${JSON.stringify(out)})`,
    );
  });

  it('names the output files', () => {
    expect(defaultSummaryFile('2025-10')).toBe('out/summary-2025-10.html');
    expect(textFileFor('out/summary-2025-10.html')).toBe('out/summary-2025-10.txt');
    expect(textFileFor('report.HTM')).toBe('report.txt');
    expect(textFileFor('report')).toBe('report.txt');
  });
});
