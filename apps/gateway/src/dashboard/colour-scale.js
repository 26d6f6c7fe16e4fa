// One sequential colour scale for both matrices: viridis, which stays ordered in grey
// scale and for the common colour-vision deficiencies. Dark purple is the worse end,
// yellow the better one; RTT is mapped reversed, so that yellow always means "good".

const STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** Colour at t in 0..1 (0 = worse, 1 = better), as an `rgb()` string. */
export function colourAt(t) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const position = clamped * (STOPS.length - 1);
  const index = Math.min(STOPS.length - 2, Math.floor(position));
  const within = position - index;
  const [a, b] = [STOPS[index], STOPS[index + 1]];
  const channel = (i) => Math.round(a[i] + (b[i] - a[i]) * within);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

/** Black text on the light half of the scale, white on the dark half (contrast > 4.5). */
export const textColourAt = (t) => (t >= 0.55 ? '#111' : '#fff');

/** The CSS gradient of the scale from worse (left) to better (right), for the legend. */
export const gradientCss = () =>
  `linear-gradient(to right, ${STOPS.map((c) => `rgb(${c.join(', ')})`).join(', ')})`;

/**
 * The least span of the RTT scale, in ms: on a LAN 0.02 against 0.05 ms is the probe's own
 * noise, and a scale from the minimum to the maximum would paint it as best against worst.
 */
export const RTT_NOISE_FLOOR_MS = 1;

/**
 * Maps a metric's values onto 0..1. Throughput is relative to the best pair (0 Mbit/s is
 * the worst possible), so a uniformly fast mesh stays uniformly bright. RTT runs from the
 * best pair's up, reversed, over at least RTT_NOISE_FLOOR_MS or the best RTT itself
 * (whichever is more): differences within that look alike, a pair twice as slow as the
 * best or 1 ms slower stands out. `floored` says the span is the floor, not the data's.
 */
export function scaleFor(metric, values) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { t: () => 0.5, min: null, max: null, floored: false };
  const max = Math.max(...finite);
  if (metric === 'throughput') {
    return { t: (v) => (max > 0 ? v / max : 1), min: 0, max, floored: false };
  }
  const min = Math.min(...finite);
  const floor = Math.max(RTT_NOISE_FLOOR_MS, min);
  const span = Math.max(max - min, floor);
  const worst = min + span;
  return {
    t: (v) => Math.min(1, Math.max(0, (worst - v) / span)),
    min,
    max: worst,
    floored: max - min < floor,
  };
}
