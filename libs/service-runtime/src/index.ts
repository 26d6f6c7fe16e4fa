// The plumbing every Meshmon service shares: errors and problems, settings, health,
// NATS connections and streams, events, the process around a service. Deep imports
// (`@meshmon/service-runtime/health/health-check-url.js`) are for what must load light,
// like the container health check.
export * from './errors/usage-error.js';
export * from './errors/config-error.js';
export * from './with-deadline.js';
export * from './read-flags.js';
export * from './health/health-ports.js';
export * from './health/health-server.js';
export * from './health/service-metrics.js';
export * from './health/health-settings.js';
export * from './health/health-check-url.js';
export * from './health/readiness.js';
export * from './nats/connect-nats.js';
export * from './nats/nats-status-log.js';
export * from './nats/readiness-checks.js';
export * from './nats/results-stream.js';
export * from './nats/jetstream-outbox.js';
export * from './nats/outbox-journal.js';
export * from './process/run-process.js';
export * from './process/start-problem.js';
export * from './process/start-service.js';
export * from './redis/redis-status-log.js';
export * from './sampling/cgroup-counters.js';
export * from './sampling/net-dev.js';
export * from './sampling/proc-stat.js';
export * from './sampling/proc-status.js';
export * from './sampling/sample-builder.js';
export * from './sampling/self-sampler.js';
export * from './sampling/service-sampling.js';
export * from './resolve-address.js';
export * from './event-publisher.js';
export * from './settings/setting.js';
export * from './settings/read-settings.js';
export * as SharedSettings from './settings/shared-settings.js';
export * from './credentials/credentials-folder.js';
export * from './credentials/nats-authorization.js';
