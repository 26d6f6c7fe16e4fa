import { Inject, Injectable } from '@nestjs/common';
import {
  findNodeOutliers,
  findPairOutliers,
  type OutlierThresholds,
  type PairMatrix,
} from '@meshmon/analysis';
import { Gauge } from 'prom-client';
import { ApiError } from '../http/api-error.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { LiveView } from '../view/live-view.js';
import type { OutlierMetricName, OutliersDto, OutliersQueryDto } from './outliers.dto.js';

/**
 * The lab's outlier rule (libs/analysis findOutliers) over each pair's last good figures
 * in the live view; the threshold comes from the request, else the configuration.
 */
@Injectable()
export class OutliersService {
  constructor(
    @Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime,
    @Inject(LiveView) private readonly view: LiveView,
    @Inject(GatewayMetrics) metrics: GatewayMetrics,
  ) {
    const find = (metric: OutlierMetricName) => this.find({ metric });
    const cluster = runtime.subjects.cluster;
    // The nodes GET /api/v1/outliers names, with the configured thresholds, on /metrics.
    new Gauge({
      name: 'meshmon_node_outlier',
      help: 'A node the outlier rule names (value 1; absent otherwise), by metric: throughput or rtt',
      labelNames: ['cluster', 'node', 'metric'] as const,
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const metric of ['throughput', 'rtt'] as const) {
          for (const outlier of find(metric).nodes)
            this.set({ cluster, node: outlier.node, metric }, 1);
        }
      },
    });
  }

  find(query: OutliersQueryDto): OutliersDto {
    const metric: OutlierMetricName = query.metric ?? 'throughput';
    const thresholds = this.thresholds(metric, query.threshold);
    const threshold = metric === 'throughput' ? thresholds.throughputRatio : thresholds.rttRatio;
    const matrix: PairMatrix = {};
    for (const [monitor, sensor, stats] of this.view.measuredPairs()) {
      const value = metric === 'throughput' ? stats.lastBitsPerSecond : stats.lastRttMs;
      if (value !== null && this.view.hasNode(monitor) && this.view.hasNode(sensor)) {
        (matrix[monitor] ??= {})[sensor] = value;
      }
    }
    const nodes = this.view.nodes().map((node) => node.node);
    const ratio = (value: number, typical: number): number => (typical > 0 ? value / typical : 0);
    return {
      metric,
      rule: ruleText(metric, thresholds),
      threshold,
      nodes: findNodeOutliers(nodes, matrix, metric, thresholds).map((outlier) => ({
        node: outlier.node,
        role: this.view.role(outlier.node),
        median: outlier.nodeMedian,
        clusterMedian: outlier.clusterMedian,
        ratio: ratio(outlier.nodeMedian, outlier.clusterMedian),
      })),
      pairs: findPairOutliers(matrix, metric, thresholds).map((outlier) => ({
        monitor: outlier.monitor,
        sensor: outlier.sensor,
        value: outlier.value,
        clusterMedian: outlier.clusterMedian,
        ratio: ratio(outlier.value, outlier.clusterMedian),
      })),
    };
  }

  private thresholds(metric: OutlierMetricName, raw: string | undefined): OutlierThresholds {
    const configured = this.runtime.config.outliers;
    if (raw === undefined) return configured;
    const value = Number(raw);
    if (metric === 'throughput') {
      if (!(value > 0 && value < 1)) {
        throw ApiError.invalid([
          { field: 'threshold', rule: 'must be between 0 and 1, exclusive, for throughput' },
        ]);
      }
      return { ...configured, throughputRatio: value };
    }
    if (!(value > 1 && value <= 1000)) {
      throw ApiError.invalid([
        { field: 'threshold', rule: 'must be above 1 and at most 1000 for rtt' },
      ]);
    }
    return { ...configured, rttRatio: value };
  }
}

function ruleText(metric: OutlierMetricName, thresholds: OutlierThresholds): string {
  return metric === 'throughput'
    ? `throughput below ${thresholds.throughputRatio} x the cluster median (nodes: median over their pairs, worst first, re-judged without it while a majority remains; pairs: last value against the median over all pairs)`
    : `RTT above ${thresholds.rttRatio} x the cluster median and more than ${thresholds.rttMinExcessMs} ms above it (nodes: median over their pairs, worst first, re-judged without it while a majority remains; pairs: last value against the median over all pairs)`;
}
