export * from './order-fact';
export * from './order-fact.dto';
export * from './order-fact-intake';
