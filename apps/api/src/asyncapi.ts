/**
 * The AsyncAPI 2.6 document of the Kafka topics, built from the same constants the code publishes and consumes
 * with, and served at /asyncapi.json next to the OpenAPI document. The inbound order fact's payload is the JSON
 * Schema of the very DTO that validates `POST /order-events` and the Kafka intake (class-validator-jsonschema).
 */
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
// class-transformer's @Type metadata, so that nested DTOs (an order fact's items) are referenced by their own schema
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { CASE_EVENT_TYPES } from '@aftersales/case-domain';
import { DEFAULT_TOPICS } from '@aftersales/kafka-transport';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { ORDER_FACT_TYPES, OrderFactDto, OrderFactItemDto } from '@aftersales/order-facts';

/** JSON Schemas of the order fact DTOs, derived from their validation decorators. */
function orderFactSchemas(): Record<string, unknown> {
  const all = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
  }) as Record<string, unknown>;
  const names = [OrderFactDto.name, OrderFactItemDto.name];
  const missing = names.filter((n) => !all[n]);
  if (missing.length) throw new Error(`no JSON Schema derived for ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, all[n]]));
}

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
            payload: { $ref: `#/components/schemas/${OrderFactDto.name}` },
          },
        },
      },
      [topics.deadLetter]: {
        description: 'Records a consumer could not use; the original value with dlq-error, dlq-topic, dlq-partition, dlq-offset, dlq-consumer, dlq-at headers.',
        subscribe: { message: { name: 'DeadLetter', payload: { type: 'string', format: 'binary', description: 'the original record value, byte for byte' } } },
      },
    },
    components: { schemas: orderFactSchemas() },
  };
}
