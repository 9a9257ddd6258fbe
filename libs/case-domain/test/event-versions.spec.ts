/**
 * Event schema evolution (spec section 8): a CaseOpened written at v1 by an earlier release is upcast on read to
 * v2 and folds into the same case as the v2 event the current release writes; the stored form is never touched;
 * a version from a later release is refused, not guessed at.
 */
import type { CaseEvent } from '../src';
import { CASE_EVENT_TYPES, UnknownEventVersionError, currentEventVersion, foldCase, upcastEventData, upcasterChain } from '../src';
import { CASE_ID, Story, act, open } from './case-test-kit';

/** The v1 form of a v2 CaseOpened's data, as releases before the tier was grouped wrote it. */
function asV1(data: Record<string, unknown>, keepSource = true): Record<string, unknown> {
  const { tier, ...rest } = data as { tier: { level: string; source?: string } };
  return { ...rest, customerTier: tier.level, ...(keepSource && tier.source ? { tierSource: tier.source } : {}) };
}

describe('Event versions and upcasters', () => {
  it('writes CaseOpened at v2 and every other type at v1', () => {
    expect(currentEventVersion('CaseOpened')).toBe(2);
    expect(currentEventVersion('CaseAcknowledged')).toBe(1);
    expect(currentEventVersion('SomethingNew')).toBe(1);
  });

  it('has one upcaster per step from v1 to the current version of every event type', () => {
    expect(upcasterChain('CaseOpened')).toEqual([1]);
    for (const type of CASE_EVENT_TYPES) {
      expect(upcasterChain(type)).toEqual(Array.from({ length: currentEventVersion(type) - 1 }, (_, i) => i + 1));
    }
  });

  it('given a v1 CaseOpened, when it is read, then its tier and tier source become one v2 tier object', () => {
    const v1 = { caseId: 'c-1', customerTier: 'GOLD', tierSource: 'loyalty', priority: 'HIGH' };
    expect(upcastEventData('CaseOpened', 1, v1)).toEqual({ caseId: 'c-1', priority: 'HIGH', tier: { level: 'GOLD', source: 'loyalty' } });
  });

  it('given a v1 CaseOpened from before the tier source was recorded, then the source stays absent (not guessed)', () => {
    expect(upcastEventData('CaseOpened', 1, { customerTier: 'SILVER' })).toEqual({ tier: { level: 'SILVER' } });
  });

  it('leaves the stored data untouched (the hash chain covers it) and returns current data as it is', () => {
    const v1 = Object.freeze({ customerTier: 'GOLD', tierSource: 'given' });
    const copy = JSON.stringify(v1);
    upcastEventData('CaseOpened', 1, v1);
    expect(JSON.stringify(v1)).toBe(copy);
    const v2 = { tier: { level: 'GOLD' } };
    expect(upcastEventData('CaseOpened', 2, v2)).toBe(v2);
  });

  it.each([[3], [0], [1.5], [Number.NaN]])('refuses CaseOpened version %p as unknown', (version) => {
    expect(() => upcastEventData('CaseOpened', version, {})).toThrow(UnknownEventVersionError);
  });

  it('passes malformed data through for the readers to refuse', () => {
    expect(upcastEventData('CaseOpened', 1, null)).toBeNull();
    expect(upcastEventData('CaseOpened', 1, [1])).toEqual([1]);
  });

  it('given a stream whose CaseOpened is v1, then it folds into the same case as the v2 stream', () => {
    const story = new Story().run(open({ customerTier: 'PLATINUM' }), act('acknowledge', {}), act('assign', { agentId: 'agent-7' }));
    const [opened, ...rest] = story.events;
    const v1Opened = { ...opened, data: upcastEventData('CaseOpened', 1, asV1({ ...opened.data })) } as CaseEvent;
    expect(foldCase(CASE_ID, [v1Opened, ...rest])).toEqual(story.state);
    expect(story.state).toMatchObject({ customerTier: 'PLATINUM', tierSource: 'given', status: 'IN_PROGRESS' });
  });
});
