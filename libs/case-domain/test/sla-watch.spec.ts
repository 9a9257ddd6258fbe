import type { Actor, CaseCommand, SlaClockName } from '../src';
import { CASE_ID, act, customer, storiesTo } from './case-test-kit';

const slaWatch: Actor = { type: 'system', id: 'sla-watch' };
const watch = (type: 'record-sla-warning' | 'record-sla-breach', clock: SlaClockName): CaseCommand => ({
  type,
  caseId: CASE_ID,
  actor: slaWatch,
  payload: { clock },
});

describe('SLA watch: warnings and breaches recorded once, escalating on breach', () => {
  // NORMAL priority, STANDARD tier: first response due 24 h after 09:00, resolution 72 h.
  it('warns about the first response once 75 % of its target has passed, and only once', () => {
    const story = storiesTo.OPEN().after(17 * 60);
    expect(story.when(watch('record-sla-warning', 'FIRST_RESPONSE'))).toEqual([]);
    story.after(60);
    expect(story.when(watch('record-sla-warning', 'FIRST_RESPONSE'))).toEqual([
      { type: 'SlaWarningIssued', actor: slaWatch, data: { clock: 'FIRST_RESPONSE', dueAt: '2026-03-03T09:00:00.000Z' } },
    ]);
    story.run(watch('record-sla-warning', 'FIRST_RESPONSE'));
    expect(story.when(watch('record-sla-warning', 'FIRST_RESPONSE'))).toEqual([]);
  });

  it('records a first-response breach after the due time and escalates to L1, once', () => {
    const story = storiesTo.OPEN().after(24 * 60);
    expect(story.when(watch('record-sla-breach', 'FIRST_RESPONSE'))).toEqual([]);
    story.after(1);
    expect(story.when(watch('record-sla-breach', 'FIRST_RESPONSE'))).toEqual([
      { type: 'SlaBreached', actor: slaWatch, data: { clock: 'FIRST_RESPONSE', dueAt: '2026-03-03T09:00:00.000Z' } },
      {
        type: 'CaseEscalated',
        actor: { type: 'system', id: 'escalation-policy' },
        data: { level: 'L1', previousLevel: 'L0', reason: 'FIRST_RESPONSE_BREACH', automatic: true },
      },
    ]);
    story.run(watch('record-sla-breach', 'FIRST_RESPONSE'));
    expect(story.state.escalationLevel).toBe('L1');
    expect(story.when(watch('record-sla-breach', 'FIRST_RESPONSE'))).toEqual([]);
    expect(story.when(watch('record-sla-warning', 'FIRST_RESPONSE'))).toEqual([]);
  });

  it('records a resolution breach and escalates to L2', () => {
    const story = storiesTo.IN_PROGRESS().after(72 * 60 + 1);
    expect(story.when(watch('record-sla-breach', 'RESOLUTION')).map((e) => [e.type, (e.data as { level?: string }).level])).toEqual([
      ['SlaBreached', undefined],
      ['CaseEscalated', 'L2'],
    ]);
  });

  it('a breach on a case already escalated higher is recorded without a new escalation', () => {
    const story = storiesTo
      .IN_PROGRESS()
      .run(act('escalate', { level: 'L3', reason: 'press' }))
      .after(72 * 60 + 1);
    expect(story.when(watch('record-sla-breach', 'RESOLUTION')).map((e) => e.type)).toEqual(['SlaBreached']);
  });

  it('nothing is recorded for a met clock, a paused clock or an ended case', () => {
    const answered = storiesTo.ACKNOWLEDGED().after(48 * 60);
    expect(answered.when(watch('record-sla-breach', 'FIRST_RESPONSE'))).toEqual([]);
    const paused = storiesTo.AWAITING_CUSTOMER().after(100 * 60);
    expect(paused.when(watch('record-sla-breach', 'RESOLUTION'))).toEqual([]);
    const resolved = storiesTo.RESOLVED().after(100 * 60);
    expect(resolved.when(watch('record-sla-breach', 'RESOLUTION'))).toEqual([]);
  });

  it('after a pause the resolution due time moves, and so does the breach', () => {
    const story = storiesTo
      .AWAITING_CUSTOMER()
      .after(10 * 60)
      .run(act('customer-message', { message: 'here' }, customer));
    story.after(62 * 60 + 1); // 72 h 1 min after opening, but 10 h were paused
    expect(story.when(watch('record-sla-breach', 'RESOLUTION'))).toEqual([]);
    story.after(10 * 60);
    expect(story.when(watch('record-sla-breach', 'RESOLUTION'))[0].type).toBe('SlaBreached');
  });

  it('reopening gives the resolution clock a fresh due time that can breach again', () => {
    const story = storiesTo
      .IN_PROGRESS()
      .after(72 * 60 + 1)
      .run(watch('record-sla-breach', 'RESOLUTION'));
    story.run(act('propose-resolution', { kind: 'EXPLANATION' }), act('accept-resolution', {}, customer), act('resolve', { summary: 'ok' }));
    story.run(act('reopen', { reason: 'again' })).after(72 * 60 + 1);
    expect(story.when(watch('record-sla-breach', 'RESOLUTION'))[0]).toMatchObject({ type: 'SlaBreached' });
  });
});
