/**
 * `aftersales export [--stream S]... [--from T] [--to T] [--out FILE]`: stored events as NDJSON, one per line,
 * with their metadata and hash chain, filtered by stream and by occurred-at range.
 */
import { createWriteStream } from 'node:fs';
import type { EventStore } from '@aftersales/event-store';
import { walkWholeFeed } from './feed-walk';

export interface ExportOptions {
  streams: string[];
  from?: string;
  to?: string;
  out?: string;
}

/** The --from/--to range in epoch milliseconds (open ends are infinite). */
export function occurredAtRange(options: ExportOptions): { from: number; to: number } {
  const from = options.from ? Date.parse(options.from) : -Infinity;
  const to = options.to ? Date.parse(options.to) : Infinity;
  if (Number.isNaN(from) || Number.isNaN(to)) throw new Error('--from and --to must be ISO 8601 times');
  return { from, to };
}

/** Where the NDJSON goes: --out FILE, or stdout; writes wait for the stream to drain. */
export function ndjsonSink(file?: string): { emit(line: string): Promise<void>; end(): Promise<void> } {
  const out = file ? createWriteStream(file) : process.stdout;
  return {
    emit: (line) => new Promise<void>((resolve) => (out.write(line) ? resolve() : out.once('drain', () => resolve()))),
    end: async () => {
      if (file) await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(() => resolve()));
    },
  };
}

export async function exportCommand(store: EventStore, options: ExportOptions, write: (line: string) => void): Promise<number> {
  const { from, to } = occurredAtRange(options);
  const sink = ndjsonSink(options.out);
  const wanted = new Set(options.streams);
  let exported = 0;
  const emit = (line: string) => sink.emit(line);
  if (wanted.size > 0 && !options.from && !options.to) {
    for (const stream of wanted)
      for (const event of await store.readStream(stream)) {
        await emit(`${JSON.stringify(event)}\n`);
        exported += 1;
      }
  } else {
    await walkWholeFeed(store, async (page) => {
      for (const event of page) {
        if (wanted.size && !wanted.has(event.streamId)) continue;
        const at = Date.parse(event.metadata.occurredAt);
        if (at < from || at > to) continue;
        await emit(`${JSON.stringify(event)}\n`);
        exported += 1;
      }
    });
  }
  await sink.end();
  write(`${exported} events exported${options.out ? ` to ${options.out}` : ''}`);
  return 0;
}
