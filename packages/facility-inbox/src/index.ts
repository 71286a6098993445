export * from './inbox-projection';
export * from './inbox-repository';
export * from './facility-register';
export * from './service-record-repository';
export * from './inbox-schemas';
export * from './inbox-routes';
export * from './facility-service';
export * from './facility-admin-routes';
