import { SAMPLE_RESOURCE_SAMPLE } from '@meshmon/contracts';
import { measurementOffsetNs } from './point-time.js';
import { resourceSamplePoint } from './sample-points.js';

describe(resourceSamplePoint.name, () => {
  it("sample point - every figure as a field, tagged with the sample's identity and orchestrator", () => {
    const point = resourceSamplePoint(SAMPLE_RESOURCE_SAMPLE);

    expect(point.measurement).toBe('resource_samples');
    expect(point.tags).toEqual({
      cluster: 'lab',
      run: 'live',
      service: 'result-sink',
      node: 'sink-1',
      orchestrator: 'container',
    });
    expect(point.fields).toEqual({
      sample_id: 'k2b9x1.7',
      interval_ms: 5003,
      cpu_percent: 1.8,
      processes: 1,
      cpu_user_us: 812_000,
      cpu_system_us: 140_000,
      rss_bytes: 91_000_000,
      rss_anon_bytes: 52_000_000,
      heap_used_bytes: 21_000_000,
      heap_total_bytes: 30_000_000,
      event_loop_mean_ms: 10.2,
      event_loop_p99_ms: 12.5,
      event_loop_max_ms: 14.1,
      net_namespace: 4026532201,
      net_rx_bytes: 123_456,
      net_rx_packets: 900,
      net_tx_bytes: 654_321,
      net_tx_packets: 800,
      cgroup_version: 1,
      cgroup_processes: 1,
      cgroup_exclusive: true,
      cgroup_cpu_usage_ns: 960_000_000,
      cgroup_cpu_user_ns: 810_000_000,
      cgroup_cpu_system_ns: 150_000_000,
      cgroup_throttled_periods: 0,
      cgroup_throttled_ns: 0,
      cgroup_memory_bytes: 120_000_000,
      cgroup_memory_anon_bytes: 52_400_000,
    });
    const offset = String(measurementOffsetNs('k2b9x1.7')).padStart(6, '0');
    expect(point.timestamp).toBe(`1765000000000${offset}`);
  });

  it('sample point - no network, no cgroup, no CPU share yet: those fields are left out', () => {
    const bare = { ...SAMPLE_RESOURCE_SAMPLE, cpuPercent: null, net: null, cgroup: null };

    const fields = Object.keys(resourceSamplePoint(bare).fields ?? {});

    expect(fields.filter((name) => /^(net_|cgroup_|cpu_percent)/.test(name))).toEqual([]);
    expect(fields).toContain('cpu_user_us');
  });
});
