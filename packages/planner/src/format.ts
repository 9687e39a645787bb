// Number formatting for the plan's own sentences (crossover reasons, recommendation texts, option
// labels). The reports format tables with report/format.ts.

/** The sign of a negative figure: the minus sign (U+2212), as the reports write it, never a hyphen. */
function minus(n: number): string {
  return n < 0 ? "−" : "";
}

/** Compact number: 1.23B, 4.56M, 12.3k, 456, 7.89, 0.0123, −6.79. */
export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a === 0) return "0.00";
  if (a >= 1e9) return `${minus(n)}${(a / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${minus(n)}${(a / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${minus(n)}${(a / 1e3).toFixed(1)}k`;
  if (a >= 100) return `${minus(n)}${a.toFixed(0)}`;
  if (a >= 1) return `${minus(n)}${a.toFixed(2)}`;
  return `${minus(n)}${a.toPrecision(3)}`;
}

/** USD amount in a sentence: $1.23M, −$4.5k. */
export function fmtUsd(n: number): string {
  return n < 0 ? `−$${fmtNum(-n)}` : `$${fmtNum(n)}`;
}

/** Token counts: 10M, 1.5B. */
export function fmtTokens(n: number): string {
  if (n >= 1e12) return `${Number((n / 1e12).toPrecision(3))}T`;
  if (n >= 1e9) return `${Number((n / 1e9).toPrecision(3))}B`;
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (n >= 1e3) return `${Number((n / 1e3).toPrecision(3))}k`;
  return String(n);
}

/** A catalog price with at most 4 significant digits (0.15, 2.5). */
export function fmtPrice(n: number): string {
  return Number(n.toPrecision(4)).toString();
}

/** A percentage with one decimal: 68.5%, −207.8%. */
export function fmtPct(n: number): string {
  const text = Math.abs(n).toFixed(1);
  return Number(text) === 0 ? `${text}%` : `${minus(n)}${text}%`;
}
