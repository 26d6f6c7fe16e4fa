export * from './schema.js';
export * from './point-time.js';
export * from './result-points.js';
export * from './event-points.js';
export * from './sample-points.js';
export * from './influx-store.js';
export * from './influx-endpoint.js';
export * from './stored-results.js';
