export * from './request-context';
export * from './json-logger';
export * from './metrics';
export * from './progress-bar';
export * from './readiness';
export * from './tracing';
export * from './tracing-sdk';
