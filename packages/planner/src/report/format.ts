// Number and text formatting shared by the HTML and Markdown reports.

/** USD with thousands separators; small amounts keep 3 significant digits ($0.00123). */
export function formatUsd(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const sign = v < 0 ? "−" : "";
  const a = Math.abs(v);
  if (a === 0) return "$0";
  if (a < 1) return `${sign}$${a.toPrecision(3)}`;
  if (a < 100) return `${sign}$${a.toFixed(2)}`;
  return `${sign}$${Math.round(a).toLocaleString("en-US")}`;
}

/** The sign of a figure as the reports write it: the minus sign (U+2212), as formatUsd and formatPct do, never a hyphen. */
function minus(v: number): string {
  return v < 0 ? "−" : "";
}

export function formatNumber(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && a < 0.01) return `${minus(v)}${a.toPrecision(3)}`;
  const text = a.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return text === "0" ? text : `${minus(v)}${text}`;
}

export function formatPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return `${minus(v)}${Math.abs(v).toFixed(digits)}%`;
}

/** A number with a fixed count of decimals (months, ratios in tables): 13.9, −6.79. */
export function formatFixed(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const text = Math.abs(v).toFixed(digits);
  return Number(text) === 0 ? text : `${minus(v)}${text}`;
}

/** A ratio with its sign: 1.80×, −0.50×. */
export function formatRatio(v: number | null | undefined, digits = 2): string {
  const text = formatFixed(v, digits);
  return text === "—" ? text : `${text}×`;
}

export function formatValue(v: number | string | boolean | null): string {
  if (v === null) return "—";
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en-US") : Number(v.toPrecision(6)).toLocaleString("en-US", { maximumSignificantDigits: 6 });
  return String(v);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Escapes text that may come from a user (a scenario's name, a revenue line's) for Markdown prose:
 * HTML as entities — Markdown renderers pass raw HTML through, so `<script>` would run — and the
 * characters that make links, images, code and emphasis as backslash escapes (CommonMark §2.4).
 * Line breaks become spaces: a name cannot start a heading or a list.
 */
export function mdText(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]!]/g, (ch) => `\\${ch}`)
    .replace(/\s*[\r\n]+\s*/g, " ");
}

/** Escapes text for a Markdown table cell: as mdText, and `|` too. */
export function mdCell(s: string): string {
  return mdText(s).replace(/\|/g, "\\|");
}
