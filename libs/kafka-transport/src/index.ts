export * from './topics';
export * from './cloud-events';
export * from './event-relay';
export * from './kafka-dead-letters';
export * from './kafka-projector';
export * from './order-intake-consumer';
export * from './kafka-health';
