/**
 * Takes order facts in: validates each record (its wire type, a spec name or a deprecated alias, is stored under
 * the event type `storedOrderFactType` maps it to), refuses one dated more than five minutes ahead of the clock (its
 * amounts are bounded by the validation, MAX_AMOUNT), ignores one whose producer event id was seen before
 * (whatever order it names), and appends the rest, each to its own stream (`order-fact-<eventId>`, expected
 * `no_stream`), so the store decides duplicates atomically even between concurrent deliveries. A bad record is
 * reported with its reasons (and, from Kafka, dead-lettered by the caller); the others go on.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '@aftersales/case-domain';
import { systemClock } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import { WrongExpectedRevisionError } from '@aftersales/event-store';
import type { FieldProblem } from '@aftersales/input-validation';
import { validatePlain } from '@aftersales/input-validation';
import type { OrderFactData } from './order-fact';
import { orderFactStreamId, orderStreamId, storedOrderFactType } from './order-fact';
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

export interface IntakeOptions {
  /** The clock that says how far ahead a fact may be dated; the system clock when absent. */
  clock?: Clock;
  /** How far ahead of the clock `occurredAt` may be (clock skew between services); 5 minutes by default. */
  futureToleranceMs?: number;
}

export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export class OrderFactIntake {
  private readonly clock: Clock;
  private readonly futureToleranceMs: number;

  constructor(
    private readonly store: EventStore,
    options: IntakeOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.futureToleranceMs = options.futureToleranceMs ?? FUTURE_TOLERANCE_MS;
  }

  async ingest(records: unknown[], context: IntakeContext): Promise<IntakeResult[]> {
    const results: IntakeResult[] = [];
    for (const raw of records) results.push(await this.ingestOne(raw, context));
    return results;
  }

  async ingestOne(raw: unknown, context: IntakeContext): Promise<IntakeResult> {
    const checked = validatePlain(OrderFactDto, raw);
    const givenEventId = typeof (raw as { eventId?: unknown })?.eventId === 'string' ? (raw as { eventId: string }).eventId : undefined;
    if ('problems' in checked) return { status: 'rejected', eventId: givenEventId, problems: checked.problems };
    const fact = checked.value;
    const latest = this.clock.now().getTime() + this.futureToleranceMs;
    if (Date.parse(fact.occurredAt) > latest) {
      return {
        status: 'rejected',
        eventId: fact.eventId,
        problems: [
          {
            field: 'occurredAt',
            problems: [`is more than ${this.futureToleranceMs / 60_000} minutes in the future (latest accepted: ${new Date(latest).toISOString()})`],
          },
        ],
      };
    }
    if (await this.seenBeforeFactStreams(fact)) return { status: 'duplicate', eventId: fact.eventId, orderId: fact.orderId };
    const data: OrderFactData = {
      orderId: fact.orderId,
      customerId: fact.customerId,
      merchantId: fact.merchantId,
      sourceEventId: fact.eventId,
      ...(fact.amount !== undefined ? { amount: fact.amount, currency: fact.currency } : {}),
      ...(fact.items !== undefined ? { items: fact.items.map(({ sku, quantity, amount }) => ({ sku, quantity, amount })) } : {}),
    };
    try {
      await this.store.append(
        orderFactStreamId(fact.eventId),
        [
          {
            eventId: randomUUID(),
            type: storedOrderFactType(fact.type)!, // validated above: a known wire type
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
        'no_stream',
      );
      return { status: 'accepted', eventId: fact.eventId, orderId: fact.orderId };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return { status: 'duplicate', eventId: fact.eventId, orderId: fact.orderId };
      throw error;
    }
  }

  /** Facts recorded before each had its own stream sit in their order's stream; the same event id there is a duplicate. */
  private async seenBeforeFactStreams(fact: OrderFactDto): Promise<boolean> {
    const history = await this.store.readStream(orderStreamId(fact.orderId));
    return history.some((e) => e.metadata.sourceEventId === fact.eventId);
  }
}
