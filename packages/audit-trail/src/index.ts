export * from './audit-log';
export * from './audit-hook';
export * from './audit-routes';
