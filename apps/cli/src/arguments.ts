/**
 * The CLI's command line: the command word, then its own flags, parsed by Node's `util.parseArgs` in strict
 * mode, so an unknown flag, a flag without its value or a stray argument is refused (exit code 2 with the
 * usage) instead of being ignored.
 */
import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from 'node:util';
import type { Invocation } from './beside-owner';

export const USAGE = `usage: aftersales <command>
  rebuild <escalation|satisfaction|loyalty|all>
  verify [--case ID]...
  export [--stream STREAM]... [--from ISO] [--to ISO] [--out FILE]
  what-if --policy FILE [--at ISO]`;

/** A command line the CLI cannot run: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export type CommandLine = { help: true } | { help: false; invocation: Invocation };

function parsed<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = 0) {
  try {
    const result = parseArgs({ args, options, strict: true, allowPositionals: true });
    // Positionals are allowed by the parser and counted here, so the message names the stray one.
    if (result.positionals.length > positionals) throw new UsageError(`unexpected argument '${result.positionals[positionals]}'`);
    return result;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [command, ...args] = argv;
  if (command === undefined) throw new UsageError('no command given');
  if (command === '--help' || command === '-h' || command === 'help') return { help: true };
  switch (command) {
    case 'rebuild':
      return { help: false, invocation: { command, which: parsed(args, {}, 1).positionals[0] ?? 'all' } };
    case 'verify':
      return { help: false, invocation: { command, caseIds: parsed(args, { case: { type: 'string', multiple: true } }).values.case ?? [] } };
    case 'export': {
      const { values } = parsed(args, {
        stream: { type: 'string', multiple: true },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
      });
      return { help: false, invocation: { command, options: { streams: values.stream ?? [], from: values.from, to: values.to, out: values.out } } };
    }
    case 'what-if': {
      const { values } = parsed(args, { policy: { type: 'string' }, at: { type: 'string' } });
      if (!values.policy) throw new UsageError('what-if needs --policy FILE');
      const at = values.at === undefined ? new Date() : new Date(values.at);
      if (Number.isNaN(at.getTime())) throw new UsageError('--at must be an ISO 8601 time');
      return { help: false, invocation: { command, policy: values.policy, at } };
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}
