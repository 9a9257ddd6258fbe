export * from './order-fact';
