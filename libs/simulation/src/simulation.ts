import {
  checkConflicts,
  computeCoverage,
  coverageFloorSeconds,
  pairsSinceJoined,
  type ConflictReport,
  type CoverageMetrics,
  type MeasurementRecord,
  type PairInScope,
} from '@meshmon/analysis';
import {
  ALGORITHMS,
  SeededRandom,
  defaultSchedulerConfig,
  mergeSchedulerConfig,
  uniformBetween,
  type Address,
  type AlgorithmName,
  type Effect,
  type ModuleKind,
  type NodeAgent,
  type ProbeOrder,
  type SchedulerConfigOverrides,
  type SchedulerEvent,
  type SchedulerMachine,
  type SchedulerMessage,
} from '@meshmon/scheduling';
import type { ChurnEvent } from './churn-spec.js';
import { EventQueue } from './event-queue.js';

export interface SimulationOptions {
  readonly algorithm: AlgorithmName;
  readonly nodes: number;
  /** Mean length of one measurement event (thesis: 13.45 s). */
  readonly eventSeconds: number;
  readonly durationSeconds: number;
  readonly seed: number;
  /** Probability that a message between two nodes is lost. */
  readonly loss?: number;
  /** Mean one-way delay between nodes; each message draws uniformly in [0.5, 1.5] x this. */
  readonly latencyMs?: number;
  /** Each event lasts eventSeconds x (1 + u), u uniform in [-jitter, +jitter]. */
  readonly eventJitter?: number;
  readonly churn?: readonly ChurnEvent[];
  readonly config?: SchedulerConfigOverrides;
  /** Called for every completed measurement, in completion order. */
  readonly onMeasurement?: (record: MeasurementRecord) => void;
  /** Called for every scheduler event (role switches, grants, denials...), with virtual seconds. */
  readonly onEvent?: (event: SchedulerEvent, atSeconds: number) => void;
}

export interface SimulationResult extends CoverageMetrics {
  readonly algorithm: AlgorithmName;
  readonly nodes: number;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly eventSeconds: number;
  readonly floorSeconds: number;
  readonly conflicts: number;
  readonly conflictReport: ConflictReport;
  readonly abortedProbes: number;
  readonly messagesSent: number;
  readonly messagesLost: number;
  readonly eventCounts: Readonly<Record<string, number>>;
}

/** Delay of a message between two modules of the same node (local NATS hop, never lost). */
const LOCAL_DELAY_MS = 0.1;

type Job =
  | { kind: 'deliver'; from: Address; to: Address; message: SchedulerMessage; incarnation: number }
  | { kind: 'wake'; node: string; module: ModuleKind; generation: number; incarnation: number }
  | { kind: 'probe-end'; probeId: string }
  | { kind: 'churn'; event: ChurnEvent };

interface SimNode {
  readonly name: string;
  readonly agent: NodeAgent;
  readonly incarnation: number;
  readonly joinedAtMs: number;
  alive: boolean;
  readonly wakeGeneration: Record<ModuleKind, number>;
  readonly wakeScheduledAt: Record<ModuleKind, number | null>;
}

interface RunningProbe {
  readonly order: ProbeOrder;
  readonly startMs: number;
  readonly endMs: number;
  readonly ok: boolean;
  readonly monitorIncarnation: number;
  finished: boolean;
}

/**
 * Runs the scheduling core of `libs/scheduling` in virtual time: the same machines the
 * services run, fed by a discrete-event loop that models message delay and loss, event
 * time variation, and nodes joining, leaving and crashing.
 */
export class Simulation {
  private readonly queue = new EventQueue<Job>();
  private readonly nodes = new Map<string, SimNode>();
  private readonly probes = new Map<string, RunningProbe>();
  private readonly intervals: MeasurementRecord[] = [];
  private readonly completed: MeasurementRecord[] = [];
  private readonly eventCounts: Record<string, number> = {};
  private readonly config;
  private readonly root: SeededRandom;
  private readonly network: SeededRandom;
  private readonly durations: SeededRandom;
  private readonly loss: number;
  private readonly latencyMs: number;
  private readonly jitter: number;
  private now = 0;
  private incarnations = 0;
  private messagesSent = 0;
  private messagesLost = 0;
  private abortedProbes = 0;
  private spin = { at: -1, key: '', count: 0 };

  constructor(private readonly options: SimulationOptions) {
    this.config = mergeSchedulerConfig(
      defaultSchedulerConfig(options.eventSeconds * 1000),
      options.config ?? {},
    );
    this.root = new SeededRandom(options.seed);
    this.network = this.root.fork(1_000_001);
    this.durations = this.root.fork(1_000_002);
    this.loss = options.loss ?? 0;
    this.latencyMs = options.latencyMs ?? 1;
    this.jitter = options.eventJitter ?? 0.02;
  }

