/**
 * The AsyncAPI 2.6 document of the Kafka topics, built from the same constants the code publishes and consumes
 * with, and served at /asyncapi.json next to the OpenAPI document. The inbound order fact's payload is the JSON
 * Schema of the very DTO that validates `POST /order-events` and the Kafka intake (class-validator-jsonschema);
 * each case event's payload is the JSON Schema of its data generated from the domain's event union
 * (CASE_EVENT_DATA_SCHEMAS), its CloudEvents attributes the message headers.
 */
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
// class-transformer's @Type metadata, so that nested DTOs (an order fact's items) are referenced by their own schema
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { CASE_EVENT_DATA_SCHEMAS, CASE_EVENT_TYPES, currentEventVersion } from '@aftersales/case-domain';
import type { CaseEventDataSchemas, JsonSchema } from '@aftersales/case-domain';
import { EARLY_WARNING_EVENT_DATA_SCHEMAS, EARLY_WARNING_EVENT_TYPES } from '@aftersales/early-warning';
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

const message = (name: string, summary: string) => ({
  name,
  title: name,
  summary,
  contentType: 'application/json',
  headers: CE_HEADERS,
  payload: { type: 'object' },
});

const COMPONENTS = '#/components/schemas/';
const dataSchemaName = (type: string) => `${type}Data`;

/** The schema with its `#/definitions/` references pointing into the AsyncAPI components. */
function inComponents(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, `"${COMPONENTS}`)) as JsonSchema;
}

/** What a consumer reads: contact details are published as stored, sealed under the customer's key. */
function asPublished(type: string, data: JsonSchema): JsonSchema {
  const properties = data.properties as Record<string, JsonSchema> | undefined;
  if (type !== 'CaseOpened' || !properties?.contact) return data;
  const contact = { $ref: `${COMPONENTS}SealedValue`, description: 'The contact details, sealed under the customer key (erased by destroying the key).' };
  return { ...data, properties: { ...properties, contact } };
}

/** The payload of an event type: its data's named type, or a component of its own (`<Type>Data`). */
function eventPayload(schemas: CaseEventDataSchemas, type: string): JsonSchema {
  const data = schemas.events[type]?.data;
  if (!data) throw new Error(`no generated data schema for ${type} (run npm run schemas:events)`);
  return typeof data.$ref === 'string' ? inComponents(data) : { $ref: `${COMPONENTS}${dataSchemaName(type)}` };
}

/** The data schemas of the event types and the named types they use, as AsyncAPI components. */
function eventSchemas(schemas: CaseEventDataSchemas, types: readonly string[]): Record<string, JsonSchema> {
  const own = types.filter((t) => typeof schemas.events[t]?.data.$ref !== 'string');
  return {
    ...Object.fromEntries(Object.entries(schemas.definitions).map(([name, schema]) => [name, inComponents(schema)])),
    ...Object.fromEntries(
      own.map((t) => {
        const { description, data } = schemas.events[t];
        return [dataSchemaName(t), inComponents(asPublished(t, description ? { description, ...data } : data))];
      }),
    ),
  };
}

/**
 * One case event type: its CloudEvents headers with the event type fixed, the data of its current version as the
 * payload. Events are published as stored, so an event written by an earlier release keeps its older version
 * (`ce_schemaversion`); consumers upcast it.
 */
function caseEventMessage(type: string) {
  const version = currentEventVersion(type);
  const older = version > 1 ? `; events stored by earlier releases carry 1 to ${version - 1}` : '';
  const properties = {
    ...CE_HEADERS.properties,
    ce_type: { type: 'string', description: `aftersales.${type}.v<schemaVersion>`, pattern: `^aftersales\\.${type}\\.v\\d+$` },
    ce_eventtype: { type: 'string', const: type },
    ce_schemaversion: { type: 'string', description: `schema version of the data: ${version} (the payload below)${older}` },
  };
  return {
    ...message(type, `Case event ${type} (data version ${version})`),
    headers: { ...CE_HEADERS, properties },
    payload: eventPayload(CASE_EVENT_DATA_SCHEMAS, type),
  };
}

function componentSchemas(): Record<string, unknown> {
  const parts = [
    eventSchemas(CASE_EVENT_DATA_SCHEMAS, CASE_EVENT_TYPES),
    eventSchemas(EARLY_WARNING_EVENT_DATA_SCHEMAS, EARLY_WARNING_EVENT_TYPES),
    orderFactSchemas(),
  ];
  const names = parts.flatMap((part) => Object.keys(part));
  const clash = names.filter((n, i) => names.indexOf(n) !== i);
  if (clash.length) throw new Error(`schema names used twice in the AsyncAPI components: ${clash.join(', ')}`);
  return Object.assign({}, ...parts) as Record<string, unknown>;
}

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
        subscribe: { message: { oneOf: CASE_EVENT_TYPES.map(caseEventMessage) } },
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
      [topics.earlyWarnings]: {
        description:
          'Early-warning signals raised and cleared (ce_source /aftersales/early-warnings), relayed from their early-warning-<key> streams. Key: signal key.',
        bindings: { kafka: { key: { type: 'string', description: 'signal key' } } },
        subscribe: {
          message: {
            oneOf: EARLY_WARNING_EVENT_TYPES.map((t) => ({ ...message(t, `Early warning ${t}`), payload: eventPayload(EARLY_WARNING_EVENT_DATA_SCHEMAS, t) })),
          },
        },
      },
      [topics.deadLetter]: {
        description: 'Records a consumer could not use; the original value with dlq-error, dlq-topic, dlq-partition, dlq-offset, dlq-consumer, dlq-at headers.',
        subscribe: { message: { name: 'DeadLetter', payload: { type: 'string', format: 'binary', description: 'the original record value, byte for byte' } } },
      },
    },
    components: { schemas: componentSchemas() },
  };
}
