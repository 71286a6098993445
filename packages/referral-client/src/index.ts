export * from './definitions';
export * from './referral-commands';
