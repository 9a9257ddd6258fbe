/**
 * The AsyncAPI 2.6 document of the Kafka topics, built from the same constants the code publishes and consumes
 * with, and served at /asyncapi.json next to the OpenAPI document. The inbound order fact's payload is the JSON
 * Schema of the very DTO that validates `POST /order-events` and the Kafka intake (class-validator-jsonschema);
 * each case event's payload is the JSON Schema of its data generated from the domain's event union
 * (CASE_EVENT_DATA_SCHEMAS), the `data` of a CloudEvent whose attributes are the transport's (CLOUD_EVENT_ATTRIBUTES).
 */
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
// class-transformer's @Type metadata, so that nested DTOs (an order fact's items) are referenced by their own schema
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { CASE_EVENT_DATA_SCHEMAS, CASE_EVENT_TYPES, currentEventVersion } from '@aftersales/case-domain';
import type { CaseEventDataSchemas, JsonSchema } from '@aftersales/case-domain';
import { EARLY_WARNING_EVENT_DATA_SCHEMAS, EARLY_WARNING_EVENT_TYPES } from '@aftersales/early-warning';
import { CLOUDEVENTS_JSON, CLOUD_EVENT_ATTRIBUTES, DEFAULT_TOPICS } from '@aftersales/kafka-transport';
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

const text = (description: string) => ({ type: 'string', description });

/** A record's own headers in structured mode (the default): its content type and the trace context of the hop. */
const RECORD_HEADERS = {
  type: 'object',
  required: ['content-type'],
  properties: {
    'content-type': { type: 'string', const: CLOUDEVENTS_JSON },
    traceparent: text('W3C trace context of the relay’s publish span'),
    tracestate: text('W3C trace state of that span'),
  },
};

/** The CloudEvent in a record's value (structured content mode), `data` being the event's data. */
function cloudEvent(data: JsonSchema, fixed: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    type: 'object',
    required: [...CLOUD_EVENT_ATTRIBUTES.filter((a) => a.always).map((a) => a.name), 'data'],
    properties: {
      ...Object.fromEntries(CLOUD_EVENT_ATTRIBUTES.map((a) => [a.name, text(a.description)])),
      datacontenttype: { type: 'string', const: 'application/json' },
      ...fixed,
      data,
    },
  };
}

const message = (name: string, summary: string, payload: JsonSchema = cloudEvent({ type: 'object' })) => ({
  name,
  title: name,
  summary,
  contentType: CLOUDEVENTS_JSON,
  headers: RECORD_HEADERS,
  payload,
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
 * One case event type: the CloudEvent with the event type fixed, the data of its current version as its `data`.
 * Events are published as stored, so an event written by an earlier release keeps its older version
 * (`schemaversion`); consumers upcast it.
 */
function caseEventMessage(type: string) {
  const version = currentEventVersion(type);
  const older = version > 1 ? `; events stored by earlier releases carry 1 to ${version - 1}` : '';
  const fixed = {
    type: { type: 'string', description: `aftersales.${type}.v<schemaVersion>`, pattern: `^aftersales\\.${type}\\.v\\d+$` },
    eventtype: { type: 'string', const: type },
    schemaversion: text(`schema version of the data: ${version} (the payload below)${older}`),
  };
  return message(type, `Case event ${type} (data version ${version})`, cloudEvent(eventPayload(CASE_EVENT_DATA_SCHEMAS, type), fixed));
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
      description:
        'CloudEvents 1.0 Kafka protocol binding, structured content mode: the value is the whole CloudEvent as JSON. Consumers also read binary content mode ' +
        '(the data as the value, each attribute a ce_<name> header, content-type application/json), which earlier releases wrote. Delivery is at-least-once; ' +
        'consumers de-duplicate by stream and revision.',
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
            oneOf: EARLY_WARNING_EVENT_TYPES.map((t) => message(t, `Early warning ${t}`, cloudEvent(eventPayload(EARLY_WARNING_EVENT_DATA_SCHEMAS, t)))),
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
