/**
 * The SLA watch: on each tick, finds open cases whose clocks are at risk or overdue (from the escalation view)
 * and sends the aggregate one observation per clock. The aggregate decides and records each warning and breach
 * once, so any number of watch instances may run; a lagging view only delays, never doubles.
 */
import type { Clock, SlaClockName } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import { PeriodicTick, casesDueForObservation } from '@aftersales/read-models';

export type Observe = (caseId: string, observation: 'record-sla-warning' | 'record-sla-breach', clock: SlaClockName) => Promise<string[]>;

export interface TickReport {
  examined: number;
  recorded: Array<{ caseId: string; clock: SlaClockName; events: string[] }>;
  failed: number;
}

export class SlaWatch {
  private readonly periodic = new PeriodicTick(
    () => this.tick(),
    (error) => this.onError(error),
  );

  constructor(
    private readonly views: SqlQueryable,
    private readonly observe: Observe,
    private readonly clock: Clock,
    private readonly warningRatio: number,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  async tick(): Promise<TickReport> {
    const work = await casesDueForObservation(this.views, this.clock.now(), this.warningRatio);
    const report: TickReport = { examined: work.length, recorded: [], failed: 0 };
    for (const item of work) {
      try {
        const events = await this.observe(item.caseId, item.observation, item.clock);
        if (events.length) report.recorded.push({ caseId: item.caseId, clock: item.clock, events });
      } catch (error) {
        report.failed += 1;
        this.onError(error as Error);
      }
    }
    return report;
  }

  start(intervalMs: number): void {
    this.periodic.start(intervalMs);
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
  }
}
