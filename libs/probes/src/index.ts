export * from './probe-error.js';
export * from './iperf-result-parser.js';
export * from './iperf-server-output.js';
export * from './iperf-client.js';
export * from './iperf-server.js';
export * from './ping-output-parser.js';
export * from './ping.js';
