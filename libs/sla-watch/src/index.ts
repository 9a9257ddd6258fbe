export * from './sla-watch';
