/**
 * The operator's and analyst's terminal: `aftersales <command>`, configured from the same environment as the
 * API (DATA_DIR, DATABASE_URL, EVENTSTORE_CONNECTION_STRING). On the embedded default the data directory has one
 * owner at a time: the CLI takes its lock while it runs, and while the API owns it the CLI works through the
 * API's HTTP endpoints where they exist or stops, naming the owner, with exit code 75 (see beside-owner.ts).
 *
 *   rebuild <escalation|satisfaction|loyalty|all>     rebuild views from the store (progress bar, summary)
 *   verify [--case ID]...                             check every stream's hash chain (or the named cases')
 *   export [--stream S]... [--from T] [--to T] [--out FILE]   events as NDJSON
 *   what-if --policy FILE [--at T]                    breaches and escalations under another SLA policy
 */
import 'reflect-metadata';
import { loadConfig } from '@aftersales/runtime-config';
import type { LockLog } from '@aftersales/storage';
import { DataDirOwnedError, openStorage, usePrivateUmask, usesEmbeddedDataDir } from '@aftersales/storage';
import type { Invocation } from './beside-owner';
import { besideOwner, ownerOf } from './beside-owner';
import { exportCommand } from './commands/export';
import { rebuildCommand } from './commands/rebuild';
import { verifyCasesCommand, verifyCommand } from './commands/verify';
import { whatIfCommand } from './commands/what-if';

const USAGE = `usage: aftersales <command>
  rebuild <escalation|satisfaction|loyalty|all>
  verify [--case ID]...
  export [--stream STREAM]... [--from ISO] [--to ISO] [--out FILE]
  what-if --policy FILE [--at ISO]`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function options(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
}

function invocationOf(command: string, args: string[]): Invocation | undefined {
  switch (command) {
    case 'rebuild':
      return { command, which: args[0] ?? 'all' };
    case 'verify':
      return { command, caseIds: options(args, '--case') };
    case 'export':
      return { command, options: { streams: options(args, '--stream'), from: option(args, '--from'), to: option(args, '--to'), out: option(args, '--out') } };
    case 'what-if':
      return { command };
    default:
      return undefined;
  }
}

const stderrLog: LockLog = {
  event: (level, msg, fields) => process.stderr.write(`aftersales: ${level === 'info' ? '' : `${level}: `}${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`),
};

async function main(argv: string[]): Promise<number> {
  usePrivateUmask(); // whatever this process creates in DATA_DIR (PGlite's files included) is 0600, directories 0700
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const invocation = invocationOf(command, args);
  if (!invocation) {
    process.stderr.write(`unknown command '${command}'\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const write = (line: string) => process.stderr.write(`${line}\n`);
  if (usesEmbeddedDataDir(config)) {
    const owner = await ownerOf(config.dataDir);
    if (owner) return besideOwner(owner, config, invocation, write);
  }
  let storage;
  try {
    storage = await openStorage(config, { command: `aftersales ${command}`, log: stderrLog });
  } catch (error) {
    if (!(error instanceof DataDirOwnedError)) throw error;
    return besideOwner((await ownerOf(config.dataDir)) ?? error.owner, config, invocation, write);
  }
  try {
    switch (invocation.command) {
      case 'rebuild':
        return await rebuildCommand(storage, invocation.which, write);
      case 'verify':
        return invocation.caseIds.length ? await verifyCasesCommand(storage.eventStore, invocation.caseIds, write) : await verifyCommand(storage.eventStore, write);
      case 'export':
        return await exportCommand(storage.eventStore, invocation.options, write);
      case 'what-if': {
        const policy = option(args, '--policy');
        if (!policy) throw new Error('what-if needs --policy FILE');
        const at = option(args, '--at') ? new Date(option(args, '--at')!) : new Date();
        if (Number.isNaN(at.getTime())) throw new Error('--at must be an ISO 8601 time');
        return await whatIfCommand(storage.eventStore, policy, at, (line) => process.stdout.write(`${line}\n`));
      }
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
