// Medians and 95th percentiles of timings (ms), as the face peers report them.
//
// Example:
//   import { median, p95 } from "./timing.mjs";
//   median([3, 1, 2]);      // 2
//   p95([1, 2, 3, 4]);      // 4 (nearest rank)

/** The median (mean of the middle two for an even count); NaN for an empty list. */
export function median(values) {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The 95th percentile by nearest rank (the ⌈0.95·n⌉-th smallest); NaN for an empty list. */
export function p95(values) {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.max(0, Math.ceil(0.95 * s.length) - 1)];
}
