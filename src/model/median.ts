/**
 * The median of a list of numbers (the mean of the middle two for an even count; NaN for none).
 * Sorted as a Float64Array: the typed array's numeric sort needs no comparator call per pair,
 * several times faster on the 20,000 durations of a large project.
 */
export function median(xs: readonly number[]): number {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
