// Charts of a plan, rendered on the server to SVG strings with Apache ECharts' SSR SVG renderer
// (echarts.init(null, null, { renderer: "svg", ssr: true }) + renderToSVGString()). Pure: plan in, SVG out.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import type { Plan } from "../types";
import { formatUsd } from "./format";

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, SVGRenderer]);

export const CHART_NAMES = ["monthly-cost", "cumulative-cash", "sensitivity-tornado"] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface ChartSize {
  width?: number;
  height?: number;
}

const PALETTE = ["#1f6feb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777", "#4b5563"];
const FONT = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

type Option = Parameters<echarts.ECharts["setOption"]>[0];

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
 * three charts can sit in one page without id clashes.
 */
function render(name: ChartName, option: Option, size: ChartSize, fallback: { width: number; height: number }): string {
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

function shortUsd(v: number): string {
  const a = Math.abs(v);
  const sign = v < 0 ? "−" : "";
  if (a >= 1e9) return `${sign}$${(a / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${sign}$${(a / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${sign}$${(a / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  if (a >= 1) return `${sign}$${a.toFixed(0)}`;
  return `${sign}$${a.toPrecision(2)}`;
}

/** The options drawn in the monthly-cost chart: the chosen deployment, each month's cheapest, the best hosted and self-hosted. */
export function monthlyCostSeries(plan: Plan, maxSeries = 7): { name: string; data: number[]; chosen: boolean }[] {
  const series: { name: string; data: number[]; chosen: boolean }[] = [];
  const multi = plan.workloads.length > 1;
  series.push({ name: multi ? "Chosen deployment (all use cases)" : `Chosen: ${labelOf(plan, plan.results.chosen.optionIds[0])}`, data: plan.months.map((m) => m.computeCostUsd), chosen: true });
  if (multi) series.push({ name: "Cheapest option each month (all use cases)", data: plan.months.map((m) => m.cheapestComputeCostUsd), chosen: false });
  const picked = new Set<string>(plan.results.chosen.optionIds);
  const candidates: string[] = [];
  for (const w of plan.workloads) {
    const opts = plan.options.filter((o) => o.workload === w.useCase && !o.interruptible);
    for (const id of w.cheapestByMonth) if (!candidates.includes(id)) candidates.push(id);
    const bestOf = (kind: string, pricing?: string) => opts.filter((o) => o.kind === kind && (!pricing || o.pricing === pricing)).sort((a, b) => a.totalCostUsd - b.totalCostUsd)[0];
    for (const o of [bestOf("hosted"), bestOf("self-host", "on-demand"), bestOf("self-host", "reserved"), bestOf("fine-tune")]) if (o && !candidates.includes(o.id)) candidates.push(o.id);
  }
  for (const id of candidates) {
    if (series.length >= maxSeries) break;
    if (picked.has(id)) continue;
    picked.add(id);
    const o = plan.options.find((x) => x.id === id);
    if (!o) continue;
    series.push({ name: (multi ? `${o.workload}: ` : "") + o.label, data: o.series.computeCostUsd, chosen: false });
  }
  return series;
}

function labelOf(plan: Plan, optionId: string): string {
  return plan.options.find((o) => o.id === optionId)?.label ?? optionId;
}

/** Monthly compute cost of the chosen deployment and the main alternative options (line chart, log scale when costs span > 2 decades). */
export function monthlyCostChartSvg(plan: Plan, size: ChartSize = {}): string {
  const series = monthlyCostSeries(plan);
  const values = series.flatMap((s) => s.data);
  const positive = values.every((v) => v > 0);
  const spread = positive ? Math.max(...values) / Math.min(...values) : 0;
  const log = positive && spread > 100;
  const height = size.height ?? 380 + 18 * series.length;
  return render(
    "monthly-cost",
    {
      title: { text: "Monthly compute cost per deployment option", subtext: log ? "USD per month, log scale" : "USD per month", left: 10, top: 6, textStyle: { fontSize: 14 } },
      legend: { type: "plain", orient: "vertical", bottom: 4, left: 10, itemHeight: 8, textStyle: { fontSize: 11, width: 860, overflow: "truncate" } },
      grid: { left: 70, right: 24, top: 70, bottom: 28 + 18 * series.length + 24 },
      xAxis: { type: "category", name: "month", nameLocation: "middle", nameGap: 24, data: plan.months.map((m) => String(m.month)) },
      yAxis: { type: log ? "log" : "value", axisLabel: { formatter: (v: number) => shortUsd(v) } },
      series: series.map((s) => ({
        type: "line",
        name: s.name,
        data: s.data.map((v) => Number(v.toPrecision(6))),
        showSymbol: plan.months.length <= 24,
        symbolSize: 4,
        lineStyle: { width: s.chosen ? 3.5 : 1.6 },
        z: s.chosen ? 10 : 2,
      })),
    },
    { ...size, height },
    { width: 900, height },
  );
}

/** Cumulative cash by month, with zero, the month the cash runs out and the break-even month marked. */
export function cumulativeCashChartSvg(plan: Plan, size: ChartSize = {}): string {
  const r = plan.results;
  const marks: Record<string, unknown>[] = [{ yAxis: 0, name: "zero cash", lineStyle: { color: "#6b7280", type: "solid", width: 1 }, label: { formatter: "zero", position: "insideEndTop" } }];
  if (r.runOutMonth !== null) marks.push({ xAxis: String(r.runOutMonth), name: "runway", lineStyle: { color: "#dc2626", width: 2 }, label: { formatter: `cash runs out: month ${r.runOutMonth}`, position: "insideEndTop", color: "#dc2626" } });
  if (r.breakEvenMonth !== null) marks.push({ xAxis: String(r.breakEvenMonth), name: "break-even", lineStyle: { color: "#059669", width: 2 }, label: { formatter: `break-even: month ${r.breakEvenMonth}`, position: "insideStartTop", color: "#059669" } });
  const subtitle = "USD at the end of each month. " + (r.runOutMonth !== null ? `Runway: ${r.runwayMonths} months (cash runs out in month ${r.runOutMonth})` : `Runway: beyond the ${plan.horizonMonths}-month horizon (${formatUsd(r.cumulativeCashAtHorizonUsd)} at month ${plan.horizonMonths})`);
  return render(
    "cumulative-cash",
    {
      title: { text: "Cumulative cash", subtext: subtitle, left: 10, top: 6, textStyle: { fontSize: 14 }, subtextStyle: { color: r.runOutMonth !== null ? "#dc2626" : "#374151" } },
      grid: { left: 80, right: 30, top: 74, bottom: 44 },
      xAxis: { type: "category", name: "month", nameLocation: "middle", nameGap: 26, data: plan.months.map((m) => String(m.month)) },
      yAxis: { type: "value", axisLabel: { formatter: (v: number) => shortUsd(v) } },
      series: [
        {
          type: "line",
          name: "cumulative cash",
          data: plan.months.map((m) => Number(m.cumulativeCashUsd.toPrecision(8))),
          showSymbol: plan.months.length <= 36,
          symbolSize: 4,
          lineStyle: { width: 2.5, color: "#1f6feb" },
          itemStyle: { color: "#1f6feb" },
          areaStyle: { color: "rgba(31,111,235,0.10)" },
          markLine: { symbol: "none", silent: true, data: marks },
        },
      ],
    },
    size,
    { width: 900, height: 380 },
  );
}

/**
 * Sensitivity tornado: for each assumption (ranked, largest swing on top) the change in gross margin at
 * the metric month when it is lowered and raised by the plan's percentage. When there is no revenue
 * (margin undefined) the runway change is drawn instead.
 */
export function sensitivityTornadoSvg(plan: Plan, size: ChartSize = {}): string {
  const s = plan.sensitivity;
  if (!s) throw new Error("the plan has no sensitivity analysis (built with projectionsOnly)");
  const useMargin = s.baseGrossMarginPct !== null;
  const rows = [...s.rows].reverse(); // echarts draws the first category at the bottom
  const delta = (v: number | null, base: number | null) => (v === null || base === null ? 0 : Number((v - base).toFixed(4)));
  const low = rows.map((r) => (useMargin ? delta(r.grossMarginPctLow, s.baseGrossMarginPct) : r.runwayMonthsLow - s.baseRunwayMonths));
  const high = rows.map((r) => (useMargin ? delta(r.grossMarginPctHigh, s.baseGrossMarginPct) : r.runwayMonthsHigh - s.baseRunwayMonths));
  const unit = useMargin ? "percentage points" : "months";
  const base = useMargin ? `${(s.baseGrossMarginPct as number).toFixed(1)}% gross margin in month ${s.metricMonth}` : `${s.baseRunwayMonths} months of runway`;
  const height = size.height ?? 110 + 38 * rows.length;
  // Each bar's label sits at its outer end (left of negative bars, right of positive ones).
  const bar = (v: number) => ({
    value: v,
    label: { show: v !== 0, position: v < 0 ? "left" : "right", fontSize: 10, formatter: () => (v > 0 ? "+" : "") + v.toFixed(useMargin ? 2 : 0) },
  });
  return render(
    "sensitivity-tornado",
    {
      title: { text: `Sensitivity (±${s.pct}%): change from ${base}`, left: 10, top: 6, textStyle: { fontSize: 14 } },
      legend: { data: [`−${s.pct}%`, `+${s.pct}%`], top: 30, right: 20 },
      grid: { left: 210, right: 40, top: 64, bottom: 40 },
      xAxis: { type: "value", name: unit, nameLocation: "middle", nameGap: 26, axisLabel: { formatter: (v: number) => (v > 0 ? `+${v}` : String(v)) } },
      yAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { width: 190, overflow: "truncate" } },
      series: [
        { type: "bar", name: `−${s.pct}%`, data: low.map(bar), barWidth: 16, barGap: "-100%", itemStyle: { color: "#d97706" } },
        { type: "bar", name: `+${s.pct}%`, data: high.map(bar), barWidth: 16, barGap: "-100%", itemStyle: { color: "#1f6feb" } },
      ],
    },
    { ...size, height },
    { width: 900, height },
  );
}

/** Renders one chart by name. */
export function renderChart(plan: Plan, name: ChartName, size: ChartSize = {}): string {
  switch (name) {
    case "monthly-cost":
      return monthlyCostChartSvg(plan, size);
    case "cumulative-cash":
      return cumulativeCashChartSvg(plan, size);
    case "sensitivity-tornado":
      return sensitivityTornadoSvg(plan, size);
  }
}

export function isChartName(name: string): name is ChartName {
  return (CHART_NAMES as readonly string[]).includes(name);
}
