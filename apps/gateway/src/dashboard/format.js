// Number and time formatting in one place, so every panel writes figures the same way.

const oneDecimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const twoDecimals = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const timeOfDay = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

/** Bits per second as Mbit/s with one decimal: `479.0`. */
export const mbps = (bitsPerSecond) =>
  isNumber(bitsPerSecond) ? oneDecimal.format(bitsPerSecond / 1e6) : '–';

/** Milliseconds with two decimals (loopback RTTs are well below 1 ms). */
export const ms = (value) => (isNumber(value) ? twoDecimals.format(value) : '–');

/** A 0..1 ratio as a percentage. */
export const percent = (ratio) => (isNumber(ratio) ? `${oneDecimal.format(ratio * 100)} %` : '–');

export const ratio = (value) => (isNumber(value) ? `${twoDecimals.format(value)}×` : '–');

export const decimal = (value) => (isNumber(value) ? twoDecimals.format(value) : '–');

/** A duration for people: `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`. */
export function duration(valueMs) {
  if (!isNumber(valueMs)) return '–';
  if (valueMs < 1000) return `${Math.round(valueMs)} ms`;
  const seconds = valueMs / 1000;
  if (seconds < 60) return `${oneDecimal.format(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** How long ago, from the browser's clock (node clocks may differ by a little). */
export function ago(atMs, nowMs = Date.now()) {
  if (!isNumber(atMs)) return 'never';
  const elapsed = Math.max(0, nowMs - atMs);
  return elapsed < 1000 ? 'just now' : `${duration(elapsed)} ago`;
}

export const clock = (atMs) => (isNumber(atMs) ? timeOfDay.format(new Date(atMs)) : '–');
