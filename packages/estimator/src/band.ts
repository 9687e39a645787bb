import type { Band, SourcedBand } from "./types";

export function band(low: number, expected: number, high: number): Band {
  return { low, expected, high };
}

export function constantBand(value: number): Band {
  return { low: value, expected: value, high: value };
}

/** Apply f to each point; `f` must be monotone non-decreasing so the order is kept. */
export function mapBand(b: Band, f: (x: number) => number): Band {
  return { low: f(b.low), expected: f(b.expected), high: f(b.high) };
}

export function scaleBand(b: Band, factor: number): Band {
  return { low: b.low * factor, expected: b.expected * factor, high: b.high * factor };
}

/**
 * Time-like quantities are inversely proportional to a rate band: the low time comes from the
 * high rate. `work / rate` for each point, re-ordered so low ≤ expected ≤ high.
 */
export function divideByBand(work: number, rate: Band): Band {
  return { low: work / rate.high, expected: work / rate.expected, high: work / rate.low };
}

export function combineBands(a: Band, b: Band, f: (x: number, y: number) => number): Band {
  return { low: f(a.low, b.low), expected: f(a.expected, b.expected), high: f(a.high, b.high) };
}

export function sortedBand(b: Band): Band {
  const [low, expected, high] = [b.low, b.expected, b.high].sort((x, y) => x - y);
  return { low, expected, high };
}

export function withSource(b: Band, source: string): SourcedBand {
  return { low: b.low, expected: b.expected, high: b.high, source };
}

export function roundBand(b: Band, significant = 4): Band {
  return mapBand(b, (x) => roundSig(x, significant));
}

export function roundSig(x: number, significant = 4): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(significant));
}
