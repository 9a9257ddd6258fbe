/**
 * The SQL store serialises an event's data and metadata once and assembles the hashed payload from them: the text
 * it sends as `chainPayload` must be `chainPayload()` character for character, or no stored chain would verify.
 */
import { appendDocument, chainPayload } from '@aftersales/event-store';
import type { EventToAppend } from '@aftersales/event-store';

const EVENTS: EventToAppend[] = [
  {
    eventId: '0b9f6a51-2d55-4a8e-9b4f-3c2d1e0f9a87',
    type: 'CaseOpened',
    schemaVersion: 3,
    data: {
      orderId: 'ord-1',
      items: [{ sku: 'SHOE-42', quantity: 1, amount: 59.9 }],
      reason: 'Zu klein — “größe” 尺码',
      nested: { z: 1, a: [null, true, 1e21] },
    },
    metadata: {
      caseId: 'c-1',
      occurredAt: '2026-03-02T09:00:00.000Z',
      actor: { type: 'service', id: 'shop' },
      correlationId: 'k',
      causationId: 'x',
      commandId: 'x',
    },
  },
  {
    eventId: 'e\u00e9"\\',
    type: 'Odd\ttype',
    schemaVersion: 1,
    data: {},
    metadata: {
      caseId: 'c-2',
      occurredAt: '2026-03-02T09:00:00.000Z',
      actor: { type: 'agent', id: 'a' },
      correlationId: 'k',
      causationId: 'y',
      commandId: 'y',
      requestHash: undefined,
    },
  },
];

describe('SQL store: the document of one appended event', () => {
  it.each(EVENTS.map((event) => [event.type, event] as const))('for %s, carries chainPayload() exactly and the same event fields', (_type, event) => {
    const document = JSON.parse(appendDocument('case-c-1', event)) as Record<string, unknown>;
    expect(document.chainPayload).toBe(chainPayload('case-c-1', event));
    expect(document).toEqual({ ...JSON.parse(JSON.stringify(event)), chainPayload: chainPayload('case-c-1', event) });
  });
});
