/**
 * Passive flow discovery without IO: parsers for the kernel's socket tables and
 * conntrack's listing, the classifier that maps flows to Meshmon nodes, the address
 * directory learnt from flow maps, and the hysteresis that turns flows into intents.
 * apps/flow-discovery reads the files and runs the commands; the controller runs
 * DiscoveredIntents.
 */
export {
  decodeProcIpv4,
  decodeProcIpv6,
  isLoopbackAddress,
  isUnspecifiedAddress,
  normalizeAddress,
} from './addresses/ip-address.js';
export {
  MAX_LINE_PROBLEMS,
  MAX_LINES,
  type ConntrackFlow,
  type Endpoint,
  type Flow,
  type FlowProtocol,
  type LineProblem,
  type ParsedFlows,
  type SocketFlow,
} from './flow-types.js';
export {
  PROC_NET_FILES,
  TCP_ESTABLISHED,
  parseProcNet,
  type ProcNetFile,
} from './parsers/proc-net-parser.js';
export { parseConntrack } from './parsers/conntrack-parser.js';
export {
  classifyFlow,
  classifyFlows,
  type ClassifierContext,
  type FlowClassification,
  type FlowVerdict,
  type IgnoreReason,
  type PeerFlowCount,
} from './classify/flow-classifier.js';
export { AddressDirectory, MAX_DIRECTORY_NODES } from './classify/address-directory.js';
export {
  DEFAULT_DISCOVERED_INTENTS_OPTIONS,
  DiscoveredIntents,
  DiscoveredIntentsOptionsError,
  discoveredIntentsOptionsProblems,
  type DiscoveredIntentsOptions,
  type IntentChanges,
} from './intents/discovered-intents.js';
