import type { NodeId } from '../core/address.js';
import { shuffleInPlace, type RandomSource } from '../core/random.js';
import {
  cpsRequestTimeoutMs,
  plainRequestTimeoutMs,
  type AlgorithmName,
  type SchedulerConfig,
} from '../config/scheduler-config.js';
import type { ControllerMachine } from '../controller/controller-machine.js';
import { PeriodController } from '../controller/period-controller.js';
import { CpsRolePlanner, CrsRolePlanner } from '../controller/role-planner.js';
import { TimetableController } from '../controller/timetable-controller.js';
import { TokenRingController } from '../controller/token-ring-controller.js';
import { PrioritySelector, RandomSelector, RingSelector } from '../monitor/candidate-selector.js';
import type { MonitorMachine } from '../monitor/monitor-machine.js';
import { RoundMonitor, type RoundMonitorSettings } from '../monitor/round-monitor.js';
import { TimetableMonitor } from '../monitor/timetable-monitor.js';
import { FirstComeSensor } from '../sensor/first-come-sensor.js';
import { ListeningSensor } from '../sensor/listening-sensor.js';
import type { SensorMachine } from '../sensor/sensor-machine.js';
import { TimetableSensor } from '../sensor/timetable-sensor.js';

/** The three machines of one node, as the three services of that node will run them. */
export interface NodeAgent {
  readonly controller: ControllerMachine;
  readonly sensor: SensorMachine;
  readonly monitor: MonitorMachine;
}

export interface AgentOptions {
  readonly node: NodeId;
  /** The membership the node starts with (itself alone when it joins a running cluster). */
  readonly members: readonly NodeId[];
  readonly config: SchedulerConfig;
  readonly random: RandomSource;
  readonly joining?: boolean;
}

export interface AlgorithmDefinition {
  readonly name: AlgorithmName;
  readonly title: string;
  create(options: AgentOptions): NodeAgent;
}

/** Never-measured sensors are tried in a per-node random order, so monitors spread out. */
const shuffledOrder = (random: RandomSource) => (members: NodeId[]) =>
  shuffleInPlace(members, random);

function roundMonitor(
  options: AgentOptions,
  settings: ConstructorParameters<typeof RoundMonitor>[3],
  selector: ConstructorParameters<typeof RoundMonitor>[4],
): RoundMonitor {
  return new RoundMonitor(
    options.node,
    options.members,
    shuffledOrder(options.random),
    settings,
    selector,
  );
}

/** CPS and CRS monitors: retry after all denied, re-sort after every event, back off. */
function periodMonitorSettings(
  config: SchedulerConfig,
  requestTimeoutMs: number,
): RoundMonitorSettings {
  return {
    requestTimeoutMs,
    retryWaitMs: config.retryWaitMs,
    onRoundExhausted: 'retry',
    newRoundAfterEvent: true,
    denialBackoffMs: config.denialBackoffMs,
    maxRequestsPerRound: config.maxRequestsPerRound,
  };
}

export const ALGORITHMS: Readonly<Record<AlgorithmName, AlgorithmDefinition>> = {
  rr: {
    name: 'rr',
    title: 'Round Robin (token ring)',
    create: (options) => ({
      controller: new TokenRingController(options),
      sensor: new FirstComeSensor(options.node, {
        lockMs: options.config.lockMs,
        eventMs: options.config.eventMs,
      }),
      monitor: roundMonitor(
        options,
        {
          requestTimeoutMs: plainRequestTimeoutMs(),
          retryWaitMs: options.config.retryWaitMs,
          onRoundExhausted: 'report',
          newRoundAfterEvent: false,
          denialBackoffMs: 0,
          maxRequestsPerRound: 0,
        },
        () => new RingSelector(options.node),
      ),
    }),
  },
  crs: {
    name: 'crs',
    title: 'Controlled Random Scheduling',
    create: (options) => ({
      controller: new PeriodController(
        options,
        new CrsRolePlanner(options.config, options.random),
        false,
      ),
      sensor: new FirstComeSensor(options.node, {
        lockMs: options.config.lockMs,
        eventMs: options.config.eventMs,
      }),
      monitor: roundMonitor(
        options,
        periodMonitorSettings(options.config, plainRequestTimeoutMs()),
        () => new RandomSelector(options.random),
      ),
    }),
  },
  cps: {
    name: 'cps',
    title: 'Controlled Priority Scheduling',
    create: (options) => ({
      controller: new PeriodController(
        options,
        new CpsRolePlanner(options.config, options.random),
        true,
      ),
      sensor: new ListeningSensor(options.node, {
        lockMs: options.config.lockMs,
        eventMs: options.config.eventMs,
        listeningMs: options.config.cps.listeningMs,
      }),
      monitor: roundMonitor(
        options,
        periodMonitorSettings(options.config, cpsRequestTimeoutMs(options.config)),
        (book) => new PrioritySelector(book),
      ),
    }),
  },
  tts: {
    name: 'tts',
    title: 'Timetable Scheduling (Meshmon)',
    create: (options) => ({
      controller: new TimetableController(options),
      sensor: new TimetableSensor(options.node, {
        lockMs: options.config.lockMs,
        eventMs: options.config.eventMs,
        slotWaitMs: options.config.tts.slotWaitMs,
        requestRetryMs: options.config.tts.requestRetryMs,
      }),
      monitor: new TimetableMonitor(
        options.node,
        options.members,
        shuffledOrder(options.random),
        options.config.tts,
      ),
    }),
  },
};

export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as AlgorithmName[];

export function isAlgorithmName(value: string): value is AlgorithmName {
  return Object.prototype.hasOwnProperty.call(ALGORITHMS, value);
}
