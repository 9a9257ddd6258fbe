/** decide for how a case ends and what follows: resolution, rejection, reopening, satisfaction, closure, withdrawal, follow-ups. */
import { BusinessRuleError } from './domain-errors';
import type { DeciderTable } from './decide-table';
import { autoEscalation } from './decide-table';
import { recordFollowUp, scheduleFollowUp } from './decide-follow-up';
import { unfulfilled } from './decide-resolution';
import { slaTimeIn } from './sla-time';

type OutcomeAction = 'resolve' | 'reject' | 'reopen' | 'record-satisfaction' | 'close' | 'withdraw' | 'record-follow-up';

export const OUTCOME_DECIDERS: DeciderTable<OutcomeAction> = {
  resolve: (command, state, _ctx, emit) => {
    const missing = unfulfilled(state);
    if (missing) throw new BusinessRuleError('RESOLUTION_NOT_FULFILLED', `the accepted resolution is not carried out: ${missing}`);
    return [emit('CaseResolved', { summary: command.payload.summary, resolutionKind: state.resolution!.kind })];
  },
  reject: (command, _state, _ctx, emit) => [emit('CaseRejected', { ...command.payload })],
  reopen: (command, state, _ctx, emit, now) => [
    emit('CaseReopened', {
      reason: command.payload.reason,
      resolutionDueAt: slaTimeIn(state.sla.calendar).add(now, state.sla.resolutionTargetMinutes * 60_000),
    }),
  ],
  'record-satisfaction': (command, state, _ctx, emit) => {
    const recorded = emit('SatisfactionRecorded', { ...command.payload });
    const low = command.payload.score <= 2;
    return [recorded, ...(low ? autoEscalation(emit, state.escalationLevel, 'L1', 'LOW_SATISFACTION', true) : [])];
  },
  close: (command, state, ctx, emit, now) => [
    emit('CaseClosed', {
      note: command.payload.note,
      reasonCode: command.payload.reasonCode ?? (state.status === 'REJECTED' ? 'REJECTED' : 'RESOLVED'),
    }),
    scheduleFollowUp(state, ctx.followUpPolicy, now),
  ],
  withdraw: (command, _state, _ctx, emit) => [emit('CaseWithdrawn', { reason: command.payload.reason })],
  'record-follow-up': (command, state, _ctx, _emit, now) => [recordFollowUp(command, state, now)],
};
