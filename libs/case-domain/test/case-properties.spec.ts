/**
 * Properties of the case aggregate over random histories (fast-check): whatever commands arrive, in whatever
 * order and with whatever payloads, the aggregate answers with events or a domain error, never anything else;
 * it only ever does what allowedActions says; a history folds to the same state however it is replayed; and
 * the SLA watch's observations are recorded at most once.
 */
import fc from 'fast-check';
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  CASE_TYPES,
  CHANNELS,
  CUSTOMER_ACTIONS,
  CUSTOMER_TIERS,
  CaseDomainError,
  DEFAULT_SLA_POLICY,
  ESCALATION_LEVELS,
  IllegalTransitionError,
  ManualClock,
  PRIORITIES,
  RESOLUTION_KINDS,
  FOLLOW_UP_OUTCOMES,
  RETURN_CONDITIONS,
  allowedActions,
  decide,
  evolve,
  foldCase,
  initialCaseState,
} from '../src';
import type { Actor, CaseCommand, CaseEvent, CaseState } from '../src';
import { CASE_ID, agent, customer, openPayload } from './case-test-kit';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const system: Actor = { type: 'system', id: 'sla-watch' };
const text = fc.string({ minLength: 1, maxLength: 12 });
const money = fc.integer({ min: -5, max: 150 });
const currency = fc.constantFrom('EUR', 'EUR', 'EUR', 'CNY');

/** A payload for each action: mostly valid, sometimes not (negative amounts, odd currencies, bad scores). */
const payloadFor: Record<string, fc.Arbitrary<unknown>> = {
  acknowledge: fc.record({ note: fc.option(text, { nil: undefined }) }),
  assign: fc.record({ agentId: fc.constantFrom('agent-1', 'agent-2'), team: fc.constantFrom('returns', 'repairs') }),
  reply: fc.record({ message: text }),
  'request-info': fc.record({ message: text }),
  'customer-message': fc.record({ message: text }),
  escalate: fc.record({ level: fc.constantFrom('L1', 'L2', 'L3'), reason: text }),
  'propose-resolution': fc.record({ kind: fc.constantFrom(...RESOLUTION_KINDS), amount: fc.option(money, { nil: undefined }), currency }),
  'accept-resolution': fc.record({}),
  'reject-resolution': fc.record({ note: fc.option(text, { nil: undefined }) }),
  'authorize-return': fc.record({ rmaNumber: fc.option(text, { nil: undefined }) }),
  'return-shipped': fc.record({ carrier: text, trackingNumber: text }),
  'return-received': fc.record({ condition: fc.constantFrom(...RETURN_CONDITIONS) }),
  'issue-refund': fc.record({ amount: fc.oneof(fc.constant(100), money), currency }), // 100: the opened items' worth
  'ship-replacement': fc.record({ carrier: text, trackingNumber: text }),
  'complete-repair': fc.record({}),
  'grant-compensation': fc.record({
    points: fc.option(fc.integer({ min: -10, max: 500 }), { nil: undefined }),
    couponAmount: fc.option(money, { nil: undefined }),
    currency: fc.constant('EUR'),
  }),
  resolve: fc.record({ summary: text }),
  reject: fc.record({ reasonCode: fc.constantFrom('OUT_OF_WARRANTY', 'NO_DEFECT'), legalBasis: fc.option(text, { nil: undefined }) }),
  reopen: fc.record({ reason: text }),
  'record-satisfaction': fc.record({ score: fc.integer({ min: 0, max: 6 }), nps: fc.option(fc.integer({ min: -1, max: 11 }), { nil: undefined }) }),
  close: fc.record({ note: fc.option(text, { nil: undefined }) }),
  withdraw: fc.record({ reason: text }),
  'record-follow-up': fc.record({ outcome: fc.constantFrom(...FOLLOW_UP_OUTCOMES), note: fc.option(text, { nil: undefined }) }),
  'reopen-after-follow-up': fc.record({ sequence: fc.integer({ min: 0, max: 3 }) }),
  'record-sla-warning': fc.record({ clock: fc.constantFrom('FIRST_RESPONSE', 'RESOLUTION') }),
  'record-sla-breach': fc.record({ clock: fc.constantFrom('FIRST_RESPONSE', 'RESOLUTION') }),
};

