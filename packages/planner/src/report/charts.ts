// Charts of a plan as SVG strings (ECharts' server-side SVG renderer, see chart-render.ts): monthly cost
// per option, cumulative cash, the customer funnel, unit economics and the sensitivity tornado. Pure.
import type { Plan } from "../types";
import { drawable, renderSvg, rounded, sameSeries, shortUsd, type ChartSize } from "./chart-render";
import { funnelChartSvg, unitEconomicsChartSvg } from "./economics-charts";
import { formatUsd } from "./format";

export type { ChartSize } from "./chart-render";
export { funnelChartSvg, unitEconomicsChartSvg, unitEconomicsSeries, funnelSeries } from "./economics-charts";

export const CHART_NAMES = ["monthly-cost", "cumulative-cash", "funnel", "unit-economics", "sensitivity-tornado"] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface CostSeries {
  name: string;
  data: number[];
  chosen: boolean;
  /** Other options whose monthly cost is identical to this one (drawn once, named in the legend). */
  identical: string[];
}

/**
 * The options drawn in the monthly-cost chart: the chosen deployment, each month's cheapest, the best
 * hosted and self-hosted. Series with identical costs are drawn once and their names joined, so no line
 * hides under another.
 */
export function monthlyCostSeries(plan: Plan, maxSeries = 7): CostSeries[] {
  const series: CostSeries[] = [];
  const multi = plan.workloads.length > 1;
  const addSeries = (name: string, data: number[], chosen: boolean) => {
    const twin = series.find((s) => sameSeries(s.data, data));
    if (twin) twin.identical.push(name);
    else series.push({ name, data, chosen, identical: [] });
  };
  addSeries(multi ? "Chosen deployment (all use cases)" : `Chosen: ${labelOf(plan, plan.results.chosen.optionIds[0])}`, plan.months.map((m) => m.computeCostUsd + m.peopleCostUsd), true);
  if (multi) addSeries("Cheapest eligible option each month (all use cases)", plan.months.map((m) => m.cheapestRunningCostUsd), false);
  const picked = new Set<string>(plan.results.chosen.optionIds);
  const candidates: string[] = [];
  for (const w of plan.workloads) {
    const opts = plan.options.filter((o) => o.workload === w.useCase && !o.interruptible);
    for (const id of w.cheapestByMonth) if (!candidates.includes(id)) candidates.push(id);
    // the best of each kind among the options that meet the use case's quality floor (any, when none does)
    const floored = w.qualityFloor?.benchmark ? opts.filter((o) => o.quality.meetsFloor === true) : opts;
    const pool = floored.length > 0 ? floored : opts;
    const bestOf = (kind: string, pricing?: string) => pool.filter((o) => o.kind === kind && (!pricing || o.pricing === pricing)).sort((a, b) => a.totalCostUsd - b.totalCostUsd)[0];
    for (const o of [bestOf("hosted"), bestOf("self-host", "on-demand"), bestOf("self-host", "reserved"), bestOf("fine-tune")]) if (o && !candidates.includes(o.id)) candidates.push(o.id);
  }
  for (const id of candidates) {
    if (series.length >= maxSeries) break;
    if (picked.has(id)) continue;
    picked.add(id);
    const o = plan.options.find((x) => x.id === id);
    if (!o) continue;
    const floor = o.quality.meetsFloor === false ? " [below quality floor]" : "";
    addSeries((multi ? `${o.workload}: ` : "") + o.label + floor, o.series.runningCostUsd, false);
  }
  return series;
}

/** Legend name of a series, with the options it is identical to. */
export function seriesLabel(s: CostSeries): string {
  return s.identical.length > 0 ? `${s.name} = ${s.identical.join(" = ")} (identical cost)` : s.name;
}

function labelOf(plan: Plan, optionId: string): string {
  return plan.options.find((o) => o.id === optionId)?.label ?? optionId;
}

