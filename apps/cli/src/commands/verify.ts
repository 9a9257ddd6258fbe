/**
 * `aftersales verify [--case ID]...`: checks the hash chain of every stream in the store (or of the named cases),
 * naming each stream's first broken link.
 */
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { eventHash } from '@aftersales/event-store';
import { GENESIS_HASH, walkWholeFeed } from './feed-walk';
import { ProgressBar } from '@aftersales/observability';

interface Tip {
  nextRevision: number;
  hash: string;
  broken?: string;
}

function check(tip: Tip, event: StoredEvent): string | undefined {
  if (event.revision !== tip.nextRevision) return `revision gap: expected ${tip.nextRevision}, found ${event.revision}`;
  if (!event.hash || !event.prevHash) return 'hash missing';
  if (event.prevHash !== tip.hash) return 'previous hash does not match';
  if (eventHash(tip.hash, event) !== event.hash) return 'hash does not match the event';
  return undefined;
}

export async function verifyCommand(store: EventStore, write: (line: string) => void): Promise<number> {
  const tips = new Map<string, Tip>();
  const head = await store.headPosition();
  const bar = head && /^\d+$/.test(head) ? new ProgressBar('verify', Number(head)) : undefined;
  let events = 0;
  await walkWholeFeed(store, async (page) => {
    for (const event of page) {
      const tip = tips.get(event.streamId) ?? { nextRevision: 0, hash: GENESIS_HASH };
      if (!tip.broken) {
        const problem = check(tip, event);
        if (problem) tip.broken = `${event.streamId} broken at revision ${event.revision} (event ${event.eventId}): ${problem}`;
        else {
          tip.nextRevision += 1;
          tip.hash = event.hash!;
        }
      }
      tips.set(event.streamId, tip);
    }
    events += page.length;
    bar?.update(Number(page[page.length - 1].position));
  });
  const broken = [...tips.values()].filter((t) => t.broken);
  for (const tip of broken) write(tip.broken!);
  write(`${tips.size} streams, ${events} events checked: ${broken.length ? `${broken.length} broken` : 'every chain holds'}`);
  return broken.length ? 1 : 0;
}

/** `aftersales verify --case ID...`: the named cases' streams only. */
export async function verifyCasesCommand(store: EventStore, caseIds: string[], write: (line: string) => void): Promise<number> {
  let events = 0;
  let broken = 0;
  let missing = 0;
  for (const id of caseIds) {
    const stream = await store.readStream(`case-${id}`);
    if (stream.length === 0) {
      write(`case-${id}: no such case`);
      missing += 1;
      continue;
    }
    const tip: Tip = { nextRevision: 0, hash: GENESIS_HASH };
    for (const event of stream) {
      const problem = check(tip, event);
      if (problem) {
        write(`case-${id} broken at revision ${event.revision} (event ${event.eventId}): ${problem}`);
        broken += 1;
        break;
      }
      tip.nextRevision += 1;
      tip.hash = event.hash!;
    }
    events += stream.length;
  }
  write(
    `${caseIds.length - missing} streams, ${events} events checked: ${broken ? `${broken} broken` : 'every chain holds'}${missing ? `; ${missing} not found` : ''}`,
  );
  return broken || missing ? 1 : 0;
}
