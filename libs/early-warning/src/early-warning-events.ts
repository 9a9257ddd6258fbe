/**
 * The events of a signal's stream: `EarlyWarningRaised` and `EarlyWarningCleared`, alternating. Folding the
 * stream tells whether the signal is raised now, and at which revision the next event must be appended.
 */
import type { EarlyWarningSignal } from './early-warning-signal';

export const EARLY_WARNING_EVENT_TYPES = ['EarlyWarningRaised', 'EarlyWarningCleared'] as const;
export type EarlyWarningEventType = (typeof EARLY_WARNING_EVENT_TYPES)[number];
export const EARLY_WARNING_SCHEMA_VERSION = 1;
/** The actor of every early-warning event. */
export const EARLY_WARNING_ACTOR = { type: 'system', id: 'early-warning' } as const;

export interface EarlyWarningRaisedData extends EarlyWarningSignal {
  /** Kind and scope, each part URI-encoded; the signal's stream is `early-warning-<signalKey>`. */
  signalKey: string;
}

export interface EarlyWarningClearedData extends EarlyWarningSignal {
  /** Kind and scope, each part URI-encoded; the signal's stream is `early-warning-<signalKey>`. */
  signalKey: string;
  /** When the signal cleared; `since` is still when it was raised. */
  clearedAt: string;
}

export type EarlyWarningEvent = { type: 'EarlyWarningRaised'; data: EarlyWarningRaisedData } | { type: 'EarlyWarningCleared'; data: EarlyWarningClearedData };

export function isEarlyWarningEventType(type: string): type is EarlyWarningEventType {
  return (EARLY_WARNING_EVENT_TYPES as readonly string[]).includes(type);
}

export interface SignalStreamState {
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  revision: number;
  /** The signal as last raised, while it is raised. */
  raised?: EarlyWarningRaisedData;
}

export const NO_SIGNAL_STREAM: SignalStreamState = { revision: -1 };

export function evolveSignal(state: SignalStreamState, event: { type: string; data: unknown; revision?: number }): SignalStreamState {
  const revision = event.revision ?? state.revision + 1;
  if (event.type === 'EarlyWarningRaised') return { revision, raised: event.data as EarlyWarningRaisedData };
  if (event.type === 'EarlyWarningCleared') return { revision };
  return { ...state, revision };
}

export function foldSignalStream(events: ReadonlyArray<{ type: string; data: unknown; revision?: number }>): SignalStreamState {
  return events.reduce(evolveSignal, NO_SIGNAL_STREAM);
}
