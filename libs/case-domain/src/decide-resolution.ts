/**
 * decide for the resolution and how it is carried out: proposal, acceptance or rejection, the return, refunds,
 * replacement, repair and compensation, with the money checks (currency, items' worth, accepted amount).
 */
import type { CaseState } from './case-state';
import { itemsValue, roundMoney } from './case-state';
import { BusinessRuleError } from './domain-errors';
import type { DeciderTable } from './decide-table';

const MONEY_EPSILON = 0.005;

type ResolutionAction =
  | 'propose-resolution'
  | 'accept-resolution'
  | 'reject-resolution'
  | 'authorize-return'
  | 'return-shipped'
  | 'return-received'
  | 'issue-refund'
  | 'ship-replacement'
  | 'complete-repair'
  | 'grant-compensation';

function checkCurrency(state: CaseState, currency: string | undefined): void {
  const expected = state.currency ?? state.resolution?.currency;
  if (currency && expected && currency !== expected) {
    throw new BusinessRuleError('CURRENCY_MISMATCH', `amounts on this case are in ${expected}, not ${currency}`);
  }
}

function checkRefund(state: CaseState, amount: number, currency: string): void {
  checkCurrency(state, currency);
  const worth = itemsValue(state);
  const accepted = state.resolution!;
  if (worth === 0 && accepted.amount === undefined) {
    throw new BusinessRuleError(
      'REFUND_WITHOUT_VALUE_BASIS',
      'the case lists no items and the accepted resolution names no amount, so no refund can be checked against a value',
    );
  }
  if (worth > 0 && state.refundedTotal + amount > worth + MONEY_EPSILON) {
    throw new BusinessRuleError(
      'REFUND_EXCEEDS_ITEMS_VALUE',
      `refunds would total ${roundMoney(state.refundedTotal + amount)}, more than the case's items are worth (${worth})`,
    );
  }
  if (accepted.amount !== undefined && accepted.refunded + amount > accepted.amount + MONEY_EPSILON) {
    throw new BusinessRuleError(
      'REFUND_EXCEEDS_ACCEPTED_AMOUNT',
      `refunds under this resolution would total ${roundMoney(accepted.refunded + amount)}, more than the ${accepted.amount} accepted`,
    );
  }
}

/** What remains to be carried out before an accepted resolution lets the case be resolved; empty when nothing. */
export function unfulfilled(state: CaseState): string | undefined {
  const r = state.resolution;
  if (!r || r.status !== 'ACCEPTED') return 'no accepted resolution';
  switch (r.kind) {
    case 'REFUND':
    case 'PARTIAL_REFUND': {
      const promised = r.amount ?? roundMoney(itemsValue(state) - (state.refundedTotal - r.refunded));
      return r.refunded + MONEY_EPSILON >= promised ? undefined : `refund of ${promised} promised, ${r.refunded} issued`;
    }
    case 'REPLACEMENT':
      return r.replacementShipped ? undefined : 'the replacement has not been shipped';
    case 'REPAIR':
      return r.repairCompleted ? undefined : 'the repair has not been completed';
    case 'COMPENSATION':
      return r.compensated ? undefined : 'no compensation has been granted';
    case 'EXPLANATION':
      return undefined;
  }
}

export const RESOLUTION_DECIDERS: DeciderTable<ResolutionAction> = {
  'propose-resolution': (command, state, _ctx, emit) => {
    const { kind, amount, currency, note } = command.payload;
    if (kind === 'PARTIAL_REFUND' && amount === undefined) {
      throw new BusinessRuleError('AMOUNT_REQUIRED', 'a partial refund must name its amount');
    }
    checkCurrency(state, currency);
    const worth = itemsValue(state);
    if ((kind === 'REFUND' || kind === 'PARTIAL_REFUND') && amount !== undefined && worth > 0) {
      if (state.refundedTotal + amount > worth + MONEY_EPSILON) {
        throw new BusinessRuleError('REFUND_EXCEEDS_ITEMS_VALUE', `a refund of ${amount} is more than the items' remaining worth`);
      }
    }
    return [emit('ResolutionProposed', { kind, amount, currency: currency ?? state.currency, note })];
  },
  'accept-resolution': (command, state, _ctx, emit) => [emit('ResolutionAccepted', { kind: state.resolution!.kind, note: command.payload.note })],
  'reject-resolution': (command, state, _ctx, emit) => [emit('ResolutionRejected', { kind: state.resolution!.kind, note: command.payload.note })],
  'authorize-return': (command, state, _ctx, emit, now) => {
    const rmaNumber = command.payload.rmaNumber ?? `RMA-${state.caseId.slice(0, 8).toUpperCase()}-${state.revision + 1}`;
    if (command.payload.returnBy && Date.parse(command.payload.returnBy) < Date.parse(now)) {
      throw new BusinessRuleError('RETURN_BY_IN_PAST', 'returnBy must not lie in the past');
    }
    return [emit('ReturnAuthorized', { rmaNumber, returnBy: command.payload.returnBy })];
  },
  'return-shipped': (command, state, _ctx, emit) => [emit('ReturnShipped', { rmaNumber: state.returnFlow!.rmaNumber, ...command.payload })],
  'return-received': (command, state, _ctx, emit, now) => {
    const rmaNumber = state.returnFlow!.rmaNumber;
    return [emit('ReturnReceived', { rmaNumber, receivedAt: now }), emit('ReturnInspected', { rmaNumber, condition: command.payload.condition })];
  },
  'issue-refund': (command, state, _ctx, emit) => {
    const { amount, currency } = command.payload;
    checkRefund(state, amount, currency);
    return [emit('RefundIssued', { amount, currency, refundedTotal: roundMoney(state.refundedTotal + amount) })];
  },
  'ship-replacement': (command, _state, _ctx, emit) => [emit('ReplacementShipped', { ...command.payload })],
  'complete-repair': (command, _state, _ctx, emit) => [emit('RepairCompleted', { note: command.payload.note })],
  'grant-compensation': (command, state, _ctx, emit) => {
    const { points, couponAmount, currency } = command.payload;
    if (!points && !couponAmount) {
      throw new BusinessRuleError('COMPENSATION_EMPTY', 'a compensation grants points, a coupon amount, or both');
    }
    if (couponAmount && !currency) throw new BusinessRuleError('CURRENCY_REQUIRED', 'a coupon amount needs a currency');
    checkCurrency(state, currency);
    return [emit('CompensationGranted', { points, couponAmount, currency })];
  },
};
