import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './deploy-paths.js';

/**
 * Every `meshmon_*` metric name the gateway's sources register with prom-client (a quoted
 * literal: `name: '...'` or a helper's first argument), for the tests of what queries it.
 */
export function gatewayMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/'(meshmon_[a-z_]+)'/g))
          names.add(match[1]);
      }
    }
  };
  walk(join(ROOT, 'apps/gateway/src'));
  return names;
}
