export * from './compliance-rules';
export * from './compliance-report';
