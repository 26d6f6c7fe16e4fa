/**
 * Resource amounts in one unit per kind, so that Kubernetes quantities (`500m`, `512Mi`)
 * and Docker's (`0.5` cpus, `512M` = 512 MiB, or bytes once `docker stack config`
 * normalised them) compare as numbers.
 */

const K8S_MEMORY_SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** Docker's RAMInBytes: the suffixes are binary, whatever their case. */
const DOCKER_MEMORY_SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
  t: 2 ** 40,
};

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

/** A Kubernetes CPU quantity in millicores: `50m` -> 50, `2` -> 2000, `0.5` -> 500. */
export function k8sMillicores(quantity: string | number): number {
  const text = String(quantity);
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
  if (!match) throw new QuantityError(`"${text}" is not a CPU quantity`);
  return Math.round(Number(match[1]) * (match[2] === 'm' ? 1 : 1000));
}

/** A Kubernetes memory quantity in bytes: `64Mi` -> 67108864, `1G` -> 1e9. */
export function k8sBytes(quantity: string | number): number {
  const text = String(quantity);
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T|)$/.exec(text);
  if (!match) throw new QuantityError(`"${text}" is not a memory quantity`);
  return Math.round(Number(match[1]) * K8S_MEMORY_SUFFIX[match[2]]);
}

/** Docker `cpus` in millicores: `0.05` -> 50. */
export function dockerMillicores(cpus: string | number): number {
  const text = String(cpus);
  if (!/^\d+(?:\.\d+)?$/.test(text)) throw new QuantityError(`"${text}" is not a cpus value`);
  return Math.round(Number(text) * 1000);
}

/** Docker memory in bytes: `"536870912"`, `512M`, `1g`. */
export function dockerBytes(memory: string | number): number {
  const text = String(memory);
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(text);
  if (!match) throw new QuantityError(`"${text}" is not a memory value`);
  return Math.round(Number(match[1]) * DOCKER_MEMORY_SUFFIX[match[2].toLowerCase()]);
}

/** Compose durations (`10s`, `1m30s`, `500ms`) in seconds. */
export function durationSeconds(duration: string | undefined): number | undefined {
  if (duration === undefined) return undefined;
  const units: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  let rest = duration;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!match) throw new QuantityError(`"${duration}" is not a duration`);
    total += Number(match[1]) * units[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** An optional setting through one of the parsers above: null when it is not set. */
export function quantity(value: string | undefined, parse: (v: string) => number): number | null {
  return value === undefined ? null : parse(value);
}
