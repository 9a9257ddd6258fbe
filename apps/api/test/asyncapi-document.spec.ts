/**
 * The AsyncAPI document publishes every case event type (and early warning) with its real payload: the JSON
 * Schema of its data, generated from the event union, as the `data` of a CloudEvent in structured content mode.
 */
import { CASE_EVENT_DATA_SCHEMAS, CASE_EVENT_TYPES } from '@aftersales/case-domain';
import { EARLY_WARNING_EVENT_DATA_SCHEMAS, EARLY_WARNING_EVENT_TYPES } from '@aftersales/early-warning';
import { DEFAULT_TOPICS } from '@aftersales/kafka-transport';
import { asyncApiDocument } from '../src/asyncapi';

type Node = Record<string, unknown>;
const doc = asyncApiDocument() as { channels: Record<string, Node>; components: { schemas: Record<string, Node> } };
const caseMessages = (doc.channels[DEFAULT_TOPICS.caseEvents].subscribe as { message: { oneOf: Node[] } }).message.oneOf;

const dataOf = (message: Node) => (message.payload as { properties: Record<string, Node> }).properties.data;

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

describe('AsyncAPI document of the case events', () => {
  it('lists every case event type, in the domain order', () => {
    expect(caseMessages.map((m) => m.name)).toEqual([...CASE_EVENT_TYPES]);
  });

  it('gives each one the generated schema of its data as the data of its CloudEvent', () => {
    for (const message of caseMessages) {
      const type = String(message.name);
      const generated = CASE_EVENT_DATA_SCHEMAS.events[type].data;
      const data = dataOf(message);
      if (typeof generated.$ref === 'string') {
        expect(data).toEqual({ $ref: generated.$ref.replace('#/definitions/', '#/components/schemas/') });
        continue;
      }
      expect(data).toEqual({ $ref: `#/components/schemas/${type}Data` });
      const published = doc.components.schemas[`${type}Data`];
      expect(Object.keys(published.properties as Node)).toEqual(Object.keys(generated.properties as Node));
      expect(published.required).toEqual(generated.required);
      expect(published.additionalProperties).toBe(false);
    }
    expect(doc.components.schemas.CaseAssignedData).toEqual({
      type: 'object',
      properties: { agentId: { type: 'string' }, team: { type: 'string' } },
      required: ['agentId'],
      additionalProperties: false,
    });
  });

  it('names the event type in the CloudEvent of each message, written in structured content mode', () => {
    for (const message of caseMessages) {
      const event = message.payload as { required: string[]; properties: Record<string, Node> };
      expect(message.contentType).toBe('application/cloudevents+json');
      expect((message.headers as { properties: Record<string, Node> }).properties['content-type']).toEqual({
        type: 'string',
        const: 'application/cloudevents+json',
      });
      expect(event.required).toEqual(expect.arrayContaining(['specversion', 'type', 'eventtype', 'id', 'time', 'streamid', 'revision', 'data']));
      expect(event.properties.eventtype).toEqual({ type: 'string', const: message.name });
      expect(new RegExp(String(event.properties.type.pattern)).test(`aftersales.${String(message.name)}.v1`)).toBe(true);
    }
  });

  it('publishes the contact details of an opening sealed, as the store keeps them', () => {
    const opened = doc.components.schemas.CaseOpenedData as { properties: Record<string, Node> };
    expect(opened.properties.contact.$ref).toBe('#/components/schemas/SealedValue');
    expect([...(doc.components.schemas.SealedValue.required as string[])].sort()).toEqual(['ciphertext', 'iv', 'keyId', 'sealed', 'tag']);
  });

  it('publishes the early warnings with the schemas generated from their union', () => {
    const messages = (doc.channels[DEFAULT_TOPICS.earlyWarnings].subscribe as { message: { oneOf: Node[] } }).message.oneOf;
    expect(messages.map((m) => [m.name, dataOf(m)])).toEqual(
      EARLY_WARNING_EVENT_TYPES.map((t) => [
        t,
        { $ref: String(EARLY_WARNING_EVENT_DATA_SCHEMAS.events[t].data.$ref).replace('#/definitions/', '#/components/schemas/') },
      ]),
    );
    expect(doc.components.schemas.EarlyWarningClearedData.required).toEqual(expect.arrayContaining(['signalKey', 'kind', 'since', 'clearedAt']));
  });

  it('resolves every reference it makes', () => {
    const unresolved = refsIn(doc).filter((ref) => !doc.components.schemas[ref.replace('#/components/schemas/', '')]);
    expect(unresolved).toEqual([]);
  });
});
