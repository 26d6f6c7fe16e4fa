export * from './measurement-record.js';
export * from './conflict-checker.js';
export * from './coverage-metrics.js';
