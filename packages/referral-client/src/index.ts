export * from './definitions';
export * from './referral-commands';
export * from './facility-directory';
