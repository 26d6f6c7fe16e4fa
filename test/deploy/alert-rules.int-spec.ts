/**
 * The alert rules: valid for promtool, their unit tests pass (promtool test rules, real
 * PromQL evaluation), every Meshmon metric they use is one the gateway registers, and the
 * Kubernetes component carries the same groups and scrapes the gateway's Service.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { K8S_DEFAULT, ROOT as REPO } from './deploy-paths.js';
import { gatewayMetricNames } from './gateway-metric-names.js';
import { renderKustomize } from './render-kustomize.js';
import { runTool } from './run-tool.js';

const RULES = join(REPO, 'infra/prometheus/meshmon-alerts.yml');
const RULE_TESTS = join(REPO, 'infra/prometheus/meshmon-alerts.test.yml');
const COMPONENT = join(REPO, 'k8s/components/prometheus');
const PROMTOOL_INSTALL = "Install Debian's prometheus package (bash infra/local/install.sh does).";

const promtool = (...args: string[]): string =>
  runTool({ tool: 'promtool', args, install: PROMTOOL_INSTALL });

interface RuleGroups {
  groups: { name: string; rules: { alert: string; expr: string }[] }[];
}

describe('alert rules', () => {
  it('alert rules - promtool finds them valid and their unit tests pass', () => {
    expect(promtool('check', 'rules', RULES)).toContain('SUCCESS: 7 rules found');
    expect(promtool('test', 'rules', RULE_TESTS)).toContain('SUCCESS');
  });

  it('alert rules - every Meshmon metric a rule uses is one the gateway registers', () => {
    const rules = parse(readFileSync(RULES, 'utf8')) as RuleGroups;
    const registered = gatewayMetricNames();
    const used = rules.groups
      .flatMap((group) => group.rules)
      .flatMap((rule) => [...rule.expr.matchAll(/meshmon_[a-z_]+/g)].map((match) => match[0]));
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('alert rules - the Kubernetes component has the same groups and scrapes the gateway', () => {
    // An overlay of the default deployment with the component, as a user would write it.
    const overlay = join(REPO, '.tmp/prometheus-overlay');
    mkdirSync(overlay, { recursive: true });
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources: [../../k8s]',
        'components: [../../k8s/components/prometheus]',
        '',
      ].join('\n'),
    );
    const objects = renderKustomize(overlay);
    const rule = objects.find((object) => object.kind === 'PrometheusRule') as unknown as {
      metadata: { namespace: string };
      spec: RuleGroups;
    };
    const plain = parse(readFileSync(RULES, 'utf8')) as RuleGroups;
    expect(rule.spec.groups).toEqual(plain.groups);
    expect(rule.metadata.namespace).toBe('meshmon');

    const monitor = objects.find((object) => object.kind === 'ServiceMonitor') as unknown as {
      spec: {
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path: string }[];
      };
    };
    const gateway = objects.find(
      (object) => object.kind === 'Service' && object.metadata.name === 'gateway',
    ) as unknown as {
      metadata: { labels: Record<string, string> };
      spec: { ports: { name: string }[] };
    };
    expect(gateway.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(gateway.spec.ports.map((port) => port.name)).toContain(monitor.spec.endpoints[0].port);
    expect(monitor.spec.endpoints[0].path).toBe('/metrics');
    // The component is optional: the default deployment has neither object.
    const plainDeploy = renderKustomize(K8S_DEFAULT);
    expect(plainDeploy.filter((object) => object.kind === 'PrometheusRule')).toEqual([]);
    expect(readdirSync(COMPONENT).sort()).toEqual([
      'kustomization.yaml',
      'prometheus-rule.yaml',
      'service-monitor.yaml',
    ]);
  });
});