  run(): SimulationResult {
    const names = Array.from({ length: this.options.nodes }, (_, i) => `n${i + 1}`);
    const started: SimNode[] = names.map((name) => this.createNode(name, names, false));
    for (const event of this.options.churn ?? [])
      this.queue.push(event.atSeconds * 1000, { kind: 'churn', event });
    for (const node of started) this.startNode(node);

    const endMs = this.options.durationSeconds * 1000;
    for (;;) {
      const next = this.queue.peekTime();
      if (next === undefined || next > endMs) break;
      const entry = this.queue.pop()!;
      this.now = entry.at;
      this.dispatch(entry.item);
    }
    this.now = endMs;
    return this.report();
  }

  // ---- nodes ----------------------------------------------------------------------------

  private createNode(name: string, members: readonly string[], joining: boolean): SimNode {
    this.incarnations += 1;
    const salt = joining
      ? 500_000 + this.incarnations
      : Number(name.replace(/\D/g, '')) || this.incarnations;
    const agent = ALGORITHMS[this.options.algorithm].create({
      node: name,
      members,
      config: this.config,
      random: this.root.fork(salt),
      joining,
    });
    const node: SimNode = {
      name,
      agent,
      incarnation: this.incarnations,
      joinedAtMs: this.now,
      alive: true,
      wakeGeneration: { controller: 0, sensor: 0, monitor: 0 },
      wakeScheduledAt: { controller: null, sensor: null, monitor: null },
    };
    this.nodes.set(name, node);
    return node;
  }

  private startNode(node: SimNode): void {
    for (const module of ['sensor', 'monitor', 'controller'] as const) {
      this.apply(node, module, node.agent[module].start(this.now));
    }
  }

  private machine(node: SimNode, module: ModuleKind): SchedulerMachine {
    return node.agent[module];
  }

  private onChurn(event: ChurnEvent): void {
    const existing = this.nodes.get(event.node);
    if (event.action === 'join') {
      if (existing?.alive) return;
      this.startNode(this.createNode(event.node, [event.node], true));
      return;
    }
    if (!existing?.alive) return;
    if (event.action === 'leave')
      this.apply(existing, 'controller', existing.agent.controller.leave());
    existing.alive = false;
    this.cutProbesOf(existing.name);
  }

  /** A node that vanishes ends every probe it takes part in; a surviving monitor hears of the failure. */
  private cutProbesOf(name: string): void {
    for (const [id, probe] of this.probes) {
      if (probe.finished || (probe.order.monitor !== name && probe.order.sensor !== name)) continue;
      this.finishProbe(id, probe, this.now, false);
    }
  }

  // ---- the loop -------------------------------------------------------------------------

  private dispatch(job: Job): void {
    switch (job.kind) {
      case 'deliver': {
        const node = this.nodes.get(job.to.node);
        if (!node?.alive) return;
        // Messages between modules of one node die with that incarnation.
        if (job.from.node === job.to.node && node.incarnation !== job.incarnation) return;
        this.apply(
          node,
          job.to.module,
          this.machine(node, job.to.module).receive(job.from, job.message, this.now),
        );
        return;
      }
      case 'wake': {
        const node = this.nodes.get(job.node);
        if (!node?.alive || node.incarnation !== job.incarnation) return;
        if (node.wakeGeneration[job.module] !== job.generation) return;
        node.wakeScheduledAt[job.module] = null;
        this.apply(node, job.module, this.machine(node, job.module).wake(this.now));
        return;
      }
      case 'probe-end': {
        const probe = this.probes.get(job.probeId);
        if (probe && !probe.finished) this.finishProbe(job.probeId, probe, probe.endMs, probe.ok);
        return;
      }
      case 'churn':
        this.onChurn(job.event);
    }
  }

