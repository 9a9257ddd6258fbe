import { FOLLOW_UP_ACTOR } from '../src';
import { CASE_ID, Story, act, agent, customer, open, storiesTo } from './case-test-kit';

describe('Opening a case', () => {
  it('given no history, when a service opens a case, then CaseOpened records the SLA terms of the policy', () => {
    const events = new Story().when(open({ priority: 'HIGH' }));
    expect(events).toEqual([
      {
        type: 'CaseOpened',
        actor: { type: 'service', id: 'web-shop' },
        data: expect.objectContaining({
          caseId: CASE_ID,
          caseType: 'RETURN',
          priority: 'HIGH',
          tier: { level: 'STANDARD', source: 'default' },
          items: [{ sku: 'SHOE-42', quantity: 2, amount: 50 }],
          sla: {
            policyId: 'default',
            policyVersion: 1,
            firstResponseTargetMinutes: 240,
            resolutionTargetMinutes: 2880,
            firstResponseDueAt: '2026-03-02T13:00:00.000Z',
            resolutionDueAt: '2026-03-04T09:00:00.000Z',
          },
        }),
      },
    ]);
  });

  it('defaults the priority to NORMAL and the tier to STANDARD', () => {
    const [opened] = new Story().when(open({ priority: undefined }));
    expect(opened.data).toMatchObject({ priority: 'NORMAL', tier: { level: 'STANDARD', source: 'default' } });
  });

  it('folds into an OPEN case', () => {
    const state = storiesTo.OPEN().state;
    expect(state).toMatchObject({ exists: true, status: 'OPEN', revision: 0, escalationLevel: 'L0' });
  });
});

describe('Working a case', () => {
  it('acknowledge takes an OPEN case to ACKNOWLEDGED and counts as the first response', () => {
    const story = storiesTo.OPEN().after(30);
    expect(story.when(act('acknowledge', { note: 'Seen' }))).toEqual([{ type: 'CaseAcknowledged', actor: agent, data: { note: 'Seen' } }]);
    story.run(act('acknowledge', {}));
    expect(story.state.status).toBe('ACKNOWLEDGED');
    expect(story.state.sla.firstRespondedAt).toBe('2026-03-02T09:30:00.000Z');
  });

  it('assign takes an acknowledged case into IN_PROGRESS', () => {
    const story = storiesTo.ACKNOWLEDGED();
    expect(story.when(act('assign', { agentId: 'agent-9', team: 'returns' }))).toEqual([
      { type: 'CaseAssigned', actor: agent, data: { agentId: 'agent-9', team: 'returns' } },
    ]);
    story.run(act('assign', { agentId: 'agent-9', team: 'returns' }));
    expect(story.state).toMatchObject({ status: 'IN_PROGRESS', assignee: { agentId: 'agent-9', team: 'returns' } });
  });

  it('reply takes an acknowledged case into IN_PROGRESS', () => {
    const story = storiesTo.ACKNOWLEDGED().run(act('reply', { message: 'We are looking into it' }));
    expect(story.state.status).toBe('IN_PROGRESS');
    expect(story.state.messages.agent).toBe(1);
  });

  it('assign on a case in progress reassigns it without changing its status', () => {
    const story = storiesTo.IN_PROGRESS().run(act('assign', { agentId: 'agent-2' }));
    expect(story.state).toMatchObject({ status: 'IN_PROGRESS', assignee: { agentId: 'agent-2' } });
  });

  it('request-info moves to AWAITING_CUSTOMER and pauses the SLA clock', () => {
    const story = storiesTo.IN_PROGRESS().after(60);
    expect(story.when(act('request-info', { message: 'Photo please' }))).toEqual([
      { type: 'InfoRequested', actor: agent, data: { message: 'Photo please' } },
      { type: 'SlaClockPaused', actor: agent, data: { pausedAt: '2026-03-02T10:00:00.000Z' } },
    ]);
  });

  it('the customer answering resumes the clock and moves the resolution due time by the pause', () => {
    const story = storiesTo.AWAITING_CUSTOMER().after(180);
    const before = story.state.sla.resolutionDueAt;
    expect(story.when(act('customer-message', { message: 'Here is the photo' }, customer))).toEqual([
      { type: 'CustomerMessageReceived', actor: customer, data: { message: 'Here is the photo' } },
      {
        type: 'SlaClockResumed',
        actor: customer,
        data: { resumedAt: '2026-03-02T12:00:00.000Z', pausedMs: 180 * 60_000, resolutionDueAt: '2026-03-05T12:00:00.000Z' },
      },
    ]);
    expect(before).toBe('2026-03-05T09:00:00.000Z');
    story.run(act('customer-message', { message: 'Here is the photo' }, customer));
    expect(story.state).toMatchObject({ status: 'IN_PROGRESS', sla: { pausedMsTotal: 180 * 60_000, pausedSince: undefined } });
  });

  it('a customer message outside AWAITING_CUSTOMER keeps the status', () => {
    const story = storiesTo.RESOLUTION_PROPOSED().run(act('customer-message', { message: 'Thinking about it' }, customer));
    expect(story.state.status).toBe('RESOLUTION_PROPOSED');
  });

  it('escalate raises the level and records the reason', () => {
    const story = storiesTo.IN_PROGRESS();
    expect(story.when(act('escalate', { level: 'L2', reason: 'Repeat defect' }))).toEqual([
      {
        type: 'CaseEscalated',
        actor: agent,
        data: { level: 'L2', previousLevel: 'L0', reason: 'MANUAL', note: 'Repeat defect', automatic: false },
      },
    ]);
    story.run(act('escalate', { level: 'L2', reason: 'Repeat defect' }));
    expect(story.state.escalationLevel).toBe('L2');
  });
});

