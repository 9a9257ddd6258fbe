/**
 * The AsyncAPI 2.6 document of the Kafka topics, built from the same constants the code publishes and consumes
 * with, and served at /asyncapi.json next to the OpenAPI document.
 */
import { CASE_EVENT_TYPES } from '@aftersales/case-domain';
import { DEFAULT_TOPICS } from '@aftersales/kafka-transport';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { ORDER_FACT_TYPES } from '@aftersales/order-facts';

const CE_HEADERS = {
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_streamid', 'ce_revision', 'ce_eventtype', 'ce_actortype', 'ce_actorid'],
  properties: Object.fromEntries(
    [
      ['ce_specversion', '"1.0"'],
      ['ce_id', 'event id (UUID)'],
      ['ce_source', '/aftersales/cases'],
      ['ce_type', 'aftersales.<EventType>.v<schemaVersion>'],
      ['ce_subject', 'stream id'],
      ['ce_time', 'occurred-at (ISO 8601)'],
      ['content-type', 'application/json'],
      ['ce_streamid', 'stream id: case-<caseId> or order-<orderId>'],
      ['ce_revision', 'revision in the stream (0-based)'],
      ['ce_position', 'position in the store’s global feed'],
      ['ce_recordedat', 'recorded-at (ISO 8601)'],
      ['ce_eventtype', 'event type'],
      ['ce_schemaversion', 'schema version of the data'],
      ['ce_actortype', 'customer | agent | system | service'],
      ['ce_actorid', 'actor id'],
      ['ce_actorvia', 'relay of a customer action, type:id'],
      ['ce_correlationid', 'correlation id'],
      ['ce_causationid', 'causation id'],
    ].map(([name, description]) => [name, { type: 'string', description }]),
  ),
};

const message = (name: string, summary: string) => ({ name, title: name, summary, contentType: 'application/json', headers: CE_HEADERS, payload: { type: 'object' } });

export function asyncApiDocument(topics: KafkaTopics = DEFAULT_TOPICS): Record<string, unknown> {
  return {
    asyncapi: '2.6.0',
    info: {
      title: 'After-sales case resolution: Kafka topics',
      version: '1',
      description: 'CloudEvents 1.0 Kafka protocol binding, binary content mode. Delivery is at-least-once; consumers de-duplicate by stream and revision.',
    },
    channels: {
      [topics.caseEvents]: {
        description: 'Every case event, relayed from the event store. Key: case id.',
        bindings: { kafka: { key: { type: 'string', description: 'case id' } } },
        subscribe: { message: { oneOf: CASE_EVENT_TYPES.map((t) => message(t, `Case event ${t}`)) } },
      },
      [topics.orderFacts]: {
        description: 'Accepted, de-duplicated order facts as stored. Key: order id.',
        bindings: { kafka: { key: { type: 'string', description: 'order id' } } },
        subscribe: { message: { oneOf: ORDER_FACT_TYPES.map((t) => message(t, `Order fact ${t}`)) } },
      },
      [topics.ordersInbound]: {
        description: 'Order facts from internal services (plain JSON records, see POST /order-events). Key: order id.',
        publish: {
          message: {
            name: 'OrderFactRecord',
            contentType: 'application/json',
            payload: {
              type: 'object',
              required: ['eventId', 'type', 'orderId', 'customerId', 'merchantId', 'occurredAt'],
              properties: {
                eventId: { type: 'string' },
                type: { type: 'string', enum: [...ORDER_FACT_TYPES] },
                orderId: { type: 'string' },
                customerId: { type: 'string' },
                merchantId: { type: 'string' },
                occurredAt: { type: 'string', format: 'date-time' },
                amount: { type: 'number', minimum: 0 },
                currency: { type: 'string', pattern: '^[A-Z]{3}$' },
                source: { type: 'string' },
              },
            },
          },
        },
      },
      [topics.deadLetter]: {
        description: 'Records a consumer could not use; the original value with dlq-error, dlq-topic, dlq-partition, dlq-offset, dlq-consumer, dlq-at headers.',
        subscribe: { message: { name: 'DeadLetter', payload: { type: 'string' } } },
      },
    },
  };
}
