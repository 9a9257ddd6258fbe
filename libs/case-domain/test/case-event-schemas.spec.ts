/**
 * The checked-in event data schemas and docs/events.md are derived from the event unions (case events, early
 * warnings): regenerated here and compared, they must be what is checked in (`npm run docs:events` rewrites both).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CASE_EVENT_DATA_SCHEMAS, CASE_EVENT_TYPES } from '@aftersales/case-domain';
import { CASE_EVENTS, EARLY_WARNING_EVENTS, REPO_ROOT, generateEventSchemas, schemasFileText } from '../tools/event-schema-generation';
import type { EventSchemas } from '../tools/event-schema-generation';
import Ajv from 'ajv';
import { CASE_ID, Story, act, customer, open } from './case-test-kit';
import { EARLY_WARNING_EVENT_DATA_SCHEMAS, EARLY_WARNING_EVENT_TYPES } from '@aftersales/early-warning';
import { EVENTS_DOC, beginMarker, endMarker, renderEventTables, withEventTables } from '../tools/events-doc';

const read = (path: string) => readFileSync(resolve(REPO_ROOT, path), 'utf8');

describe('event data schemas, derived from the event union', () => {
  let generated: EventSchemas;
  let earlyWarnings: EventSchemas;
  beforeAll(() => {
    generated = generateEventSchemas(CASE_EVENTS);
    earlyWarnings = generateEventSchemas(EARLY_WARNING_EVENTS);
  }, 60_000);

  it('are checked in as generated (run `npm run schemas:events` after changing an event)', () => {
    expect(read(CASE_EVENTS.output)).toBe(schemasFileText(generated));
    expect(read(EARLY_WARNING_EVENTS.output)).toBe(schemasFileText(earlyWarnings));
  });

  it('cover every event type the domain lists, and no other', () => {
    expect(Object.keys(generated.events).sort()).toEqual([...CASE_EVENT_TYPES].sort());
    expect(Object.keys(CASE_EVENT_DATA_SCHEMAS.events).sort()).toEqual([...CASE_EVENT_TYPES].sort());
    expect(Object.keys(earlyWarnings.events).sort()).toEqual([...EARLY_WARNING_EVENT_TYPES].sort());
    expect(Object.keys(EARLY_WARNING_EVENT_DATA_SCHEMAS.events).sort()).toEqual([...EARLY_WARNING_EVENT_TYPES].sort());
  });

  it('describe the data field by field, with required fields, closed vocabularies and no unknown fields', () => {
    const assigned = generated.events.CaseAssigned.data;
    expect(assigned).toEqual({
      type: 'object',
      properties: { agentId: { type: 'string' }, team: { type: 'string' } },
      required: ['agentId'],
      additionalProperties: false,
    });
    expect(generated.events.ReturnInspected.data).toMatchObject({ properties: { condition: { $ref: '#/definitions/ReturnCondition' } } });
    expect(generated.definitions.ReturnCondition).toEqual({ type: 'string', enum: ['INTACT', 'DAMAGED', 'MISSING_PARTS'] });
  });

  it('resolve every reference they make', () => {
    const refs = JSON.stringify(generated).match(/"\$ref":"#\/definitions\/[^"]+"/g) ?? [];
    const missing = refs.map((r) => r.slice('"$ref":"#/definitions/'.length, -1)).filter((name) => !generated.definitions[name]);
    expect(missing).toEqual([]);
  });

  it('accept the data the domain decides, and refuse data of the wrong shape', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema({ definitions: generated.definitions }, 'case-events');
    const validate = (type: string, data: unknown) => {
      const schema = JSON.parse(JSON.stringify(generated.events[type].data).replace(/"#\/definitions\//g, '"case-events#/definitions/')) as object;
      return ajv.validate(schema, data) ? [] : (ajv.errors ?? []).map((e) => `${type}${e.instancePath} ${e.message}`);
    };
    const story = new Story().run(
      open({ priority: 'HIGH', contact: { email: 'a@example.com' } }),
      act('acknowledge', { note: 'Seen' }),
      act('assign', { agentId: 'agent-7', team: 'returns' }),
      act('request-info', { message: 'Photo please' }),
      act('customer-message', { message: 'Here it is' }, customer),
      act('escalate', { level: 'L2', reason: 'VIP' }),
      act('propose-resolution', { kind: 'REFUND', currency: 'EUR' }),
      act('accept-resolution', {}, customer),
      act('authorize-return', { rmaNumber: 'RMA-1' }),
      act('return-shipped', { carrier: 'DHL', trackingNumber: 'JD1' }),
      act('return-received', { condition: 'INTACT' }),
      act('issue-refund', { amount: 100, currency: 'EUR' }),
      act('resolve', { summary: 'Refunded' }),
      act('record-satisfaction', { score: 1, nps: 2 }, customer),
      act('close', {}),
    );
    expect(new Set(story.events.map((e) => e.type)).size).toBeGreaterThanOrEqual(15);
    expect(story.events.flatMap((e) => validate(e.type, e.data))).toEqual([]);
    expect(validate('CaseAssigned', { agentId: 7 })).toEqual(['CaseAssigned/agentId must be string']);
    expect(validate('ReturnInspected', { rmaNumber: 'RMA-1', condition: 'BROKEN' })).toEqual([
      'ReturnInspected/condition must be equal to one of the allowed values',
    ]);
    expect(validate('CaseAcknowledged', { note: 'x', caseId: CASE_ID })).toEqual(['CaseAcknowledged must NOT have additional properties']);
  });

  it('give docs/events.md its field tables (run `npm run docs:events` after changing an event)', () => {
    const doc = read(EVENTS_DOC);
    for (const union of [CASE_EVENTS, EARLY_WARNING_EVENTS]) {
      expect(doc).toContain(beginMarker(union));
      expect(doc).toContain(endMarker(union));
    }
    expect(doc).toBe(withEventTables(withEventTables(doc, CASE_EVENTS, generated), EARLY_WARNING_EVENTS, earlyWarnings));
  });

  it('render one table per event type, with each field once', () => {
    const section = renderEventTables(CASE_EVENTS, generated);
    for (const type of CASE_EVENT_TYPES) expect(section).toMatch(new RegExp(`^### ${type} \\(v\\d+\\)$`, 'm'));
    expect(section).toContain('| `agentId` | string | yes |  |');
    expect(section).toContain('| `team` | string | no |  |');
  });
});
