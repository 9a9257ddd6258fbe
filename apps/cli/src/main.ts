/**
 * The operator's and analyst's terminal: `aftersales <command>`, configured from the same environment as the
 * API (DATA_DIR, DATABASE_URL, EVENTSTORE_CONNECTION_STRING). On the embedded default, stop the API first: a
 * PGlite data directory is opened by one process at a time (or use POST /admin/projections/{name}/rebuild).
 *
 *   rebuild <escalation|satisfaction|loyalty|all>     rebuild views from the store (progress bar, summary)
 *   verify                                            check every stream's hash chain
 *   export [--stream S]... [--from T] [--to T] [--out FILE]   events as NDJSON
 *   what-if --policy FILE [--at T]                    breaches and escalations under another SLA policy
 */
import 'reflect-metadata';
import { loadConfig } from '@aftersales/runtime-config';
import { openStorage } from '@aftersales/storage';
import { exportCommand } from './commands/export';
import { rebuildCommand } from './commands/rebuild';
import { verifyCommand } from './commands/verify';
import { whatIfCommand } from './commands/what-if';

const USAGE = `usage: aftersales <command>
  rebuild <escalation|satisfaction|loyalty|all>
  verify
  export [--stream STREAM]... [--from ISO] [--to ISO] [--out FILE]
  what-if --policy FILE [--at ISO]`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function options(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const storage = await openStorage(loadConfig());
  const write = (line: string) => process.stderr.write(`${line}\n`);
  try {
    switch (command) {
      case 'rebuild':
        return await rebuildCommand(storage, args[0] ?? 'all', write);
      case 'verify':
        return await verifyCommand(storage.eventStore, write);
      case 'export':
        return await exportCommand(storage.eventStore, { streams: options(args, '--stream'), from: option(args, '--from'), to: option(args, '--to'), out: option(args, '--out') }, write);
      case 'what-if': {
        const policy = option(args, '--policy');
        if (!policy) throw new Error('what-if needs --policy FILE');
        const at = option(args, '--at') ? new Date(option(args, '--at')!) : new Date();
        if (Number.isNaN(at.getTime())) throw new Error('--at must be an ISO 8601 time');
        const code = await whatIfCommand(storage.eventStore, policy, at, (line) => process.stdout.write(`${line}\n`));
        return code;
      }
      default:
        process.stderr.write(`unknown command '${command}'\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await storage.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`aftersales: ${error.message}\n`);
    process.exit(1);
  },
);
