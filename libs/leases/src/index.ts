export * from './lease.js';
export * from './lease-errors.js';
export * from './lease-keys.js';
export { formatLeaseValue, parseLeaseValue, type LeaseValue } from './lease-value.js';
export * from './sensor-leases.js';
export {
  connectRedis,
  openRedis,
  requireRedisUrl,
  type ConnectRedisOptions,
} from './connect-redis.js';
export * from './lease-holders.js';
export * from './manual-reservations.js';