/**
 * One step of a history. Most steps are steered: they take one of the actions allowedActions offers (by the
 * right actor, with a generated payload), so histories reach every status; the rest send any command at all.
 */
interface Step {
  command: CaseCommand;
  /** any: one of the allowed actions; forward: one that moves towards the end; furthest: the one that moves furthest. */
  steer?: { pick: number; mode: 'any' | 'forward' | 'furthest'; payloads: Record<string, unknown> };
  /** Minutes that pass before the command arrives. */
  minutesBefore: number;
}

const commandArb: fc.Arbitrary<CaseCommand> = fc
  .constantFrom(...Object.keys(payloadFor))
  .chain((type) =>
    fc
      .tuple(payloadFor[type], fc.constantFrom(agent, customer, system))
      .map(([payload, actor]) => ({ type, caseId: CASE_ID, actor: type.startsWith('record-sla') ? system : actor, payload }) as CaseCommand),
  );

const openArb: fc.Arbitrary<CaseCommand> = fc
  .record({
    type: fc.constantFrom(...CASE_TYPES),
    channel: fc.constantFrom(...CHANNELS),
    priority: fc.constantFrom(...PRIORITIES),
    customerTier: fc.constantFrom(...CUSTOMER_TIERS),
    reason: fc.constantFrom('Wrong size', 'Broken on arrival', 'I will complain to the consumer association'),
  })
  .map((over) => ({ type: 'open', caseId: CASE_ID, actor: { type: 'service', id: 'web-shop' }, payload: openPayload(over) }));

/** The actions that move a case towards its end; steered steps mostly pick among these. */
const FORWARD = [
  'acknowledge',
  'assign',
  'propose-resolution',
  'accept-resolution',
  'issue-refund',
  'ship-replacement',
  'complete-repair',
  'grant-compensation',
  'resolve',
  'close',
];
const steerArb = fc.option(fc.record({ pick: fc.noBias(fc.nat()), mode: fc.constantFrom('any', 'forward', 'furthest'), payloads: fc.record(payloadFor) }), {
  freq: 5,
  nil: undefined,
});
const stepArb: fc.Arbitrary<Step> = fc.record({ command: commandArb, steer: steerArb, minutesBefore: fc.nat({ max: 2_000 }) });
const historyArb = fc.tuple(openArb, fc.array(stepArb, { minLength: 8, maxLength: 40 }));

function commandOf(step: Step, state: CaseState): CaseCommand {
  const allowed = state.exists ? allowedActions(state) : [];
  const forward = allowed.filter((a) => FORWARD.includes(a)).sort((a, b) => FORWARD.indexOf(a) - FORWARD.indexOf(b));
  if (!step.steer || allowed.length === 0) return step.command;
  const { mode, pick } = step.steer;
  const choices = mode !== 'any' && forward.length > 0 ? (mode === 'furthest' ? forward.slice(-1) : forward) : allowed;
  const type = choices[pick % choices.length];
  const actor = CUSTOMER_ACTIONS.includes(type) ? customer : agent;
  return { type, caseId: CASE_ID, actor, payload: step.steer.payloads[type] } as CaseCommand;
}

interface Outcome {
  events: CaseEvent[];
  states: CaseState[];
}

