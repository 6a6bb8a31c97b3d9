/**
 * Written numbers are compared at the precision they were written with: "8 min" agrees with a
 * derived 7.6 (it is 7.6 rounded), "12 min" does not agree with 11. Approximate values ("~132 min")
 * get 10 % slack.
 */
const UNIT_MINUTES: Array<[RegExp, number]> = [
  [/^(h|hr|hrs|hour|hours)\b/i, 60],
  [/^(s|sec|secs|second|seconds)\b/i, 1 / 60],
  [/^(ms)\b/i, 1 / 60000],
  [/^(d|day|days)\b/i, 1440],
];

export function minutesTolerance(text: string): number {
  const m = /(\d[\d,]*)(?:\.(\d+))?\s*([a-zA-Z]*)/.exec(text);
  if (!m) return 0.5;
  const decimals = m[2]?.length ?? 0;
  const unitWord = m[3] ?? '';
  const unit = UNIT_MINUTES.find(([re]) => re.test(unitWord))?.[1] ?? 1;
  const half = 0.5 * 10 ** -decimals * unit;
  return /[~≈<>]|approx/i.test(text) ? Math.max(half, 0) : half;
}

export function agreesMinutes(text: string, written: number, derived: number): boolean {
  const tol = minutesTolerance(text);
  const approx = /[~≈]|approx/i.test(text);
  return Math.abs(written - derived) <= (approx ? Math.max(tol, Math.abs(derived) * 0.1) : tol) + 1e-9;
}

/** Bar cells a percent should fill, for a bar of any width. */
export function expectedCells(percent: number, cells: number): number {
  return Math.round((percent / 100) * cells);
}
