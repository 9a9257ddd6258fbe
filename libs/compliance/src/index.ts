export * from './compliance-rules';
export * from './jurisdiction-profiles';
export * from './compliance-report';
export * from './malformed-events';
export * from './compliance-csv';
