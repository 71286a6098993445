export * from './kafka-client';
export * from './wire-format';
export * from './event-publisher';
export * from './event-consumer';
export * from './outbox';