describe('Resolutions', () => {
  it('propose-resolution moves to RESOLUTION_PROPOSED', () => {
    const story = storiesTo.IN_PROGRESS();
    expect(story.when(act('propose-resolution', { kind: 'PARTIAL_REFUND', amount: 30, currency: 'EUR', note: 'Scuffed' }))).toEqual([
      { type: 'ResolutionProposed', actor: agent, data: { kind: 'PARTIAL_REFUND', amount: 30, currency: 'EUR', note: 'Scuffed' } },
    ]);
  });

  it('accept-resolution from the customer returns the case to IN_PROGRESS with the resolution accepted', () => {
    const story = storiesTo.RESOLUTION_PROPOSED();
    expect(story.when(act('accept-resolution', { note: 'ok' }, customer))).toEqual([
      { type: 'ResolutionAccepted', actor: customer, data: { kind: 'REFUND', note: 'ok' } },
    ]);
    story.run(act('accept-resolution', {}, customer));
    expect(story.state).toMatchObject({ status: 'IN_PROGRESS', resolution: { kind: 'REFUND', status: 'ACCEPTED' } });
  });

  it('reject-resolution returns the case to IN_PROGRESS and a new proposal can follow', () => {
    const story = storiesTo.RESOLUTION_PROPOSED().run(act('reject-resolution', { note: 'want a replacement' }, customer));
    expect(story.state).toMatchObject({ status: 'IN_PROGRESS', resolution: { status: 'REJECTED' } });
    story.run(act('propose-resolution', { kind: 'REPLACEMENT' }));
    expect(story.state.status).toBe('RESOLUTION_PROPOSED');
  });

  it('a full refund is issued and then the case resolves', () => {
    const story = storiesTo.REFUND_ACCEPTED();
    expect(story.when(act('issue-refund', { amount: 100, currency: 'EUR' }))).toEqual([
      { type: 'RefundIssued', actor: agent, data: { amount: 100, currency: 'EUR', refundedTotal: 100 } },
    ]);
    story.run(act('issue-refund', { amount: 60, currency: 'EUR' }), act('issue-refund', { amount: 40, currency: 'EUR' }));
    expect(story.when(act('resolve', { summary: 'Refunded' }))).toEqual([
      { type: 'CaseResolved', actor: agent, data: { summary: 'Refunded', resolutionKind: 'REFUND' } },
    ]);
    story.run(act('resolve', { summary: 'Refunded' }));
    expect(story.state).toMatchObject({ status: 'RESOLVED', refundedTotal: 100, sla: { stoppedAt: story.state.resolvedAt } });
  });

  it('a replacement is shipped, then the case resolves', () => {
    const story = storiesTo.IN_PROGRESS().run(act('propose-resolution', { kind: 'REPLACEMENT' }), act('accept-resolution', {}, customer));
    expect(story.when(act('ship-replacement', { carrier: 'SF', trackingNumber: 'SF123' }))).toEqual([
      { type: 'ReplacementShipped', actor: agent, data: { carrier: 'SF', trackingNumber: 'SF123' } },
    ]);
    story.run(act('ship-replacement', { carrier: 'SF', trackingNumber: 'SF123' }), act('resolve', { summary: 'Swapped' }));
    expect(story.state.status).toBe('RESOLVED');
  });

  it('a repair is completed, then the case resolves', () => {
    const story = storiesTo.IN_PROGRESS().run(act('propose-resolution', { kind: 'REPAIR' }), act('accept-resolution', {}, customer));
    expect(story.when(act('complete-repair', { note: 'New hinge' }))).toEqual([{ type: 'RepairCompleted', actor: agent, data: { note: 'New hinge' } }]);
    story.run(act('complete-repair', {}), act('resolve', { summary: 'Repaired' }));
    expect(story.state.status).toBe('RESOLVED');
  });

  it('compensation is granted, then a COMPENSATION resolution resolves', () => {
    const story = storiesTo.IN_PROGRESS().run(act('propose-resolution', { kind: 'COMPENSATION' }), act('accept-resolution', {}, customer));
    expect(story.when(act('grant-compensation', { points: 500, couponAmount: 10, currency: 'EUR' }))).toEqual([
      { type: 'CompensationGranted', actor: agent, data: { points: 500, couponAmount: 10, currency: 'EUR' } },
    ]);
    story.run(act('grant-compensation', { points: 500 }), act('resolve', { summary: 'Goodwill' }));
    expect(story.state.status).toBe('RESOLVED');
  });

  it('an accepted EXPLANATION resolves straight away', () => {
    const story = storiesTo
      .IN_PROGRESS()
      .run(
        act('propose-resolution', { kind: 'EXPLANATION', note: 'Works as designed' }),
        act('accept-resolution', {}, customer),
        act('resolve', { summary: 'Explained' }),
      );
    expect(story.state.status).toBe('RESOLVED');
  });
});

