export * from './measurement-record.js';
export * from './conflict-checker.js';
export * from './leased-conflicts.js';
export * from './coverage-metrics.js';
export * from './coverage-cycles.js';
export * from './pair-matrix.js';
export * from './outliers.js';
export * from './thesis-lines.js';
