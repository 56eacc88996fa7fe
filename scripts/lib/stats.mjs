/** Summary statistics the benchmark scripts report. */

/** The q-quantile of `values` (linear interpolation between order statistics); NaN when empty. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The median of `values`; NaN when empty. */
export const median = (values) => quantile(values, 0.5);

/** A number with `digits` decimals, or "n/a" when it is not finite. */
export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
