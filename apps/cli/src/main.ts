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
import type { CommandLine } from './arguments';
import { USAGE, UsageError, parseCommandLine } from './arguments';
import { besideOwner, ownerOf } from './beside-owner';
import { exportCommand } from './commands/export';
import { rebuildCommand } from './commands/rebuild';
import { verifyCasesCommand, verifyCommand } from './commands/verify';
import { whatIfCommand } from './commands/what-if';

const stderrLog: LockLog = {
  event: (level, msg, fields) =>
    process.stderr.write(`aftersales: ${level === 'info' ? '' : `${level}: `}${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`),
};

async function main(argv: string[]): Promise<number> {
  usePrivateUmask(); // whatever this process creates in DATA_DIR (PGlite's files included) is 0600, directories 0700
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`aftersales: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (commandLine.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { invocation } = commandLine;
  const command = invocation.command;
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
        return invocation.caseIds.length
          ? await verifyCasesCommand(storage.eventStore, invocation.caseIds, write)
          : await verifyCommand(storage.eventStore, write);
      case 'export':
        return await exportCommand(storage.eventStore, invocation.options, write);
      case 'what-if':
        return await whatIfCommand(storage.eventStore, invocation.policy, invocation.at, (line) => process.stdout.write(`${line}\n`));
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
