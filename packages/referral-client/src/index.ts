export * from './definitions';
export * from './referral-commands';
export * from './facility-directory';
export * from './temporal-deadline';
export * from './service-area';