/** Runs the commands; checks on the way that every answer is events or a domain error that says why. */
function run(open: CaseCommand, steps: Step[]): Outcome {
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const ctx = { clock, slaPolicy: DEFAULT_SLA_POLICY };
  let state = initialCaseState(CASE_ID);
  const events: CaseEvent[] = [];
  const states: CaseState[] = [];
  for (const step of [{ command: open, minutesBefore: 0 }, ...steps]) {
    clock.advanceMinutes(step.minutesBefore);
    const allowedBefore = state.exists ? allowedActions(state) : [];
    const command = commandOf(step, state);
    let decided: CaseEvent[];
    try {
      decided = decide(command, state, ctx);
    } catch (error) {
      expect(error).toBeInstanceOf(CaseDomainError); // never a TypeError, never an untyped failure
      expect((error as CaseDomainError).code).toMatch(/^[A-Z_]+$/);
      if (error instanceof IllegalTransitionError) expect(error.allowedActions).toEqual(allowedBefore);
      continue;
    }
    const action = command.type;
    if ((CASE_ACTIONS as readonly string[]).includes(action) && decided.length > 0) expect(allowedBefore).toContain(action);
    for (const event of decided) {
      expect(event.occurredAt).toBe(clock.now().toISOString());
      state = evolve(state, event);
      events.push(event);
    }
    states.push(state);
  }
  return { events, states };
}

describe('Case aggregate properties (random histories)', () => {
  it('the steered histories reach every status (else the properties below would prove little)', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(historyArb, ([open, steps]) => run(open, steps).states.forEach((s) => reached.add(s.status))),
      { numRuns: RUNS },
    );
    expect([...reached].sort()).toEqual([...CASE_STATUSES].sort());
  });

  it('answers any command with events or a domain error, and acts only when allowedActions says it may', () => {
    fc.assert(
      fc.property(historyArb, ([open, steps]) => void run(open, steps)),
      { numRuns: RUNS },
    );
  });

  it('a history folds to the same state however it is replayed, and the revision counts its events', () => {
    fc.assert(
      fc.property(historyArb, ([open, steps]) => {
        const { events, states } = run(open, steps);
        const last = states[states.length - 1];
        expect(foldCase(CASE_ID, events)).toEqual(last);
        expect(foldCase(CASE_ID, events)).toEqual(foldCase(CASE_ID, [...events])); // deterministic
        expect(last.revision).toBe(events.length - 1);
        for (const s of states) {
          expect(CASE_STATUSES).toContain(s.status);
          expect(ESCALATION_LEVELS).toContain(s.escalationLevel);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the escalation level never goes down', () => {
    fc.assert(
      fc.property(historyArb, ([open, steps]) => {
        const levels = run(open, steps).states.map((s) => ESCALATION_LEVELS.indexOf(s.escalationLevel));
        levels.forEach((level, i) => expect(level).toBeGreaterThanOrEqual(levels[Math.max(0, i - 1)]));
      }),
      { numRuns: RUNS },
    );
  });

  it('an SLA observation sent twice at the same moment is recorded at most once', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.constantFrom('record-sla-warning', 'record-sla-breach'),
        fc.constantFrom('FIRST_RESPONSE', 'RESOLUTION'),
        fc.nat({ max: 5_000 }),
        ([open, steps], type, slaClock, later) => {
          const { events } = run(open, steps);
          const clock = new ManualClock('2026-03-02T09:00:00.000Z');
          clock.advanceMinutes(steps.reduce((n, s) => n + s.minutesBefore, 0) + later);
          const ctx = { clock, slaPolicy: DEFAULT_SLA_POLICY };
          const observation = { type, caseId: CASE_ID, actor: system, payload: { clock: slaClock } } as CaseCommand;
          const answer = (state: CaseState) => {
            try {
              return decide(observation, state, ctx);
            } catch (error) {
              expect(error).toBeInstanceOf(CaseDomainError);
              return [];
            }
          };
          const first = answer(foldCase(CASE_ID, events));
          const second = answer(foldCase(CASE_ID, [...events, ...first]));
          expect(second.filter((e) => e.type === 'SlaWarningIssued' || e.type === 'SlaBreached')).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
