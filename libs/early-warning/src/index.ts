export * from './early-warning-signal';
export * from './thresholds';
export * from './detectors';
export * from './signal-key';
export * from './early-warning-events';
export * from './early-warning-event-schemas';
export * from './evaluate-signals';
