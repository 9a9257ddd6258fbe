/** Follow-up visits (回访): scheduled with each closure, recorded once by an agent, and a recurred issue reopens the case once. */
import type { CaseCommand } from '../src';
import { DEFAULT_SLA_POLICY, FOLLOW_UP_ACTOR, ISSUE_RECURRED_REASON, IllegalTransitionError, allowedActions, decide } from '../src';
import { CASE_ID, Story, act, agent, customer, open, storiesTo } from './case-test-kit';

const reopenAfter = (sequence: number): CaseCommand => ({ type: 'reopen-after-follow-up', caseId: CASE_ID, actor: FOLLOW_UP_ACTOR, payload: { sequence } });

describe('Follow-up visits', () => {
  it('given a closure, the follow-up falls due FOLLOW_UP_DAYS later, per case type when configured', () => {
    const story = storiesTo.RESOLVED().after(60);
    const decided = decide(act('close', {}), story.state, {
      clock: story.clock,
      slaPolicy: DEFAULT_SLA_POLICY,
      followUpPolicy: { defaultDays: 3, byType: { RETURN: 7, WARRANTY: 14 } },
    });
    expect(decided.map(({ type, data, actor }) => ({ type, data, actor }))).toEqual([
      { type: 'CaseClosed', actor: agent, data: { note: undefined, reasonCode: 'RESOLVED' } },
      { type: 'FollowUpScheduled', actor: FOLLOW_UP_ACTOR, data: { sequence: 1, dueAt: '2026-03-09T10:00:00.000Z', followUpDays: 7 } },
    ]);
  });

  it('a rejected case that is closed gets its follow-up too', () => {
    const story = storiesTo.REJECTED().run(act('close', {}));
    expect(story.state.followUps).toEqual([{ sequence: 1, scheduledAt: '2026-03-02T09:00:00.000Z', dueAt: '2026-03-05T09:00:00.000Z', followUpDays: 3 }]);
  });

  it('given a closed case, when an agent records the follow-up, then FollowUpRecorded on the scheduled follow-up', () => {
    const story = storiesTo.CLOSED().after(3 * 24 * 60);
    expect(story.when(act('record-follow-up', { outcome: 'REACHED_SATISFIED', note: 'Happy with the refund' }))).toEqual([
      { type: 'FollowUpRecorded', actor: agent, data: { sequence: 1, outcome: 'REACHED_SATISFIED', note: 'Happy with the refund' } },
    ]);
    story.run(act('record-follow-up', { outcome: 'REACHED_SATISFIED' }));
    expect(story.state.followUps).toEqual([
      expect.objectContaining({ sequence: 1, dueAt: '2026-03-05T09:00:00.000Z', outcome: 'REACHED_SATISFIED', recordedAt: '2026-03-05T09:00:00.000Z' }),
    ]);
    expect(story.state.status).toBe('CLOSED');
  });

  it('a follow-up is recorded once: a second record is refused with the allowed actions', () => {
    const story = storiesTo.CLOSED().run(act('record-follow-up', { outcome: 'UNREACHABLE' }));
    expect(allowedActions(story.state)).toEqual(['record-satisfaction']);
    expect(() => story.decide(act('record-follow-up', { outcome: 'REACHED_SATISFIED' }))).toThrow(
      expect.objectContaining({ code: 'ILLEGAL_TRANSITION', status: 'CLOSED', allowedActions: ['record-satisfaction'] }),
    );
  });

  it.each(['OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED', 'WITHDRAWN', 'REOPENED'] as const)(
    'given a case %s, when record-follow-up, then it is refused: only closed cases get follow-ups',
    (status) => {
      const story = storiesTo[status]();
      expect(() => story.decide(act('record-follow-up', { outcome: 'REACHED_SATISFIED' }))).toThrow(IllegalTransitionError);
    },
  );

  it('ISSUE_RECURRED leaves the case closed until the process manager reopens it, by the system actor, with a fresh resolution clock', () => {
    const story = storiesTo
      .CLOSED()
      .after(60)
      .run(act('record-follow-up', { outcome: 'ISSUE_RECURRED', note: 'Leaking again' }));
    expect(story.state.status).toBe('CLOSED');
    expect(story.when(reopenAfter(1))).toEqual([
      { type: 'CaseReopened', actor: FOLLOW_UP_ACTOR, data: { reason: ISSUE_RECURRED_REASON, resolutionDueAt: '2026-03-05T10:00:00.000Z' } },
    ]);
    story.run(reopenAfter(1));
    expect(story.state).toMatchObject({ status: 'REOPENED', reopenCount: 1, closedAt: undefined, resolvedAt: undefined });
  });

  it('the reopening happens once: repeated, it decides nothing', () => {
    const story = storiesTo.CLOSED().run(act('record-follow-up', { outcome: 'ISSUE_RECURRED' }), reopenAfter(1));
    expect(story.when(reopenAfter(1))).toEqual([]);
  });

  it('only ISSUE_RECURRED reopens, and only on the follow-up that found it', () => {
    for (const outcome of ['REACHED_SATISFIED', 'REACHED_UNSATISFIED', 'UNREACHABLE'] as const) {
      expect(storiesTo.CLOSED().run(act('record-follow-up', { outcome })).when(reopenAfter(1))).toEqual([]);
    }
    expect(storiesTo.CLOSED().when(reopenAfter(1))).toEqual([]);
    expect(
      storiesTo
        .CLOSED()
        .run(act('record-follow-up', { outcome: 'ISSUE_RECURRED' }))
        .when(reopenAfter(2)),
    ).toEqual([]);
    expect(new Story().when(reopenAfter(1))).toEqual([]);
  });

  it('a reopened case that closes again gets a second follow-up, which can be recorded', () => {
    const story = storiesTo
      .CLOSED()
      .run(act('record-follow-up', { outcome: 'ISSUE_RECURRED' }), reopenAfter(1))
      .run(act('propose-resolution', { kind: 'EXPLANATION' }), act('accept-resolution', {}, customer), act('resolve', { summary: 'Fixed' }))
      .run(act('close', {}));
    expect(story.state.followUps?.map((f) => [f.sequence, f.outcome])).toEqual([
      [1, 'ISSUE_RECURRED'],
      [2, undefined],
    ]);
    expect(story.when(act('record-follow-up', { outcome: 'REACHED_SATISFIED' }))[0].data).toEqual({ sequence: 2, outcome: 'REACHED_SATISFIED' });
    expect(story.when(reopenAfter(1))).toEqual([]);
  });

  it('a case closed before follow-ups were scheduled can still have its follow-up recorded', () => {
    const story = storiesTo.RESOLVED();
    const closedOnly = story.decide(act('close', {})).filter((e) => e.type === 'CaseClosed');
    story.events.push(...closedOnly);
    expect(story.when(act('record-follow-up', { outcome: 'UNREACHABLE' }))[0].data).toEqual({ sequence: 1, outcome: 'UNREACHABLE' });
  });

  it('opening is untouched by follow-ups', () => {
    expect(new Story().run(open()).state.followUps).toBeUndefined();
  });
});
