export * from './health-ports.js';
export * from './health-server.js';
export * from './health-settings.js';
export * from './health-check-url.js';
export * from './readiness.js';
