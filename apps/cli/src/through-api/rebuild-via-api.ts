/**
 * `aftersales rebuild` while the API owns the data directory: asks it to rebuild each view
 * (POST /admin/projections/{name}/rebuild) and follows the progress at GET /admin/projections until the rebuild
 * ends, with the same progress bar and summary as the offline command.
 */
import { ProgressBar } from '@aftersales/observability';
import { PROJECTION_NAMES } from '@aftersales/runtime-config';
import type { OwnerApi } from './owner-api';
import { OwnerApiError } from './owner-api';

interface RebuildProgress {
  projection: string;
  state: 'running' | 'swapping' | 'done' | 'failed';
  processed: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

interface ProjectionsStatus {
  projections: Array<{ name: string; storeHead?: string; rebuild?: RebuildProgress }>;
}

const POLL_EVERY_MS = 200;

async function follow(api: OwnerApi, name: string, startedAt: string): Promise<RebuildProgress> {
  let bar: ProgressBar | undefined;
  for (;;) {
    const { body } = await api.request<ProjectionsStatus>('admin', 'GET', '/admin/projections');
    const status = body.projections.find((p) => p.name === name);
    const rebuild = status?.rebuild;
    // The progress may carry a start a few milliseconds after the one the POST answered; an earlier one is not ours.
    if (!rebuild || Date.parse(rebuild.startedAt) < Date.parse(startedAt))
      throw new OwnerApiError(`the rebuild of ${name} is no longer known to ${api.description} (did it restart?)`);
    const total = status.storeHead && /^\d+$/.test(status.storeHead) ? Number(status.storeHead) : undefined;
    if (total && !bar) bar = new ProgressBar(`rebuild ${name}`, total);
    if (rebuild.state === 'done' || rebuild.state === 'failed') {
      if (bar && total && rebuild.state === 'done') bar.update(total);
      return rebuild;
    }
    bar?.update(Math.min(rebuild.processed, total ?? rebuild.processed));
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  }
}

export async function rebuildViaApi(api: OwnerApi, which: string, write: (line: string) => void): Promise<number> {
  const names = PROJECTION_NAMES.filter((name) => which === 'all' || name === which);
  if (names.length === 0) throw new Error(`unknown view '${which}'; use escalation, satisfaction, loyalty or all`);
  let failed = 0;
  for (const name of names) {
    const started = await api.request<RebuildProgress & { rebuild?: RebuildProgress }>('admin', 'POST', `/admin/projections/${name}/rebuild`);
    const first = started.status === 409 ? started.body.rebuild : started.body;
    if (!first) throw new OwnerApiError(`POST /admin/projections/${name}/rebuild answered ${started.status} without a rebuild`);
    if (started.status === 409) write(`${name}: a rebuild started at ${first.startedAt} is already running; following it`);
    const result = await follow(api, name, first.startedAt);
    const seconds = ((result.finishedAt ? Date.parse(result.finishedAt) : Date.now()) - Date.parse(result.startedAt)) / 1000;
    write(
      `${name}: ${result.state}, ${result.processed} events applied in ${seconds.toFixed(1)} s (${Math.round(result.processed / Math.max(seconds, 0.001))}/s) by the API at ${api.url}${result.error ? `: ${result.error}` : ''}`,
    );
    if (result.state !== 'done') failed += 1;
  }
  return failed ? 1 : 0;
}
