/**
 * The AsyncAPI document publishes every case event type (and early warning) with its real payload: the JSON
 * Schema of its data, generated from the event union, and the CloudEvents attributes as headers.
 */
import { CASE_EVENT_DATA_SCHEMAS, CASE_EVENT_TYPES } from '@aftersales/case-domain';
import { EARLY_WARNING_EVENT_DATA_SCHEMAS, EARLY_WARNING_EVENT_TYPES } from '@aftersales/early-warning';
import { DEFAULT_TOPICS } from '@aftersales/kafka-transport';
import { asyncApiDocument } from '../src/asyncapi';

type Node = Record<string, unknown>;
const doc = asyncApiDocument() as { channels: Record<string, Node>; components: { schemas: Record<string, Node> } };
const caseMessages = (doc.channels[DEFAULT_TOPICS.caseEvents].subscribe as { message: { oneOf: Node[] } }).message.oneOf;

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

describe('AsyncAPI document of the case events', () => {
  it('lists every case event type, in the domain order', () => {
    expect(caseMessages.map((m) => m.name)).toEqual([...CASE_EVENT_TYPES]);
  });

  it('gives each one the generated schema of its data as payload', () => {
    for (const message of caseMessages) {
      const type = String(message.name);
      const generated = CASE_EVENT_DATA_SCHEMAS.events[type].data;
      if (typeof generated.$ref === 'string') {
        expect(message.payload).toEqual({ $ref: generated.$ref.replace('#/definitions/', '#/components/schemas/') });
        continue;
      }
      expect(message.payload).toEqual({ $ref: `#/components/schemas/${type}Data` });
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

  it('names the event type in the CloudEvents headers of each message', () => {
    for (const message of caseMessages) {
      const headers = message.headers as { required: string[]; properties: Record<string, Node> };
      expect(headers.required).toEqual(expect.arrayContaining(['ce_type', 'ce_eventtype', 'ce_id', 'ce_time', 'ce_streamid', 'ce_revision']));
      expect(headers.properties.ce_eventtype).toEqual({ type: 'string', const: message.name });
      expect(new RegExp(String(headers.properties.ce_type.pattern)).test(`aftersales.${String(message.name)}.v1`)).toBe(true);
    }
  });

  it('publishes the contact details of an opening sealed, as the store keeps them', () => {
    const opened = doc.components.schemas.CaseOpenedData as { properties: Record<string, Node> };
    expect(opened.properties.contact.$ref).toBe('#/components/schemas/SealedValue');
    expect([...(doc.components.schemas.SealedValue.required as string[])].sort()).toEqual(['ciphertext', 'iv', 'keyId', 'sealed', 'tag']);
  });

  it('publishes the early warnings with the schemas generated from their union', () => {
    const messages = (doc.channels[DEFAULT_TOPICS.earlyWarnings].subscribe as { message: { oneOf: Node[] } }).message.oneOf;
    expect(messages.map((m) => [m.name, m.payload])).toEqual(
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
