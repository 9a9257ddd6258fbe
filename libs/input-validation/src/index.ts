export * from './field-problem';
export * from './validation';
export * from './money';
export * from './json-depth';
export * from './text-safety';
export * from './instants';
