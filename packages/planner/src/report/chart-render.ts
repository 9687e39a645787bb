// Rendering of one ECharts option to an SVG string on the server (echarts.init(null, null, { renderer:
// "svg", ssr: true }) + renderToSVGString()), shared by every chart of the report. Pure: option in, SVG out.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, SVGRenderer]);

export interface ChartSize {
  width?: number;
  height?: number;
}

export const PALETTE = ["#1f6feb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777", "#4b5563"];
const FONT = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

export type ChartOption = Parameters<echarts.ECharts["setOption"]>[0];

/** Renames zrender's counter-based ids and classes (zr7-c0, zr7-cls-12) to mp-<chart>-c0, mp-<chart>-cls-0 in order of appearance. */
export function renameZrenderIds(svg: string, name: string): string {
  const seen = new Map<string, string>();
  const counters = { "cls-": 0, c: 0 } as Record<string, number>;
  return svg.replace(/\bzr\d+-(cls-|c)(\d+)\b/g, (token, kind: string) => {
    let renamed = seen.get(token);
    if (!renamed) {
      renamed = `mp-${name}-${kind}${counters[kind]++}`;
      seen.set(token, renamed);
    }
    return renamed;
  });
}

/**
 * Renders an option to SVG. zrender names clip paths and CSS classes after a per-process instance
 * counter (zr7-c0, zr7-cls-1); they are renamed after the chart so the output is deterministic and the
 * charts can sit in one page without id clashes.
 */
export function renderSvg(name: string, option: ChartOption, size: ChartSize, fallback: { width: number; height: number }): string {
  const width = size.width ?? fallback.width;
  const height = size.height ?? fallback.height;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: FONT }, ...option });
    return renameZrenderIds(chart.renderToSVGString(), name);
  } finally {
    chart.dispose();
  }
}

/** Short USD axis label: $1.2M, −$350k, $0.012. */
export function shortUsd(v: number): string {
  const a = Math.abs(v);
  const sign = v < 0 ? "−" : "";
  if (a >= 1e9) return `${sign}$${(a / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${sign}$${(a / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${sign}$${(a / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  if (a >= 1) return `${sign}$${a.toFixed(0)}`;
  if (a === 0) return "$0";
  return `${sign}$${a.toPrecision(2)}`;
}

/** Short count axis label: 1.2M, 350k, 12, −3 (the minus sign, as shortUsd). */
export function shortCount(v: number): string {
  const a = Math.abs(v);
  const sign = v < 0 ? "−" : "";
  if (a >= 1e9) return `${sign}${(a / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${sign}${(a / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${sign}${(a / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return a === 0 ? "0" : `${sign}${Number(a.toPrecision(3))}`;
}

/** Short ratio axis label: 3×, 0.5×, −2× (the minus sign). */
export function shortRatio(v: number): string {
  return `${shortCount(v)}×`;
}

/**
 * The smallest magnitude a chart draws; a value below it is drawn as 0. ECharts cannot lay out a value
 * axis whose extent is about 1e-30 or smaller (its tick precision runs out and it throws), and no chart
 * here — USD, users, months, ratios — shows anything below a billionth of its unit.
 */
export const CHART_RESOLUTION = 1e-9;

/** A value as drawn: to `digits` significant digits (fewer in the path data), 0 below CHART_RESOLUTION. */
export function drawable(v: number, digits = 6): number {
  return Math.abs(v) < CHART_RESOLUTION ? 0 : Number(v.toPrecision(digits));
}

/** Rounds a series for the SVG (drawable); null and non-finite values stay a gap. */
export function rounded(data: (number | null)[], digits = 6): (number | null)[] {
  return data.map((v) => (v === null || !Number.isFinite(v) ? null : drawable(v, digits)));
}

/** True when two series are equal within a relative tolerance (drawn once and labelled as identical). */
export function sameSeries(a: number[], b: number[], relTol = 1e-9): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= relTol * Math.max(1, Math.abs(v), Math.abs(b[i])));
}