describe('The return sub-flow', () => {
  it('authorise, ship, receive and inspect, then refund and resolve', () => {
    const story = storiesTo.REFUND_ACCEPTED();
    expect(story.when(act('authorize-return', { rmaNumber: 'RMA-1', returnBy: '2026-03-20T00:00:00.000Z' }))).toEqual([
      { type: 'ReturnAuthorized', actor: agent, data: { rmaNumber: 'RMA-1', returnBy: '2026-03-20T00:00:00.000Z' } },
    ]);
    story.run(act('authorize-return', { rmaNumber: 'RMA-1' }));
    expect(story.when(act('return-shipped', { carrier: 'DHL', trackingNumber: 'T1' }))).toEqual([
      { type: 'ReturnShipped', actor: agent, data: { rmaNumber: 'RMA-1', carrier: 'DHL', trackingNumber: 'T1' } },
    ]);
    story.run(act('return-shipped', { carrier: 'DHL', trackingNumber: 'T1' })).after(60 * 24);
    expect(story.when(act('return-received', { condition: 'DAMAGED' }))).toEqual([
      { type: 'ReturnReceived', actor: agent, data: { rmaNumber: 'RMA-1', receivedAt: '2026-03-03T09:00:00.000Z' } },
      { type: 'ReturnInspected', actor: agent, data: { rmaNumber: 'RMA-1', condition: 'DAMAGED' } },
    ]);
    story.run(act('return-received', { condition: 'DAMAGED' }));
    expect(story.state.returnFlow).toMatchObject({ status: 'INSPECTED', condition: 'DAMAGED' });
    story.run(act('issue-refund', { amount: 100, currency: 'EUR' }), act('resolve', { summary: 'Returned and refunded' }));
    expect(story.state.status).toBe('RESOLVED');
  });

  it('generates an RMA number when none is given', () => {
    const [authorized] = storiesTo.IN_PROGRESS().when(act('authorize-return', {}));
    expect(authorized.data).toEqual({ rmaNumber: 'RMA-6F9A1C2E-3', returnBy: undefined });
  });

  it('goods handed in without shipping can be received straight after authorisation', () => {
    const story = storiesTo.IN_PROGRESS().run(act('authorize-return', {}), act('return-received', { condition: 'INTACT' }));
    expect(story.state.returnFlow?.status).toBe('INSPECTED');
  });
});

