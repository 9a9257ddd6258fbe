/** `aftersales rebuild <escalation|satisfaction|loyalty|all>`: rebuild views from the store, with a progress bar. */
import type { Storage } from '@aftersales/storage';
import { ProgressBar } from '@aftersales/observability';
import { createProjections, ensureBookkeeping, rebuildProjection, tableOnlyDeadLetters } from '@aftersales/read-models';

export async function rebuildCommand(storage: Storage, which: string, write: (line: string) => void): Promise<number> {
  const projections = createProjections().filter((p) => which === 'all' || p.name === which);
  if (projections.length === 0) throw new Error(`unknown view '${which}'; use escalation, satisfaction, loyalty or all`);
  await ensureBookkeeping(storage.readModels);
  const head = await storage.eventStore.headPosition();
  const total = head && /^\d+$/.test(head) ? Number(head) : undefined;
  let failed = 0;
  for (const projection of projections) {
    const started = Date.now();
    const bar = total ? new ProgressBar(`rebuild ${projection.name}`, total) : undefined;
    const result = await rebuildProjection(storage.readModels, storage.eventStore, projection, tableOnlyDeadLetters, (p) =>
      bar?.update(Math.min(p.processed, total ?? p.processed)),
    );
    if (bar && total) bar.update(total);
    const seconds = (Date.now() - started) / 1000;
    write(
      `${projection.name}: ${result.state}, ${result.processed} events applied in ${seconds.toFixed(1)} s (${Math.round(result.processed / Math.max(seconds, 0.001))}/s)${result.error ? `: ${result.error}` : ''}`,
    );
    if (result.state !== 'done') failed += 1;
  }
  return failed ? 1 : 0;
}
