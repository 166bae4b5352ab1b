/** `sla-claims` command line. Every bad argument prints one line and exits with 2. */
import { creditCommand, slasCommand } from './credit-command.ts';
import { UsageError } from './args.ts';
import { processIo, type Io } from './io.ts';
import { processCommand } from './process-command.ts';
import { summaryCommand } from './summary-command.ts';
import { demoCommand } from './demo-command.ts';
import { caseCommand } from './case-command.ts';
import { evidenceCommand } from './evidence-command.ts';

export const USAGE = `usage: sla-claims <command> [options]     (sla-claims <command> --help: this text)

commands:
  slas [--at ISO] [--json]
      the SLA catalog: per SLA its version date, whether its terms are confirmed (and which parts are not), its
      credit base and commitment; --at: the versions in force at that instant (default now).
  credit --sla ID --month YYYY-MM --outage START/END [--outage …] [--charges USD] [--now ISO] [--json]
      the credit owed for one SLA and month. START/END are ISO-8601 instants with a zone; START/ is an outage still
      open (counted up to --now). An outage wholly outside --month is refused; one crossing its edge is clipped.
      --charges: the month's charges for the service (USD), else the amount is unknown. --now (default: the clock)
      decides what is late: after the deadline a claim is not claimable.
  process <file|dir>… [--contract FILE] [--spend FILE] [--db DIR] [--now ISO] [--account ID] [--metrics FILE] [--notify-slack] [--json]
      replay AWS Health events (a file holds one event or an array; a folder: every *.json below it) into claim
      drafts on a local DynamoDB. --contract (default: config/contract.example.yml); --spend CSV
      account,month,service,region,amount[,resource,usage_type,record_type] (default: none, charges unknown); --db DIR keeps the store
      (default: in memory); --now replays as of an instant (default: the clock, so old claims are late);
      --account ID: whose saved Health API responses these are; --notify-slack posts the drafts for approval
      (SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS, SLACK_BOT_TOKEN, optional SLACK_API_URL; checked first).
      --metrics CSV account,region,namespace,metric,dimensions,timestamp,value (dimensions Name=Value;Name=Value):
      measured CloudWatch datapoints; claims whose SLA has a recipe are computed from them (basis "measured").
      A file that cannot be read or whose ingest fails is reported at the end and the replay goes on.
      exit status: 0 events processed; 3 nothing processed (no events, or all quarantined or failed);
      4 some inputs failed (listed) or a transient error stopped the replay; 2 bad arguments.
  summary --month YYYY-MM [--db DIR] [--out FILE.html] [--json] [--now ISO] [--tz ZONE]
      the monthly credit summary email, rendered from a store \`process --db DIR\` filled (default .dynamodb).
      --out FILE.html (default out/summary-YYYY-MM.html; the text part goes next to it as .txt); --now: when
      days left are counted from; --tz: the zone dates are shown in (default UTC); --json: the aggregated model.
  demo [--db DIR] [--now ISO] [--out FILE.html] [--account ID]
      npm start: every event under events/ through the pipeline with the example contract and spend file, as of
      2025-10-22, then the October 2025 summary; --account: the account of the saved Health API response.
  case <claimId> [--db DIR] [--files DIR]
      the AWS Support case text of a claim (subject and description, ready to paste into Support Center), from a
      store \`process --db DIR\` or \`demo --db DIR\` filled (default .dynamodb); --files DIR: where a fleet claim's
      resource list is written as CSV to attach, when it does not fit the description.
  evidence <claimId> [--db DIR] [--out DIR]
      a claim's measured series (as read from CloudWatch) as DIR/<claim>.csv, every interval, and DIR/<claim>.html,
      a chart of the error rate per interval with the Health windows shaded (default --db .dynamodb, --out out/evidence).`;

type Command = (argv: string[], io: Io) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  slas: slasCommand,
  credit: creditCommand,
  process: processCommand,
  summary: summaryCommand,
  demo: demoCommand,
  case: caseCommand,
  evidence: evidenceCommand,
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`sla-claims: unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`sla-claims ${name}: ${error.message.split('\n')[0]}`);
      return 2;
    }
    throw error;
  }
}

export { COMMANDS };
