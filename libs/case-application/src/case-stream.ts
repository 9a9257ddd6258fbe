/**
 * Translates between the domain's events and the store's envelopes: stream naming, metadata, causation, and
 * schema versions (written at the type's current version, older versions upcast on the way back).
 */
import { randomUUID } from 'node:crypto';
import type { Actor, CaseEvent, CaseOpened, ContactDetails } from '@aftersales/case-domain';
import type { SealedValue } from '@aftersales/personal-data';
import { currentEventVersion, upcastEventData } from '@aftersales/case-domain';
import type { EventToAppend, StoredEvent } from '@aftersales/event-store';

export const CASE_STREAM_PREFIX = 'case-';

export function caseStreamId(caseId: string): string {
  return `${CASE_STREAM_PREFIX}${caseId}`;
}

/** What a command brings besides its payload: who, why, and how to recognise a retry. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  commandId: string;
  idempotencyKey?: string;
  requestHash?: string;
  /** The event that caused the command (a process manager's command); the command itself when absent. */
  causationId?: string;
}

/**
 * Wraps decided events for the store. The first event is caused by the command; an automatic escalation is
 * caused by the event that triggered it (the one before it in the same decision).
 */
/** A case event on its way to the store: an opening's contact details may already be sealed (crypto-shredding). */
export type CaseEventToStore =
  Exclude<CaseEvent, CaseOpened> | (Omit<CaseOpened, 'data'> & { data: Omit<CaseOpened['data'], 'contact'> & { contact?: ContactDetails | SealedValue } });

export function toEnvelopes(caseId: string, events: readonly CaseEventToStore[], ctx: CommandContext): EventToAppend[] {
  const ids = events.map(() => randomUUID());
  return events.map((event, i) => ({
    eventId: ids[i],
    type: event.type,
    schemaVersion: currentEventVersion(event.type),
    data: event.data,
    metadata: {
      caseId,
      occurredAt: event.occurredAt,
      actor: event.actor,
      correlationId: ctx.correlationId,
      causationId: i > 0 && event.actor.type === 'system' ? ids[i - 1] : (ctx.causationId ?? ctx.commandId),
      commandId: ctx.commandId,
      ...(ctx.idempotencyKey ? { idempotencyKey: ctx.idempotencyKey, requestHash: ctx.requestHash } : {}),
    },
  }));
}

/**
 * The stored event as the domain reads it: its data upcast to the type's current version (a new object; the
 * stored event, which the hash chain covers, is left as it is). A version newer than this release knows throws
 * `UnknownEventVersionError`.
 */
export function toDomainEvent(stored: StoredEvent): CaseEvent {
  return {
    type: stored.type,
    data: upcastEventData(stored.type, stored.schemaVersion ?? 1, stored.data),
    occurredAt: stored.metadata.occurredAt,
    actor: stored.metadata.actor,
  } as CaseEvent;
}
