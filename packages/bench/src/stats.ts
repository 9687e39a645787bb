/** Statistics of timed samples. Pure. */

/** Quantile of an ascending-sorted sample, linear interpolation between order statistics (Hyndman–Fan type 7). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error("quantile of an empty sample");
  if (q <= 0) return sorted[0];
  if (q >= 1) return sorted[sorted.length - 1];
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Distribution-free 95% confidence interval of the median from order statistics: the ranks
 * ⌊(n − 1.96√n)/2⌋ and ⌈1 + (n + 1.96√n)/2⌉ (1-based, clamped to [1, n]) — the normal approximation
 * of the binomial(n, ½) interval (Conover, Practical Nonparametric Statistics, §3.2).
 */
export function medianCi95Sorted(sorted: readonly number[]): { low: number; high: number } {
  const n = sorted.length;
  if (n === 0) throw new Error("confidence interval of an empty sample");
  const half = 1.96 * Math.sqrt(n);
  const lowRank = Math.max(1, Math.floor((n - half) / 2));
  const highRank = Math.min(n, Math.ceil(1 + (n + half) / 2));
  return { low: sorted[lowRank - 1], high: sorted[highRank - 1] };
}

export interface SampleStats {
  n: number;
  median: number;
  p10: number;
  p90: number;
  mean: number;
  min: number;
  max: number;
  ciLow: number;
  ciHigh: number;
  /** Larger side of the 95% CI of the median, relative to the median: max(m − lo, hi − m)/m. */
  ciHalfWidthRel: number;
}

export function summarize(samples: readonly number[]): SampleStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantileSorted(sorted, 0.5);
  const ci = medianCi95Sorted(sorted);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    n: sorted.length,
    median,
    p10: quantileSorted(sorted, 0.1),
    p90: quantileSorted(sorted, 0.9),
    mean,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    ciLow: ci.low,
    ciHigh: ci.high,
    ciHalfWidthRel: median > 0 ? Math.max(median - ci.low, ci.high - median) / median : Infinity,
  };
}

/** The stopping rule: the 95% CI of the median lies within ±`tolerance` of the median. */
export function isStable(samples: readonly number[], tolerance: number, minSamples: number): boolean {
  if (samples.length < minSamples) return false;
  return summarize(samples).ciHalfWidthRel <= tolerance;
}

/** Median of an unsorted list. */
export function median(xs: readonly number[]): number {
  return quantileSorted([...xs].sort((a, b) => a - b), 0.5);
}
