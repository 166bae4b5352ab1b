/** `sla-claims` command line. Every bad argument prints one line and exits with 2. */
import { creditCommand, slasCommand, type Io } from './credit-command.ts';
import { UsageError } from './args.ts';
import { processCommand } from './process-command.ts';
import { summaryCommand } from './summary-command.ts';
import { demoCommand } from './demo-command.ts';

const USAGE = `usage: sla-claims <command> [options]

commands:
  slas [--json]                         the SLA catalog
  credit --sla ID --month YYYY-MM --outage START/END [--outage …] [--charges USD] [--now ISO] [--json]
                                        the credit owed for one SLA and month
  process <file|dir>… [--contract FILE] [--spend FILE] [--db DIR] [--now ISO] [--account ID] [--notify-slack] [--json]
                                        replay AWS Health events into claim drafts on a local DynamoDB
  summary --month YYYY-MM [--db DIR] [--out FILE.html] [--json] [--now ISO] [--tz ZONE]
                                        the monthly credit summary email, rendered from the local store
  demo [--db DIR] [--now ISO] [--out FILE.html]
                                        npm start: every event under events/ through the pipeline, then the summary`;

type Command = (argv: string[], io: Io) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  slas: slasCommand,
  credit: creditCommand,
  process: processCommand,
  summary: summaryCommand,
  demo: demoCommand,
};

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
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
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`sla-claims ${name}: ${(error as Error).message.split('\n')[0]}`);
      return 2;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export { COMMANDS };
