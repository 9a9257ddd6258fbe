/**
 * CPU profiles for the bench (BENCH_CPU_PROF=<dir>): the API processes are started with `--cpu-prof`, in-process
 * phases (replay) are recorded through the inspector. `summariseProfile` ranks a .cpuprofile's functions by self
 * time, which is what docs/performance.md quotes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export const PROFILE_DIR = process.env.BENCH_CPU_PROF;

/** Runs `work` under the CPU profiler when profiling is on, writing `<PROFILE_DIR>/<name>.cpuprofile`. */
export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/**
 * Samples per node, leaving out module loading (start-up, not the work measured): a node under `Module._load` does
 * not count.
 */
function sampleCounts(profile: { nodes: ProfileNode[]; samples?: number[] }): { hits: Map<number, number>; total: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const loading = new Set<number>();
  const mark = (id: number, under: boolean) => {
    const node = byId.get(id)!;
    const now = under || node.callFrame.functionName === 'Module._load';
    if (now) loading.add(id);
    for (const child of node.children ?? []) mark(child, now);
  };
  if (profile.nodes[0]) mark(profile.nodes[0].id, false);
  const hits = new Map<number, number>();
  for (const s of profile.samples ?? []) if (!loading.has(s)) hits.set(s, (hits.get(s) ?? 0) + 1);
  return { hits, total: [...hits.values()].reduce((a, b) => a + b, 0) || 1 };
}

/** Self time per function (and per package, for node_modules), as a share of all samples, biggest first. */
export function summariseProfile(file: string, top = 15): Array<{ share: number; name: string }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples?: number[] };
  const { hits, total } = sampleCounts(profile);
  const byName = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (!count) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const where = pkg ? `[${pkg}]` : url ? `${url.replace(/^.*\/(dist|node:)/, '$1').replace(/^file:\/\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byName.set(key, (byName.get(key) ?? 0) + count);
  }
  return [...byName.entries()]
    .map(([name, count]) => ({ share: Math.round((count / total) * 1000) / 10, name }))
    .sort((a, b) => b.share - a.share)
    .slice(0, top);
}

/** By package or area: where the time goes at a glance. */
export function summariseByArea(file: string): Array<{ share: number; area: string }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples?: number[] };
  const { hits, total } = sampleCounts(profile);
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (!count) continue;
    const { functionName, url } = node.callFrame;
    const area =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      /dist\/(libs|apps)\/([^/]+)/.exec(url)?.slice(1, 3).join('/') ??
      (url.startsWith('node:')
        ? `node:${url.slice(5).split('/')[0]}`
        : url.startsWith('wasm:')
          ? '(wasm)'
          : functionName.startsWith('(')
            ? functionName
            : `(native) ${functionName}`);
    byArea.set(area, (byArea.get(area) ?? 0) + count);
  }
  return [...byArea.entries()]
    .map(([area, count]) => ({ share: Math.round((count / total) * 1000) / 10, area }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 12);
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    process.stdout.write(`\n${file}\nby area:\n`);
    for (const r of summariseByArea(file)) process.stdout.write(`  ${String(r.share).padStart(5)} %  ${r.area}\n`);
    process.stdout.write('by function (self time):\n');
    for (const r of summariseProfile(file)) process.stdout.write(`  ${String(r.share).padStart(5)} %  ${r.name}\n`);
  }
}
