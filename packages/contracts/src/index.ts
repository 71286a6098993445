export * from './enums';
export * from './topics';
export * from './events';
export * from './cloudevent';
export * from './validation';