  private apply(node: SimNode, module: ModuleKind, effects: readonly Effect[]): void {
    const from = node.agent[module].address;
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send':
          this.transmit(from, effect.to, effect.message, node.incarnation);
          break;
        case 'broadcast':
          for (const other of this.nodes.values()) {
            if (other.alive && other.name !== node.name) {
              this.transmit(
                from,
                { node: other.name, module: effect.module },
                effect.message,
                node.incarnation,
              );
            }
          }
          break;
        case 'probe-start':
          this.startProbe(node, effect.probe);
          break;
        case 'event':
          this.eventCounts[effect.event.type] = (this.eventCounts[effect.event.type] ?? 0) + 1;
          this.options.onEvent?.(effect.event, this.now / 1000);
          break;
      }
    }
    this.scheduleWake(node, module);
  }

  private transmit(
    from: Address,
    to: Address,
    message: SchedulerMessage,
    incarnation: number,
  ): void {
    if (from.node === to.node) {
      this.queue.push(this.now + LOCAL_DELAY_MS, {
        kind: 'deliver',
        from,
        to,
        message,
        incarnation,
      });
      return;
    }
    this.messagesSent += 1;
    if (this.loss > 0 && this.network.next() < this.loss) {
      this.messagesLost += 1;
      return;
    }
    const delay = uniformBetween(this.network, 0.5 * this.latencyMs, 1.5 * this.latencyMs);
    this.queue.push(this.now + delay, { kind: 'deliver', from, to, message, incarnation });
  }

  private scheduleWake(node: SimNode, module: ModuleKind): void {
    const at = this.machine(node, module).nextWakeAt();
    if (at !== null && at <= this.now) this.guardAgainstSpinning(node, module);
    if (at === node.wakeScheduledAt[module]) return;
    node.wakeGeneration[module] += 1;
    node.wakeScheduledAt[module] = at;
    if (at === null) return;
    this.queue.push(Math.max(at, this.now), {
      kind: 'wake',
      node: node.name,
      module,
      generation: node.wakeGeneration[module],
      incarnation: node.incarnation,
    });
  }

  /**
   * A machine that keeps asking to be woken at the current instant without changing state
   * would hang the run: fail loudly instead, naming it.
   */
  private guardAgainstSpinning(node: SimNode, module: ModuleKind): void {
    if (this.spin.at !== this.now || this.spin.key !== `${node.name}.${module}`) {
      this.spin = { at: this.now, key: `${node.name}.${module}`, count: 0 };
    }
    this.spin.count += 1;
    if (this.spin.count > 10_000) {
      throw new Error(
        `simulation stuck: ${this.spin.key} asks to be woken at ${this.now} ms over and over`,
      );
    }
  }

  // ---- probes ---------------------------------------------------------------------------

  private startProbe(monitor: SimNode, order: ProbeOrder): void {
    const sensor = this.nodes.get(order.sensor);
    const wanted =
      this.config.eventMs * (1 + uniformBetween(this.durations, -this.jitter, this.jitter));
    // The probe is killed at its deadline, as the services kill iperf3.
    const endMs = Math.min(this.now + wanted, order.deadline);
    const probe: RunningProbe = {
      order,
      startMs: this.now,
      endMs,
      ok: this.now + wanted <= order.deadline,
      monitorIncarnation: monitor.incarnation,
      finished: false,
    };
    this.probes.set(order.measurementId, probe);
    if (!sensor?.alive) {
      this.finishProbe(order.measurementId, probe, this.now, false);
      return;
    }
    this.queue.push(endMs, { kind: 'probe-end', probeId: order.measurementId });
  }

  private finishProbe(id: string, probe: RunningProbe, endMs: number, ok: boolean): void {
    probe.finished = true;
    this.probes.delete(id);
    const record: MeasurementRecord = {
      monitor: probe.order.monitor,
      sensor: probe.order.sensor,
      startSeconds: probe.startMs / 1000,
      endSeconds: endMs / 1000,
    };
    this.intervals.push(record);
    if (ok) {
      this.completed.push(record);
      this.options.onMeasurement?.(record);
    } else {
      this.abortedProbes += 1;
    }
    const monitor = this.nodes.get(probe.order.monitor);
    if (!monitor?.alive || monitor.incarnation !== probe.monitorIncarnation) return;
    this.apply(
      monitor,
      'monitor',
      monitor.agent.monitor.probeFinished({ measurementId: id, ok }, this.now),
    );
  }

  // ---- report ---------------------------------------------------------------------------

  /**
   * Pairs in scope are those between nodes present at the end, each from the moment both
   * were present: "every pair in scope is eventually measured" is judged on those.
   */
  private scope(): PairInScope[] {
    return pairsSinceJoined(
      [...this.nodes.values()]
        .filter((node) => node.alive)
        .map((node) => ({ name: node.name, joinedAtSeconds: node.joinedAtMs / 1000 })),
    );
  }

  private report(): SimulationResult {
    // Probes still running at the end occupy their nodes too: the checker must see them.
    for (const probe of this.probes.values()) {
      this.intervals.push({
        monitor: probe.order.monitor,
        sensor: probe.order.sensor,
        startSeconds: probe.startMs / 1000,
        endSeconds: Math.min(probe.endMs, this.now) / 1000,
      });
    }
    const conflictReport = checkConflicts(this.intervals);
    const coverage = computeCoverage(this.completed, this.scope(), this.options.durationSeconds);
    return {
      algorithm: this.options.algorithm,
      nodes: this.options.nodes,
      seed: this.options.seed,
      durationSeconds: this.options.durationSeconds,
      eventSeconds: this.options.eventSeconds,
      ...coverage,
      floorSeconds: coverageFloorSeconds(this.options.nodes, this.options.eventSeconds),
      conflicts: conflictReport.conflicts,
      conflictReport,
      abortedProbes: this.abortedProbes,
      messagesSent: this.messagesSent,
      messagesLost: this.messagesLost,
      eventCounts: { ...this.eventCounts },
    };
  }
}

export function simulate(options: SimulationOptions): SimulationResult {
  return new Simulation(options).run();
}
