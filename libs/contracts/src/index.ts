/**
 * Meshmon's wire contracts (v1): NATS subjects, message classes with their validation,
 * and decoders that never throw. Both ends of every subject use this library, so a
 * message that encodes here decodes on the other side.
 */
// class-transformer's @Type reads design-time metadata: load the polyfill with the contracts.
import 'reflect-metadata';
export * from './version.js';
export * from './names.js';
export * from './subjects.js';
export * from './redis-keys.js';

export {
  BODY_FIELD,
  MAX_FIELD_LENGTH,
  MAX_PROBLEMS,
  boundedProblems,
  describeProblems,
  type Decoded,
  type Problem,
} from './validation/problem.js';
export { MAX_DEPTH, MAX_PAYLOAD_BYTES } from './validation/payload.js';
export {
  OutboundMessageError,
  decodeWith,
  defineContract,
  encodeWith,
  problemsWith,
  type Contract,
} from './validation/codec.js';

export * from './scheduler/limits.js';
export * from './scheduler/slot-messages.dto.js';
export * from './scheduler/membership-messages.dto.js';
export * from './scheduler/token-ring-messages.dto.js';
export * from './scheduler/role-messages.dto.js';
export * from './scheduler/timetable-messages.dto.js';
export * from './scheduler/scope-messages.dto.js';
export * from './scheduler/scheduler-message-classes.js';
export * from './scheduler/scheduler-envelope.js';

export * from './errors/error-codes.js';
export * from './errors/error-reply.dto.js';
export * from './sensor-server/server-start.dto.js';
export * from './sensor-server/server-stop.dto.js';
export * from './results/measurement-figures.dto.js';
export * from './results/measurement-result.dto.js';
export * from './events/service-event.dto.js';
export * from './events/event-messages.js';
export * from './control/scheduler-control.dto.js';
export * from './control/intents-control.dto.js';
export * from './measure/measure-request.dto.js';
export * from './flows/flow-map.dto.js';
export * from './sink/dead-letter.dto.js';
export * from './sink/sink-stats.dto.js';
export * from './samples/resource-sample.dto.js';

/** Valid samples of every scheduler message and of results, for the services' own tests. */
export {
  SAMPLE_FAILED_RESULT,
  SAMPLE_MEASURED_RESULT,
} from './results/measurement-result.fixtures.js';
export {
  SAMPLE_SENDER,
  SCHEDULER_MESSAGE_SAMPLES,
} from './scheduler/scheduler-message.fixtures.js';
export { SAMPLE_RESOURCE_SAMPLE } from './samples/resource-sample.fixtures.js';

/** The rules the contracts are written with, for other validated documents (scenario files). */
export * as ContractRules from './validation/rules.js';
export * from './permissions/nats-permissions.js';
