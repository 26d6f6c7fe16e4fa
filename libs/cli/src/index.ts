export * from './usage-error.js';
export * from './config-error.js';
export * from './with-deadline.js';
export * from './read-flags.js';
