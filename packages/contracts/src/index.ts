export * from './enums';
export * from './fields';
export * from './topics';
export * from './events';
export * from './cloudevent';
export * from './validation';
export * from './service-records';
