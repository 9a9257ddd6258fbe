/**
 * Events of a case stream that the rules cannot read (data missing or of the wrong type): found before the rules
 * run, so one bad event is skipped and listed instead of failing the whole report. A case whose `CaseOpened` is
 * malformed cannot be checked at all; any other malformed event is left out of its case's history.
 */
import type { StoredEvent } from '@aftersales/event-store';
import type { CaseState } from '@aftersales/case-domain';
import { evolve, initialCaseState } from '@aftersales/case-domain';
import { toDomainEvent } from '@aftersales/case-application';

export interface MalformedEvent {
  streamId: string;
  caseId: string;
  revision: number;
  eventId: string;
  type: string;
  reason: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isTime = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** Why the rules cannot read this event, or undefined when they can. */
export function malformation(event: StoredEvent): string | undefined {
  if (!isTime(event.metadata?.occurredAt)) return 'metadata.occurredAt is not a time';
  if (!isObject(event.data)) return 'data is not an object';
  if (event.type !== 'CaseOpened') return undefined;
  const d = event.data;
  const missing = ['orderId', 'customerId', 'merchantId', 'caseType'].filter((f) => !isText(d[f]));
  if (missing.length) return `CaseOpened lacks ${missing.join(', ')} (or it is not text)`;
  if (!Array.isArray(d.items) || !d.items.every(isObject)) return 'CaseOpened items is not a list of items';
  if (!isObject(d.sla) || !isTime(d.sla.firstResponseDueAt) || !isTime(d.sla.resolutionDueAt)) return 'CaseOpened lacks its SLA due times';
  return undefined;
}

/** The case's events the rules can read, and the ones they cannot (with the reason). */
export function separateMalformed(caseId: string, events: StoredEvent[]): { readable: StoredEvent[]; malformed: MalformedEvent[]; opened: boolean } {
  const readable: StoredEvent[] = [];
  const malformed: MalformedEvent[] = [];
  let state: CaseState = initialCaseState(caseId);
  let opened = false;
  for (const event of events) {
    let reason = malformation(event);
    if (!reason) {
      try {
        state = evolve(state, toDomainEvent(event));
      } catch (error) {
        reason = `cannot be folded: ${(error as Error).message}`;
      }
    }
    if (reason) {
      malformed.push({ streamId: event.streamId, caseId, revision: event.revision, eventId: event.eventId, type: event.type, reason });
      continue;
    }
    if (event.type === 'CaseOpened') opened = true;
    readable.push(event);
  }
  return { readable, malformed, opened };
}
