/** evolve for resolutions and carrying them out: proposals and answers, the return flow, refunds, replacements, repairs, compensation. */
import type { CaseState, ResolutionState } from './case-state';
import { roundMoney } from './case-state';
import type { EvolverTable } from './evolve-table';
import { responded } from './evolve-table';

type ResolutionEvent =
  | 'ResolutionProposed'
  | 'ResolutionAccepted'
  | 'ResolutionRejected'
  | 'ReturnAuthorized'
  | 'ReturnShipped'
  | 'ReturnReceived'
  | 'ReturnInspected'
  | 'RefundIssued'
  | 'ReplacementShipped'
  | 'RepairCompleted'
  | 'CompensationGranted';

/** The accepted resolution with `change` applied; any other resolution stays as it is. */
function withResolution(state: CaseState, change: Partial<ResolutionState>): ResolutionState | undefined {
  if (!state.resolution || state.resolution.status !== 'ACCEPTED') return state.resolution;
  return { ...state.resolution, ...change };
}

function answered(s: CaseState, status: 'ACCEPTED' | 'REJECTED', at: string): CaseState {
  return { ...s, status: 'IN_PROGRESS', resolution: s.resolution && { ...s.resolution, status, decidedAt: at } };
}

function withReturn(s: CaseState, change: Partial<NonNullable<CaseState['returnFlow']>>): CaseState {
  return s.returnFlow ? { ...s, returnFlow: { ...s.returnFlow, ...change } } : s;
}

export const RESOLUTION_EVOLVERS: EvolverTable<ResolutionEvent> = {
  ResolutionProposed: (s, { data, occurredAt }) => ({
    ...s,
    status: 'RESOLUTION_PROPOSED',
    sla: responded(s, occurredAt),
    resolution: {
      kind: data.kind,
      amount: data.amount,
      currency: data.currency,
      note: data.note,
      status: 'PROPOSED',
      proposedAt: occurredAt,
      refunded: 0,
      replacementShipped: false,
      repairCompleted: false,
      compensated: false,
    },
  }),
  ResolutionAccepted: (s, e) => answered(s, 'ACCEPTED', e.occurredAt),
  ResolutionRejected: (s, e) => answered(s, 'REJECTED', e.occurredAt),
  ReturnAuthorized: (s, { data, occurredAt }) => ({
    ...s,
    returnFlow: { rmaNumber: data.rmaNumber, returnBy: data.returnBy, status: 'AUTHORIZED', authorizedAt: occurredAt },
  }),
  ReturnShipped: (s, e) => withReturn(s, { status: 'SHIPPED', carrier: e.data.carrier, trackingNumber: e.data.trackingNumber }),
  ReturnReceived: (s, e) => withReturn(s, { status: 'RECEIVED', receivedAt: e.data.receivedAt }),
  ReturnInspected: (s, e) => withReturn(s, { status: 'INSPECTED', condition: e.data.condition }),
  RefundIssued: (s, { data, occurredAt }) => ({
    ...s,
    currency: s.currency ?? data.currency,
    refundedTotal: data.refundedTotal,
    refunds: [...s.refunds, { amount: data.amount, currency: data.currency, at: occurredAt }],
    resolution: withResolution(s, { refunded: roundMoney((s.resolution?.refunded ?? 0) + data.amount) }),
  }),
  ReplacementShipped: (s, { data, occurredAt }) => ({
    ...s,
    replacementShipped: { carrier: data.carrier, trackingNumber: data.trackingNumber, at: occurredAt },
    resolution: withResolution(s, { replacementShipped: true }),
  }),
  RepairCompleted: (s, e) => ({ ...s, repairCompletedAt: e.occurredAt, resolution: withResolution(s, { repairCompleted: true }) }),
  CompensationGranted: (s, e) => ({
    ...s,
    compensations: [...s.compensations, { ...e.data, at: e.occurredAt }],
    resolution: withResolution(s, { compensated: true }),
  }),
};
