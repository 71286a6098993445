export * from './inbox-projection';
export * from './inbox-repository';
export * from './facility-register';
