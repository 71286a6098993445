export * from './config';
export * from './logger';
export * from './errors';
export * from './schemas';
export * from './service-app';
export * from './service-runner';
export * from './database';
export * from './auth';
