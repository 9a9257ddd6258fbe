/**
 * What each command does while another process owns the embedded data directory (the CLI never opens PGlite
 * then). With the API as the owner: `rebuild`, `verify --case` and `export --stream case-<id>` work through it
 * over HTTP; whole-store `verify`, whole-store or time-range `export` without streams, and `what-if` read every
 * stream, which the HTTP API does not serve, so they stop with exit code 75 naming the owner. With another CLI
 * command as the owner, or an API that does not listen yet, every command stops the same way.
 */
import type { AppConfig } from '@aftersales/runtime-config';
import type { DataDirOwner } from '@aftersales/storage';
import { DATA_DIR_OWNED_EXIT_CODE, currentOwner, describeOwner } from '@aftersales/storage';
import { OwnerApi } from './through-api/owner-api';
import { CASE_STREAM, exportViaApi } from './through-api/export-via-api';
import { rebuildViaApi } from './through-api/rebuild-via-api';
import { verifyViaApi } from './through-api/verify-via-api';
import type { ExportOptions } from './commands/export';

export type Invocation =
  | { command: 'rebuild'; which: string }
  | { command: 'verify'; caseIds: string[] }
  | { command: 'export'; options: ExportOptions }
  | { command: 'what-if'; policy: string; at: Date };

type Write = (line: string) => void;

/** The way through the API, or why there is none. */
function throughApi(invocation: Invocation, write: Write): ((api: OwnerApi) => Promise<number>) | string {
  switch (invocation.command) {
    case 'rebuild':
      return (api) => rebuildViaApi(api, invocation.which, write);
    case 'verify':
      if (invocation.caseIds.length === 0)
        return 'checking every stream reads the whole store, which the API does not serve (`verify --case ID` works through it)';
      return (api) => verifyViaApi(api, invocation.caseIds, write);
    case 'export': {
      const streams = invocation.options.streams;
      if (streams.length === 0)
        return 'exporting without --stream reads the whole store, which the API does not serve (`export --stream case-<id>` works through it)';
      const other = streams.find((s) => !CASE_STREAM.test(s));
      if (other) return `only case streams (case-<id>) can be exported through the API; '${other}' is not one`;
      return (api) => exportViaApi(api, invocation.options, write);
    }
    case 'what-if':
      return 'what-if replays the whole store, which the API does not serve';
  }
}

/** The live owner of `dataDir`; an API still starting is given `waitMs` to start listening. */
export async function ownerOf(dataDir: string, waitMs = 30_000): Promise<DataDirOwner | undefined> {
  const deadline = Date.now() + waitMs;
  let owner = currentOwner(dataDir);
  while (owner && owner.command === 'api' && !owner.url && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    owner = currentOwner(dataDir);
  }
  return owner;
}

/** Runs `invocation` through the owner's API, or stops naming the owner; answers the exit code. */
export async function besideOwner(owner: DataDirOwner, config: AppConfig, invocation: Invocation, write: Write): Promise<number> {
  const way = throughApi(invocation, write);
  if (typeof way === 'function' && owner.command === 'api' && owner.url) {
    write(`the data directory ${config.dataDir} is owned by ${describeOwner(owner)}: working through its API`);
    return way(new OwnerApi(owner, config));
  }
  const why = typeof way === 'string' ? way : owner.command === 'api' ? 'it is not listening yet' : 'wait for it to finish';
  process.stderr.write(
    `aftersales ${invocation.command}: the data directory ${config.dataDir} is in use by ${describeOwner(owner)}; ${why}. Stop it first to run this here.\n`,
  );
  return DATA_DIR_OWNED_EXIT_CODE;
}
