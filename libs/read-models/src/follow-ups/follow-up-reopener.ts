/**
 * The follow-up process manager's outgoing side: for each reopening left pending by the projection (a follow-up
 * that found the issue recurred), it asks the aggregate to reopen the case, caused by that FollowUpRecorded. The
 * aggregate reopens at most once (it decides nothing for a case no longer closed on that follow-up), so a
 * redelivered event, a crash between the command and settling, or two reopeners running at once never reopen twice.
 */
import type { SqlClient } from '@aftersales/sql-client';
import { PolledWork } from '../runner/polling-loop';
import type { PendingReopen } from './follow-ups.queries';
import { pendingReopens, settleReopen } from './follow-ups.queries';

/** Sends the reopen command; answers the event types recorded (empty: nothing was left to reopen). */
export type ReopenCase = (pending: PendingReopen) => Promise<string[]>;

export interface ReopenReport {
  examined: number;
  reopened: string[];
  failed: number;
}

export class FollowUpReopener extends PolledWork {
  constructor(
    private readonly sql: SqlClient,
    private readonly reopen: ReopenCase,
    private readonly options: { idleMs?: number; onError?: (error: Error) => void } = {},
  ) {
    super(options.idleMs ?? 1_000, options.onError);
  }

  /** Asks for every pending reopening once; a failed one stays pending for the next pass. */
  async dispatchPending(): Promise<ReopenReport> {
    const pending = await pendingReopens(this.sql);
    const report: ReopenReport = { examined: pending.length, reopened: [], failed: 0 };
    for (const item of pending) {
      try {
        const recorded = await this.reopen(item);
        await settleReopen(this.sql, item.caseId, item.sequence);
        if (recorded.length) report.reopened.push(item.caseId);
      } catch (error) {
        report.failed += 1;
        this.options.onError?.(error as Error);
      }
    }
    return report;
  }

  protected async pass(): Promise<number> {
    const report = await this.dispatchPending();
    if (report.failed) throw new Error(`${report.failed} of ${report.examined} follow-up reopenings failed; they stay pending`);
    return report.examined;
  }
}