/** Monthly running cost (compute + self-hosting people) of the chosen deployment and the main alternatives; log scale when costs span > 2 decades. */
export function monthlyCostChartSvg(plan: Plan, size: ChartSize = {}): string {
  const series = monthlyCostSeries(plan);
  const drawn = series.map((s) => rounded(s.data));
  const values = drawn.flat().filter((v): v is number => v !== null);
  const positive = values.length > 0 && values.every((v) => v > 0);
  const spread = positive ? Math.max(...values) / Math.min(...values) : 0;
  const log = positive && spread > 100;
  const height = size.height ?? 380 + 18 * series.length;
  return renderSvg(
    "monthly-cost",
    {
      title: { text: "Monthly running cost per deployment option", subtext: `USD per month: compute, plus engineering and on-call for self-hosting${log ? "; log scale" : ""}`, left: 10, top: 6, textStyle: { fontSize: 14 } },
      legend: { type: "plain", orient: "vertical", bottom: 4, left: 10, itemHeight: 8, textStyle: { fontSize: 11, width: 860, overflow: "truncate" } },
      grid: { left: 70, right: 24, top: 70, bottom: 28 + 18 * series.length + 24 },
      xAxis: { type: "category", name: "month", nameLocation: "middle", nameGap: 24, data: plan.months.map((m) => String(m.month)) },
      yAxis: { type: log ? "log" : "value", axisLabel: { formatter: (v: number) => shortUsd(v) } },
      series: series.map((s, i) => ({
        type: "line",
        name: seriesLabel(s),
        data: drawn[i],
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
  return renderSvg(
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
          data: rounded(plan.months.map((m) => m.cumulativeCashUsd), 8),
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
 * Sensitivity tornado: for each assumption (largest swing on top) the change in cash at the horizon when
 * it is lowered and raised by the plan's percentage. The two bars of a row sit side by side, never on top
 * of each other, so a bar cannot hide another when both move cash the same way; a variable with no effect
 * is labelled "no effect".
 */
export function sensitivityTornadoSvg(plan: Plan, size: ChartSize = {}): string {
  const s = plan.sensitivity;
  if (!s) throw new Error("the plan has no sensitivity analysis (built with projectionsOnly)");
  const rows = [...s.rows].reverse(); // echarts draws the first category at the bottom
  const low = rows.map((r) => drawable(r.cashAtHorizonUsdLow - s.baseCashAtHorizonUsd, 8));
  const high = rows.map((r) => drawable(r.cashAtHorizonUsdHigh - s.baseCashAtHorizonUsd, 8));
  const height = size.height ?? 120 + 44 * rows.length;
  const noEffect = rows.map((r) => r.cashSwingUsd === 0 && r.cashAtHorizonUsdLow === s.baseCashAtHorizonUsd);
  const bar = (v: number, i: number, isLow: boolean) => ({
    value: v,
    label: {
      show: true,
      position: v < 0 ? "left" : "right",
      fontSize: 10,
      formatter: () => (noEffect[i] ? (isLow ? "no effect" : "") : v === 0 ? "0" : (v > 0 ? "+" : "") + shortUsd(v)),
    },
  });
  return renderSvg(
    "sensitivity-tornado",
    {
      title: { text: `Sensitivity (±${s.pct}%): change in cash at month ${plan.horizonMonths}`, subtext: `Base: ${formatUsd(s.baseCashAtHorizonUsd)} at month ${plan.horizonMonths}. Each row: the assumption ${s.pct}% lower (amber) and ${s.pct}% higher (blue).`, left: 10, top: 6, textStyle: { fontSize: 14 } },
      legend: { data: [`−${s.pct}%`, `+${s.pct}%`], top: 44, right: 20 },
      grid: { left: 230, right: 80, top: 74, bottom: 40 },
      xAxis: { type: "value", name: "USD at the horizon vs base", nameLocation: "middle", nameGap: 26, axisLabel: { formatter: (v: number) => (v > 0 ? "+" : "") + shortUsd(v) } },
      yAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { width: 210, overflow: "truncate" } },
      series: [
        { type: "bar", name: `−${s.pct}%`, data: low.map((v, i) => bar(v, i, true)), barWidth: 12, barGap: "25%", itemStyle: { color: "#d97706" } },
        { type: "bar", name: `+${s.pct}%`, data: high.map((v, i) => bar(v, i, false)), barWidth: 12, barGap: "25%", itemStyle: { color: "#1f6feb" } },
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
    case "funnel":
      return funnelChartSvg(plan, size);
    case "unit-economics":
      return unitEconomicsChartSvg(plan, size);
    case "sensitivity-tornado":
      return sensitivityTornadoSvg(plan, size);
  }
}

export function isChartName(name: string): name is ChartName {
  return (CHART_NAMES as readonly string[]).includes(name);
}
