/**
 * The Grafana dashboard (infra/grafana): every query names what exists. Prometheus
 * expressions name metrics the gateway registers; InfluxQL queries name the result sink's
 * measurements, fields and tags (libs/influx-store's schema); every panel's data source is
 * one the provisioning file defines.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MEASUREMENTS, RTT_FIELDS, TAGS, THROUGHPUT_FIELDS } from '@meshmon/influx-store';
import { ROOT } from './deploy-paths.js';
import { gatewayMetricNames } from './gateway-metric-names.js';

interface Target {
  readonly datasource: { readonly uid: string; readonly type: string };
  readonly expr?: string;
  readonly query?: string;
}
interface Dashboard {
  readonly uid: string;
  readonly panels: { title: string; targets: Target[] }[];
  readonly templating: {
    list: { name: string; datasource: { uid: string }; definition: string }[];
  };
}

const dashboard = JSON.parse(
  readFileSync(join(ROOT, 'infra/grafana/dashboards/meshmon.json'), 'utf8'),
) as Dashboard;
const provisioned = parse(
  readFileSync(join(ROOT, 'infra/grafana/provisioning/datasources/meshmon.yml'), 'utf8'),
) as { datasources: { uid: string; type: string; database?: string }[] };
const targets = dashboard.panels.flatMap((panel) => panel.targets);

/** Identifiers an InfluxQL query names in double quotes: measurements, fields and tags. */
const quoted = (query: string): string[] =>
  [...query.matchAll(/"([a-z_]+)"/g)].map((match) => match[1]);

describe('Grafana dashboard', () => {
  it('dashboard - every Prometheus query names metrics the gateway registers', () => {
    const registered = gatewayMetricNames();
    const expressions = [
      ...targets.flatMap((target) => (target.expr ? [target.expr] : [])),
      ...dashboard.templating.list.map((variable) => variable.definition),
    ];
    const used = expressions.flatMap((expr) =>
      [...expr.matchAll(/meshmon_[a-z_]+/g)].map((match) => match[0]),
    );
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('dashboard - every InfluxQL query names a measurement, fields and tags of the sink’s schema', () => {
    const queries = targets.flatMap((target) => (target.query ? [target.query] : []));
    expect(queries.length).toBeGreaterThanOrEqual(2);
    const known: Record<string, Set<string>> = {
      [MEASUREMENTS.throughput]: new Set([
        ...Object.values(THROUGHPUT_FIELDS),
        ...Object.values(TAGS),
      ]),
      [MEASUREMENTS.rtt]: new Set([...Object.values(RTT_FIELDS), ...Object.values(TAGS)]),
    };
    for (const query of queries) {
      const measurement = /FROM "([a-z_]+)"/.exec(query)?.[1] ?? '';
      expect([query, Object.keys(known)]).toEqual([query, expect.arrayContaining([measurement])]);
      const names = quoted(query).filter((name) => name !== measurement);
      expect(names.filter((name) => !known[measurement].has(name))).toEqual([]);
    }
  });

  it('dashboard - every panel and variable uses a provisioned data source of its type', () => {
    const sources = new Map(provisioned.datasources.map((source) => [source.uid, source.type]));
    for (const target of targets)
      expect(sources.get(target.datasource.uid)).toBe(target.datasource.type);
    for (const variable of dashboard.templating.list)
      expect(sources.has(variable.datasource.uid)).toBe(true);
    expect(provisioned.datasources.find((source) => source.type === 'influxdb')?.database).toBe(
      'meshmon',
    );
  });
});
