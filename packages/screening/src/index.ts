export * from './dates';
export * from './growth-standards';
export * from './growth';
export * from './vaccination-schedule';
export * from './development-warning-signs';
export * from './reference-lists';
export * from './names';
export * from './screening';
