import { describe, expect, it } from '@jest/globals';
import {
  QuantityError,
  dockerBytes,
  dockerMillicores,
  durationSeconds,
  k8sBytes,
  k8sMillicores,
} from './quantities.js';

describe('quantities', () => {
  it('k8sMillicores - reads millicores and whole or fractional cores', () => {
    expect([
      k8sMillicores('50m'),
      k8sMillicores('2'),
      k8sMillicores('0.5'),
      k8sMillicores(1),
    ]).toEqual([50, 2000, 500, 1000]);
  });

  it('dockerMillicores - matches the Kubernetes value of the same amount', () => {
    expect(dockerMillicores('0.05')).toBe(k8sMillicores('50m'));
    expect(dockerMillicores('2')).toBe(k8sMillicores('2'));
  });

  it('k8sBytes - tells binary suffixes from decimal ones', () => {
    expect(k8sBytes('512Mi')).toBe(536_870_912);
    expect(k8sBytes('512M')).toBe(512_000_000);
    expect(k8sBytes('1Gi')).toBe(2 ** 30);
  });

  it('dockerBytes - reads Docker suffixes as binary and bare numbers as bytes', () => {
    expect(dockerBytes('512M')).toBe(k8sBytes('512Mi'));
    expect(dockerBytes('536870912')).toBe(k8sBytes('512Mi'));
    expect(dockerBytes('1g')).toBe(k8sBytes('1Gi'));
  });

  it('durationSeconds - adds up compound durations', () => {
    expect([durationSeconds('10s'), durationSeconds('1m30s'), durationSeconds('500ms')]).toEqual([
      10, 90, 0.5,
    ]);
  });

  it('rejects what is not a quantity, naming it', () => {
    expect(() => k8sMillicores('half')).toThrow(new QuantityError('"half" is not a CPU quantity'));
    expect(() => k8sBytes('64MB')).toThrow(QuantityError);
    expect(() => durationSeconds('10 s')).toThrow(QuantityError);
  });
});