describe('Endings', () => {
  it('reject names its reason code and stops the clock', () => {
    const story = storiesTo.IN_PROGRESS();
    expect(story.when(act('reject', { reasonCode: 'OUT_OF_WARRANTY', legalBasis: 'Warranty terms §4' }))).toEqual([
      { type: 'CaseRejected', actor: agent, data: { reasonCode: 'OUT_OF_WARRANTY', legalBasis: 'Warranty terms §4' } },
    ]);
    expect(storiesTo.REJECTED().state).toMatchObject({ status: 'REJECTED', rejection: { reasonCode: 'OUT_OF_WARRANTY' } });
  });

  it('reopen takes a resolved case back to work with a fresh resolution clock', () => {
    const story = storiesTo.RESOLVED().after(120);
    expect(story.when(act('reopen', { reason: 'Refund never arrived' }))).toEqual([
      { type: 'CaseReopened', actor: agent, data: { reason: 'Refund never arrived', resolutionDueAt: '2026-03-05T11:00:00.000Z' } },
    ]);
    story.run(act('reopen', { reason: 'Refund never arrived' }));
    expect(story.state).toMatchObject({ status: 'REOPENED', reopenCount: 1, resolution: undefined });
    story.run(act('reply', { message: 'Checking with the bank' }));
    expect(story.state.status).toBe('IN_PROGRESS');
  });

  it('a rejected case can be reopened on appeal', () => {
    expect(storiesTo.REJECTED().run(act('reopen', { reason: 'Appeal' })).state.status).toBe('REOPENED');
  });

  it('record-satisfaction on a resolved case records the score once', () => {
    const story = storiesTo.RESOLVED();
    expect(story.when(act('record-satisfaction', { score: 4, nps: 9, comment: 'Quick' }, customer))).toEqual([
      { type: 'SatisfactionRecorded', actor: customer, data: { score: 4, nps: 9, comment: 'Quick' } },
    ]);
  });

  it('satisfaction may still arrive after closure', () => {
    const story = storiesTo.CLOSED().run(act('record-satisfaction', { score: 5 }, customer));
    expect(story.state.satisfaction?.score).toBe(5);
  });

  it('close names a reason code derived from how the case ended, and schedules the follow-up', () => {
    expect(storiesTo.RESOLVED().when(act('close', { note: 'done' }))).toEqual([
      { type: 'CaseClosed', actor: agent, data: { note: 'done', reasonCode: 'RESOLVED' } },
      { type: 'FollowUpScheduled', actor: FOLLOW_UP_ACTOR, data: { sequence: 1, dueAt: '2026-03-05T09:00:00.000Z', followUpDays: 3 } },
    ]);
    expect(storiesTo.REJECTED().when(act('close', {}))[0].data).toEqual({ note: undefined, reasonCode: 'REJECTED' });
  });

  it('withdraw by the customer ends the case', () => {
    const story = storiesTo.IN_PROGRESS();
    expect(story.when(act('withdraw', { reason: 'Sorted it myself' }, customer))).toEqual([
      { type: 'CaseWithdrawn', actor: customer, data: { reason: 'Sorted it myself' } },
    ]);
    expect(storiesTo.WITHDRAWN().state.status).toBe('WITHDRAWN');
  });

  it('grant-compensation is possible after resolution as goodwill', () => {
    const story = storiesTo.RESOLVED().run(act('grant-compensation', { points: 200 }));
    expect(story.state.compensations).toHaveLength(1);
    expect(story.state.status).toBe('RESOLVED');
  });
});
