export * from './app-config';
export * from './early-warning-config';
export * from './follow-up-config';
