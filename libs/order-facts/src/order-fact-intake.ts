/**
 * Takes order facts in: validates each record, ignores one whose source event id was seen before, and appends
 * the rest to the order's stream with the expected revision. A bad record is reported (and, from Kafka,
 * dead-lettered by the caller); the others go on.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@aftersales/event-store';
import { WrongExpectedRevisionError } from '@aftersales/event-store';
import type { FieldProblem } from '@aftersales/input-validation';
import { validatePlain } from '@aftersales/input-validation';
import type { OrderFactData } from './order-fact';
import { orderStreamId } from './order-fact';
import { OrderFactDto } from './order-fact.dto';

export type IntakeResult =
  | { status: 'accepted'; eventId: string; orderId: string }
  | { status: 'duplicate'; eventId: string; orderId: string }
  | { status: 'rejected'; eventId?: string; problems: FieldProblem[] };

export interface IntakeContext {
  /** Who delivered the records (service name or Kafka topic); the record's own `source` wins. */
  deliveredBy: string;
  correlationId?: string;
}

const MAX_ATTEMPTS = 8;

export class OrderFactIntake {
  constructor(private readonly store: EventStore) {}

  async ingest(records: unknown[], context: IntakeContext): Promise<IntakeResult[]> {
    const results: IntakeResult[] = [];
    for (const raw of records) results.push(await this.ingestOne(raw, context));
    return results;
  }

  async ingestOne(raw: unknown, context: IntakeContext): Promise<IntakeResult> {
    const checked = validatePlain(OrderFactDto, raw);
    if ('problems' in checked) {
      const eventId = typeof (raw as { eventId?: unknown })?.eventId === 'string' ? (raw as { eventId: string }).eventId : undefined;
      return { status: 'rejected', eventId, problems: checked.problems };
    }
    const fact = checked.value;
    const stream = orderStreamId(fact.orderId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const history = await this.store.readStream(stream);
      if (history.some((e) => e.metadata.sourceEventId === fact.eventId)) {
        return { status: 'duplicate', eventId: fact.eventId, orderId: fact.orderId };
      }
      const data: OrderFactData = {
        orderId: fact.orderId,
        customerId: fact.customerId,
        merchantId: fact.merchantId,
        sourceEventId: fact.eventId,
        ...(fact.amount !== undefined ? { amount: fact.amount, currency: fact.currency } : {}),
      };
      try {
        await this.store.append(
          stream,
          [
            {
              eventId: randomUUID(),
              type: fact.type,
              schemaVersion: 1,
              data,
              metadata: {
                occurredAt: new Date(fact.occurredAt).toISOString(),
                actor: { type: 'service', id: fact.source ?? context.deliveredBy },
                correlationId: context.correlationId ?? fact.eventId,
                causationId: fact.eventId,
                sourceEventId: fact.eventId,
              },
            },
          ],
          history.length ? history[history.length - 1].revision : 'no_stream',
        );
        return { status: 'accepted', eventId: fact.eventId, orderId: fact.orderId };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new Error(`order ${fact.orderId} kept changing while fact ${fact.eventId} was appended`);
  }
}
