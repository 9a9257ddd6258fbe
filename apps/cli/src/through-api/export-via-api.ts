/**
 * `aftersales export --stream case-<id>...` while the API owns the data directory: each case's history from
 * GET /cases/{id}/events, written as the offline command writes stored events (NDJSON, one per line), filtered by
 * occurred-at when --from/--to are given (then in global order, as the offline command walks the feed).
 */
import type { ExportOptions } from '../commands/export';
import { ndjsonSink, occurredAtRange } from '../commands/export';
import type { OwnerApi } from './owner-api';

interface HistoryEntry {
  streamId: string;
  position: string;
  metadata: { occurredAt: string };
  [field: string]: unknown;
}

/** A history entry without the conveniences the HTTP answer adds, i.e. the stored event. */
function storedEvent(entry: HistoryEntry): Record<string, unknown> {
  const {
    caseId: _caseId,
    occurredAt: _occurredAt,
    actor: _actor,
    correlationId: _correlationId,
    causationId: _causationId,
    commandId: _commandId,
    ...stored
  } = entry;
  return stored;
}

export const CASE_STREAM = /^case-(.+)$/;

export async function exportViaApi(api: OwnerApi, options: ExportOptions, write: (line: string) => void): Promise<number> {
  const { from, to } = occurredAtRange(options);
  const events: HistoryEntry[] = [];
  for (const stream of new Set(options.streams)) {
    const caseId = CASE_STREAM.exec(stream)?.[1];
    if (!caseId) throw new Error(`only case streams (case-<id>) can be exported through the API; '${stream}' is not one`);
    const { status, body } = await api.request<HistoryEntry[]>('auditor', 'GET', `/cases/${encodeURIComponent(caseId)}/events`);
    if (status === 404) continue; // like the offline export: an unknown stream has no events
    events.push(
      ...body.filter((e) => {
        const at = Date.parse(e.metadata.occurredAt);
        return at >= from && at <= to;
      }),
    );
  }
  if ((options.from || options.to) && events.every((e) => /^\d+$/.test(e.position)))
    events.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : BigInt(a.position) > BigInt(b.position) ? 1 : 0));
  const sink = ndjsonSink(options.out);
  for (const event of events) await sink.emit(`${JSON.stringify(storedEvent(event))}\n`);
  await sink.end();
  write(`${events.length} events exported${options.out ? ` to ${options.out}` : ''} through the API at ${api.url}`);
  return 0;
}
