import { describe, expect, it } from '@jest/globals';
import { healthSettings } from './health-settings.js';

describe(healthSettings.name, () => {
  it('health settings - none without MESHMON_HEALTH_PORT: a plain process exits on bad settings', () => {
    expect(healthSettings('controller', {})).toBeNull();
    expect(healthSettings('controller', { MESHMON_HEALTH_PORT: '  ' })).toBeNull();
  });

  it('health settings - the port on every interface, for kubelet and Docker alike', () => {
    expect(healthSettings('sensor', { MESHMON_HEALTH_PORT: '9512' })).toEqual({
      port: 9512,
      host: '0.0.0.0',
      problems: [],
    });
  });

  it.each(['0', '65536', 'abc', '94.1'])(
    'health settings - a bad port %s falls back to the service default and names the rule',
    (raw) => {
      expect(healthSettings('monitor', { MESHMON_HEALTH_PORT: raw })).toEqual({
        port: 9403,
        host: '0.0.0.0',
        problems: [
          { field: 'MESHMON_HEALTH_PORT', rule: `must be an integer in 1..65535 (got "${raw}")` },
        ],
      });
    },
  );
});
