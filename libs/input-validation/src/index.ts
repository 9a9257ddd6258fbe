export * from './validation';
export * from './money';
