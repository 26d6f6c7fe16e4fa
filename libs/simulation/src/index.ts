export * from './event-queue.js';
export * from './churn-spec.js';
export * from './simulation.js';
