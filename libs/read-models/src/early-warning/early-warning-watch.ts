/**
 * The early-warning process manager: on each tick, at the injected clock's time, measures every scope from the
 * early-warning view, evaluates the detectors with hysteresis against the signals raised so far, and appends
 * `EarlyWarningRaised` / `EarlyWarningCleared` to the signal's own stream with the expected revision. Ticks run
 * without events too, so a signal clears in a quiet period. Several watches may run: when another got in first
 * the append is refused, the stream is read again and the decision is made once more on fresh state, so a
 * signal is never raised (or cleared) twice.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import { WrongExpectedRevisionError } from '@aftersales/event-store';
import type { EarlyWarningThresholds, ScopedMeasurement, SignalDecision, SignalStreamState } from '@aftersales/early-warning';
import {
  EARLY_WARNING_ACTOR,
  EARLY_WARNING_SCHEMA_VERSION,
  NO_SIGNAL_STREAM,
  decideSignal,
  evaluateSignals,
  foldSignalStream,
  signalStreamId,
} from '@aftersales/early-warning';
import type { SqlQueryable } from '@aftersales/sql-client';
import { measureEarlyWarnings, readSignalStates } from './early-warning.queries';
import { PeriodicTick } from '../runner/periodic-tick';

export interface EarlyWarningTickReport {
  at: string;
  measured: number;
  raised: string[];
  cleared: string[];
  /** Decisions another watch had already recorded (found on fresh state after a refused append). */
  superseded: number;
  failed: number;
}

const ATTEMPTS = 4;

export class EarlyWarningWatch {
  private readonly periodic = new PeriodicTick(
    () => this.tick(),
    (error) => this.onError(error),
  );

  constructor(
    private readonly views: SqlQueryable,
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly thresholds: EarlyWarningThresholds,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  async tick(): Promise<EarlyWarningTickReport> {
    const now = this.clock.now();
    const [measurements, known] = await Promise.all([measureEarlyWarnings(this.views, now), readSignalStates(this.views)]);
    const report: EarlyWarningTickReport = { at: now.toISOString(), measured: measurements.length, raised: [], cleared: [], superseded: 0, failed: 0 };
    const tickId = randomUUID();
    for (const { measurement, decision } of evaluateSignals(measurements, known, this.thresholds, now)) {
      try {
        const recorded = await this.record(measurement, decision, known.get(decision.key) ?? NO_SIGNAL_STREAM, now, tickId);
        if (!recorded) report.superseded += 1;
        else (recorded.action === 'raise' ? report.raised : report.cleared).push(recorded.key);
      } catch (error) {
        report.failed += 1;
        this.onError(error as Error);
      }
    }
    return report;
  }

  /** Appends the decision at the known revision; on a refusal decides again on the stream as it is. */
  private async record(m: ScopedMeasurement, first: SignalDecision, known: SignalStreamState, now: Date, tickId: string): Promise<SignalDecision | undefined> {
    let decision: SignalDecision | undefined = first;
    let state = known;
    for (let attempt = 1; decision; attempt++) {
      const streamId = signalStreamId(decision.key);
      try {
        await this.store.append(
          streamId,
          [
            {
              eventId: randomUUID(),
              type: decision.action === 'raise' ? 'EarlyWarningRaised' : 'EarlyWarningCleared',
              schemaVersion: EARLY_WARNING_SCHEMA_VERSION,
              data: decision.data,
              metadata: { occurredAt: now.toISOString(), actor: { ...EARLY_WARNING_ACTOR }, correlationId: tickId, causationId: tickId },
            },
          ],
          state.revision < 0 ? 'no_stream' : state.revision,
        );
        return decision;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= ATTEMPTS) throw error;
        state = foldSignalStream(await this.store.readStream(streamId));
        decision = decideSignal(m, state, this.thresholds, now);
      }
    }
    return undefined;
  }

  start(intervalMs: number): void {
    this.periodic.start(intervalMs);
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
  }
}
