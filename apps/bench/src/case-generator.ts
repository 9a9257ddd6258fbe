/**
 * A seeded generator of realistic case histories: a mix of case types, channels and outcomes decided by the real
 * domain (`decide`), on a clock that moves through time, plus the order facts around them.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, CaseCommand, CaseEvent, CaseType, Channel, Priority } from '@aftersales/case-domain';
import { DEFAULT_SLA_POLICY, ManualClock, decide, evolve, initialCaseState } from '@aftersales/case-domain';
import { caseStreamId, toEnvelopes } from '@aftersales/case-application';
import type { EventToAppend } from '@aftersales/event-store';
import { orderStreamId } from '@aftersales/order-facts';

/** mulberry32: small, fast, good enough for a reproducible mix. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES: CaseType[] = ['RETURN', 'RETURN', 'RETURN', 'EXCHANGE', 'REFUND', 'REFUND', 'REPAIR', 'WARRANTY', 'TECH_SUPPORT', 'COMPLAINT'];
const CHANNELS: Channel[] = ['WEB', 'WEB', 'APP', 'APP', 'PHONE', 'CHAT', 'EMAIL', 'SOCIAL', 'SYSTEM'];
const PRIORITIES: Priority[] = ['LOW', 'NORMAL', 'NORMAL', 'NORMAL', 'HIGH', 'URGENT'];

export interface GeneratedStream {
  streamId: string;
  events: EventToAppend[];
}

const agent = (n: number): Actor => ({ type: 'agent', id: `agent-${n}` });
const service: Actor = { type: 'service', id: 'web-shop' };

export class CaseGenerator {
  private readonly random: () => number;
  readonly clock = new ManualClock('2025-01-06T08:00:00.000Z');
  private n = 0;

  constructor(seed = 42) {
    this.random = seededRandom(seed);
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** One case's full history (as one command after another) and its order's facts. */
  next(): GeneratedStream[] {
    this.n += 1;
    const caseId = randomUUID();
    const customerId = `cust-${Math.floor(this.random() * 20_000)}`;
    const merchantId = `merch-${Math.floor(this.random() * 50)}`;
    const orderId = `ord-${this.n}`;
    const amount = Math.round((10 + this.random() * 290) * 100) / 100;
    const agentNo = Math.floor(this.random() * 40);
    const team = this.pick(['returns', 'repairs', 'complaints', 'support']);
    this.clock.advance(Math.floor(this.random() * 120_000));
    const orderFacts = this.orderFacts(orderId, customerId, merchantId, amount);
    const commands = this.commandsAfterOpening(agentNo, team, amount);
    const opening: CaseCommand = {
      type: 'open',
      caseId,
      actor: service,
      payload: {
        orderId,
        customerId,
        merchantId,
        type: this.pick(TYPES),
        channel: this.pick(CHANNELS),
        priority: this.pick(PRIORITIES),
        reason: 'Not as expected',
        description: 'The item does not match the description on the product page.',
        items: [{ sku: `SKU-${this.n % 997}`, quantity: 1, amount }],
        currency: 'EUR',
        contact: { name: 'Customer Name', email: 'customer@example.com' },
      },
    };
    const events = this.decideAll(caseId, opening, commands);
    const envelopes = toEnvelopes(caseId, events, { actor: service, correlationId: randomUUID(), commandId: randomUUID() });
    return [orderFacts, { streamId: caseStreamId(caseId), events: envelopes }];
  }

  /** The commands after `open`: acknowledged and assigned, then rejected, withdrawn or resolved (with its remedy) and closed. */
  private commandsAfterOpening(agentNo: number, team: string, amount: number): Array<[string, object, Actor]> {
    const commands: Array<[string, object, Actor]> = [];
    commands.push(['acknowledge', {}, agent(agentNo)]);
    commands.push(['assign', { agentId: `agent-${agentNo}`, team }, agent(agentNo)]);
    const roll = this.random();
    if (roll < 0.2)
      commands.push(['request-info', { message: 'A photo of the label, please.' }, agent(agentNo)], ['customer-message', { message: 'Here it is.' }, service]);
    if (roll > 0.93) {
      commands.push(['reject', { reasonCode: 'OUT_OF_POLICY' }, agent(agentNo)], ['close', {}, agent(agentNo)]);
    } else if (roll > 0.9) {
      commands.push(['withdraw', { reason: 'No longer needed' }, service]);
    } else {
      const kind = roll < 0.6 ? 'REFUND' : roll < 0.75 ? 'REPLACEMENT' : 'EXPLANATION';
      commands.push(['propose-resolution', { kind, currency: 'EUR' }, agent(agentNo)], ['accept-resolution', {}, service]);
      if (kind === 'REFUND')
        commands.push(
          ['authorize-return', {}, agent(agentNo)],
          ['return-received', { condition: 'INTACT' }, agent(agentNo)],
          ['issue-refund', { amount, currency: 'EUR' }, agent(agentNo)],
        );
      if (kind === 'REPLACEMENT') commands.push(['ship-replacement', { carrier: 'DHL', trackingNumber: `T${this.n}` }, agent(agentNo)]);
      commands.push(
        ['resolve', { summary: 'Done' }, agent(agentNo)],
        ['record-satisfaction', { score: 1 + Math.floor(this.random() * 5) }, service],
        ['close', {}, agent(agentNo)],
      );
    }
    return commands;
  }

  /** Runs each command through the real domain, the clock moving a minute to an hour after each. */
  private decideAll(caseId: string, opening: CaseCommand, commands: Array<[string, object, Actor]>): CaseEvent[] {
    const events: CaseEvent[] = [];
    let state = initialCaseState(caseId);
    const run = (command: CaseCommand) => {
      const decided = decide(command, state, { clock: this.clock, slaPolicy: DEFAULT_SLA_POLICY });
      state = decided.reduce(evolve, state);
      events.push(...decided);
      this.clock.advance(60_000 + Math.floor(this.random() * 3_600_000));
    };
    run(opening);
    for (const [type, payload, actor] of commands) run({ type, caseId, actor, payload } as CaseCommand);
    return events;
  }

  private orderFacts(orderId: string, customerId: string, merchantId: string, amount: number): GeneratedStream {
    const at = this.clock.now().getTime() - 10 * 86_400_000;
    const fact = (type: string, offsetMs: number, withAmount: boolean): EventToAppend => ({
      eventId: randomUUID(),
      type,
      schemaVersion: 1,
      data: { orderId, customerId, merchantId, sourceEventId: `${orderId}-${type}`, ...(withAmount ? { amount, currency: 'EUR' } : {}) },
      metadata: {
        occurredAt: new Date(at + offsetMs).toISOString(),
        actor: { type: 'service', id: 'order-service' },
        correlationId: orderId,
        causationId: `${orderId}-${type}`,
        sourceEventId: `${orderId}-${type}`,
      },
    });
    return {
      streamId: orderStreamId(orderId),
      events: [fact('OrderPlaced', 0, true), fact('OrderPaid', 60_000, false), fact('OrderDelivered', 3 * 86_400_000, false)],
    };
  }
}
