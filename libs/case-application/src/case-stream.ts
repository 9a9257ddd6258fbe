/**
 * Translates between the domain's events and the store's envelopes: stream naming, metadata, causation.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, CaseEvent } from '@aftersales/case-domain';
import { EVENT_SCHEMA_VERSION } from '@aftersales/case-domain';
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
}

/**
 * Wraps decided events for the store. The first event is caused by the command; an automatic escalation is
 * caused by the event that triggered it (the one before it in the same decision).
 */
export function toEnvelopes(caseId: string, events: CaseEvent[], ctx: CommandContext): EventToAppend[] {
  const ids = events.map(() => randomUUID());
  return events.map((event, i) => ({
    eventId: ids[i],
    type: event.type,
    schemaVersion: EVENT_SCHEMA_VERSION,
    data: event.data,
    metadata: {
      caseId,
      occurredAt: event.occurredAt,
      actor: event.actor,
      correlationId: ctx.correlationId,
      causationId: i > 0 && event.actor.type === 'system' ? ids[i - 1] : ctx.commandId,
      commandId: ctx.commandId,
      ...(ctx.idempotencyKey ? { idempotencyKey: ctx.idempotencyKey, requestHash: ctx.requestHash } : {}),
    },
  }));
}

export function toDomainEvent(stored: StoredEvent): CaseEvent {
  return {
    type: stored.type,
    data: stored.data,
    occurredAt: stored.metadata.occurredAt,
    actor: stored.metadata.actor,
  } as CaseEvent;
}
