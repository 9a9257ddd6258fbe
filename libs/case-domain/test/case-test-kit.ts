/** Given / when / then for the case aggregate: histories are built by running real commands. */
import { Actor, CaseActionCommand, CaseCommand, CaseEvent, CaseState, DEFAULT_SLA_POLICY, ManualClock, OpenCasePayload, decide, foldCase } from '../src';

export const CASE_ID = '6f9a1c2e-0d4b-4c47-9a51-0c1f3e2d4b5a';
export const agent: Actor = { type: 'agent', id: 'agent-7' };
export const customer: Actor = { type: 'customer', id: 'cust-1', via: { type: 'service', id: 'web-shop' } };

export const openPayload = (over: Partial<OpenCasePayload> = {}): OpenCasePayload => ({
  orderId: 'ord-1001',
  customerId: 'cust-1',
  merchantId: 'merch-9',
  type: 'RETURN',
  channel: 'WEB',
  priority: 'NORMAL',
  reason: 'Wrong size',
  description: 'The shoes are one size too small.',
  items: [{ sku: 'SHOE-42', quantity: 2, amount: 50 }],
  currency: 'EUR',
  ...over,
});

type ActionType = CaseActionCommand['type'];
type PayloadOf<T extends ActionType> = Extract<CaseActionCommand, { type: T }>['payload'];

export function open(over: Partial<OpenCasePayload> = {}, actor: Actor = { type: 'service', id: 'web-shop' }): CaseCommand {
  return { type: 'open', caseId: CASE_ID, actor, payload: openPayload(over) };
}

export function act<T extends ActionType>(type: T, payload: PayloadOf<T>, actor: Actor = agent): CaseCommand {
  return { type, caseId: CASE_ID, actor, payload } as CaseCommand;
}

/** A story: commands run one after the other on a manual clock, collecting the events they produce. */
export class Story {
  readonly clock = new ManualClock('2026-03-02T09:00:00.000Z');
  readonly events: CaseEvent[] = [];

  get state(): CaseState {
    return foldCase(CASE_ID, this.events);
  }

  run(...commands: CaseCommand[]): this {
    for (const command of commands) this.events.push(...this.decide(command));
    return this;
  }

  after(minutes: number): this {
    this.clock.advanceMinutes(minutes);
    return this;
  }

  decide(command: CaseCommand): CaseEvent[] {
    return decide(command, this.state, { clock: this.clock, slaPolicy: DEFAULT_SLA_POLICY });
  }

  /** when `command`, then these events (types and data) are decided. */
  when(command: CaseCommand): { type: string; data: unknown; actor: Actor }[] {
    return this.decide(command).map(({ type, data, actor }) => ({ type, data, actor }));
  }
}

/** The shortest histories that reach each state. */
export const storiesTo = {
  OPEN: () => new Story().run(open()),
  ACKNOWLEDGED: () => storiesTo.OPEN().run(act('acknowledge', {})),
  IN_PROGRESS: () => storiesTo.ACKNOWLEDGED().run(act('assign', { agentId: 'agent-7', team: 'returns' })),
  AWAITING_CUSTOMER: () => storiesTo.IN_PROGRESS().run(act('request-info', { message: 'Photo please' })),
  RESOLUTION_PROPOSED: () => storiesTo.IN_PROGRESS().run(act('propose-resolution', { kind: 'REFUND', currency: 'EUR' })),
  REFUND_ACCEPTED: () => storiesTo.RESOLUTION_PROPOSED().run(act('accept-resolution', {}, customer)),
  RESOLVED: () => storiesTo.REFUND_ACCEPTED().run(act('issue-refund', { amount: 100, currency: 'EUR' }), act('resolve', { summary: 'Refunded in full' })),
  CLOSED: () => storiesTo.RESOLVED().run(act('close', {})),
  REJECTED: () => storiesTo.IN_PROGRESS().run(act('reject', { reasonCode: 'OUT_OF_WARRANTY' })),
  WITHDRAWN: () => storiesTo.OPEN().run(act('withdraw', { reason: 'Found a solution' }, customer)),
  REOPENED: () => storiesTo.RESOLVED().run(act('reopen', { reason: 'Refund never arrived' })),
};

/** One valid command per action, for table-driven checks. */
export const sampleCommands: Record<ActionType, CaseCommand> = {
  acknowledge: act('acknowledge', {}),
  assign: act('assign', { agentId: 'agent-8' }),
  reply: act('reply', { message: 'On it' }),
  'request-info': act('request-info', { message: 'Photo please' }),
  'customer-message': act('customer-message', { message: 'Any news?' }, customer),
  escalate: act('escalate', { level: 'L2', reason: 'VIP' }),
  'propose-resolution': act('propose-resolution', { kind: 'EXPLANATION' }),
  'accept-resolution': act('accept-resolution', {}, customer),
  'reject-resolution': act('reject-resolution', {}, customer),
  'authorize-return': act('authorize-return', {}),
  'return-shipped': act('return-shipped', { carrier: 'DHL', trackingNumber: 'JD0001' }),
  'return-received': act('return-received', { condition: 'INTACT' }),
  'issue-refund': act('issue-refund', { amount: 10, currency: 'EUR' }),
  'ship-replacement': act('ship-replacement', { carrier: 'DHL', trackingNumber: 'JD0002' }),
  'complete-repair': act('complete-repair', {}),
  'grant-compensation': act('grant-compensation', { points: 100 }),
  resolve: act('resolve', { summary: 'done' }),
  reject: act('reject', { reasonCode: 'NOT_COVERED' }),
  reopen: act('reopen', { reason: 'again' }),
  'record-satisfaction': act('record-satisfaction', { score: 5 }, customer),
  close: act('close', {}),
  withdraw: act('withdraw', { reason: 'no longer needed' }, customer),
  'record-follow-up': act('record-follow-up', { outcome: 'REACHED_SATISFIED' }),
};
