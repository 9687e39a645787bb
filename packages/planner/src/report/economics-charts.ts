// The customer funnel and unit-economics charts of a plan. Pure: plan in, SVG out.
import type { Plan } from "../types";
import { renderSvg, rounded, shortCount, shortRatio, shortUsd, type ChartSize } from "./chart-render";
import { formatFixed } from "./format";
import { ltvToCacText } from "./unit-economics";

export interface NamedSeries {
  name: string;
  data: (number | null)[];
}

/**
 * The funnel's series: active and paying users, and the paying users won and lost each month. A bar
 * series with nothing to draw (no churn, no new customers) is left out and named in `omitted`, so the
 * chart never names a series it does not show.
 */
export function funnelSeries(plan: Plan): { left: NamedSeries[]; right: NamedSeries[]; omitted: string[] } {
  const bars: NamedSeries[] = [
    { name: "New paying users", data: plan.months.map((m) => m.newPayingUsers) },
    { name: "Paying users lost (churn)", data: plan.months.map((m) => m.churnedPayingUsers) },
  ];
  const drawn = bars.filter((b) => b.data.some((v) => v !== null && v > 0));
  return {
    left: [{ name: "Active users (free + paying)", data: plan.months.map((m) => m.users) }],
    right: [{ name: "Paying users", data: plan.months.map((m) => m.payingUsers) }, ...drawn],
    omitted: bars.filter((b) => !drawn.includes(b)).map((b) => b.name),
  };
}

/**
 * Customer funnel by month: active users on the left axis; paying users, those won and those lost on the
 * right axis (paying users are a few percent of the active base, so one axis would flatten them).
 */
export function funnelChartSvg(plan: Plan, size: ChartSize = {}): string {
  const { left, right, omitted } = funnelSeries(plan);
  const um = plan.results.unitEconomics;
  const colours = ["#1f6feb", "#059669", "#dc2626"];
  const barColour = (name: string) => (name.startsWith("New") ? colours[1] : colours[2]);
  return renderSvg(
    "funnel",
    {
      title: {
        text: "Customer funnel",
        subtext: `Month ${um.month}: ${shortCount(um.payingUsers)} paying of ${shortCount(um.payingUsers + um.freeUsers)} active users. Left axis: active users; right axis: paying users, won and lost.${omitted.length > 0 ? ` Not drawn (zero every month): ${omitted.join(", ").toLowerCase()}.` : ""}`,
        left: 10,
        top: 6,
        textStyle: { fontSize: 14 },
      },
      legend: { bottom: 6, left: 10, itemHeight: 8, textStyle: { fontSize: 11 } },
      grid: { left: 70, right: 70, top: 84, bottom: 74 },
      xAxis: { type: "category", name: "month", nameLocation: "middle", nameGap: 26, data: plan.months.map((m) => String(m.month)) },
      yAxis: [
        { type: "value", name: "active users", axisLabel: { formatter: (v: number) => shortCount(v) } },
        { type: "value", name: "paying users", axisLabel: { formatter: (v: number) => shortCount(v) }, splitLine: { show: false } },
      ],
      series: [
        ...left.map((s) => ({ type: "line", name: s.name, yAxisIndex: 0, data: rounded(s.data), showSymbol: false, lineStyle: { width: 2, color: "#9ca3af" }, itemStyle: { color: "#9ca3af" }, areaStyle: { color: "rgba(156,163,175,0.12)" } })),
        { type: "line", name: right[0].name, yAxisIndex: 1, data: rounded(right[0].data), showSymbol: plan.months.length <= 24, symbolSize: 4, lineStyle: { width: 3, color: "#1f6feb" }, itemStyle: { color: "#1f6feb" }, z: 10 },
        ...right.slice(1).map((b) => ({ type: "bar", name: b.name, yAxisIndex: 1, data: rounded(b.data), barGap: "10%", itemStyle: { color: barColour(b.name) } })),
      ],
    },
    size,
    { width: 900, height: 400 },
  );
}

/** Why the unit-economics chart shows ARPU and gross profit instead of CAC payback and LTV/CAC (null when it shows them). */
export type UnitEconomicsFallback = "no-cac" | "no-gross-profit" | null;

/**
 * The unit-economics series: CAC payback and LTV/CAC when the plan has a CAC and a month where a paying
 * user brings a gross profit; else ARPU and gross profit per paying user, with the reason (`fallback`):
 * no acquisition cost, or a customer who loses money in every month (no payback, no lifetime value).
 */
export function unitEconomicsSeries(plan: Plan): { withCac: boolean; fallback: UnitEconomicsFallback; left: NamedSeries; right: NamedSeries } {
  const hasCac = plan.months.some((m) => m.cacUsd !== null);
  const drawable = plan.months.some((m) => m.ltvToCac !== null || m.cacPaybackMonths !== null);
  if (hasCac && drawable) {
    return {
      withCac: true,
      fallback: null,
      left: { name: "CAC payback (months)", data: plan.months.map((m) => m.cacPaybackMonths) },
      right: { name: "LTV / CAC", data: plan.months.map((m) => m.ltvToCac) },
    };
  }
  return {
    withCac: false,
    fallback: hasCac ? "no-gross-profit" : "no-cac",
    left: { name: "ARPU (USD per paying user-month)", data: plan.months.map((m) => m.arpuUsd) },
    right: { name: "Gross profit per paying user (USD per month)", data: plan.months.map((m) => m.grossProfitPerPayingUserUsd) },
  };
}

const FALLBACK_SUBTEXT: Record<Exclude<UnitEconomicsFallback, null>, string> = {
  "no-cac": "No acquisition cost in the scenario (funnel.cacUsd or marketingUsdPerMonth), so no CAC payback or LTV/CAC: ARPU and gross profit per paying user instead.",
  "no-gross-profit": "A paying user brings no gross profit in any month, so the CAC is never paid back and LTV and LTV/CAC are n/a: ARPU and gross profit per paying user instead.",
};

function withCacSubtext(plan: Plan): string {
  const um = plan.results.unitEconomics;
  const payback = um.cacPaybackMonths === null ? "never (no gross profit)" : `${formatFixed(um.cacPaybackMonths)} months`;
  const gaps = plan.months.some((m) => m.cacUsd !== null && m.ltvToCac === null) ? " Gaps: months where LTV/CAC is n/a (no gross profit per paying user, or no paid churn)." : "";
  return `Month ${um.month}: CAC payback ${payback}, LTV/CAC ${ltvToCacText(um.ltvToCac)}. Dashed: LTV/CAC = 3 (a common target).${gaps}`;
}

/**
 * Unit economics by month: CAC payback (months, left axis) and LTV/CAC (right axis, with the 3× rule of
 * thumb from Skok's "SaaS Metrics 2.0" marked). Without an acquisition cost, ARPU and gross profit per
 * paying user instead, with a note saying why.
 */
export function unitEconomicsChartSvg(plan: Plan, size: ChartSize = {}): string {
  const { withCac, fallback, left, right } = unitEconomicsSeries(plan);
  const subtext = fallback === null ? withCacSubtext(plan) : FALLBACK_SUBTEXT[fallback];
  const fmtLeft = withCac ? (v: number) => `${shortCount(v)} mo` : (v: number) => shortUsd(v);
  const fmtRight = shortRatio;
  return renderSvg(
    "unit-economics",
    {
      title: { text: "Unit economics", subtext, left: 10, top: 6, textStyle: { fontSize: 14 }, subtextStyle: { width: 860, overflow: "break" } },
      legend: { bottom: 6, left: 10, itemHeight: 8, textStyle: { fontSize: 11 } },
      grid: { left: 70, right: 70, top: 84, bottom: 74 },
      xAxis: { type: "category", name: "month", nameLocation: "middle", nameGap: 26, data: plan.months.map((m) => String(m.month)) },
      yAxis: withCac
        ? [
            { type: "value", name: "months", axisLabel: { formatter: fmtLeft } },
            // keep the LTV/CAC = 3 target line on the axis even when every month is below it
            { type: "value", name: "LTV / CAC", min: (v: { min: number }) => Math.min(0, v.min), max: (v: { max: number }) => Math.max(3.5, v.max), axisLabel: { formatter: fmtRight }, splitLine: { show: false } },
          ]
        : [{ type: "value", name: "USD", axisLabel: { formatter: fmtLeft } }],
      series: [
        { type: "line", name: left.name, yAxisIndex: 0, data: rounded(left.data), showSymbol: plan.months.length <= 24, symbolSize: 4, connectNulls: false, lineStyle: { width: 2.5, color: "#d97706" }, itemStyle: { color: "#d97706" } },
        {
          type: "line",
          name: right.name,
          yAxisIndex: withCac ? 1 : 0,
          data: rounded(right.data),
          showSymbol: plan.months.length <= 24,
          symbolSize: 4,
          connectNulls: false,
          lineStyle: { width: 2.5, color: "#1f6feb", type: withCac ? "solid" : "dashed" },
          itemStyle: { color: "#1f6feb" },
          ...(withCac ? { markLine: { symbol: "none", silent: true, data: [{ yAxis: 3, lineStyle: { color: "#059669", type: "dashed", width: 1 }, label: { formatter: "LTV/CAC 3", position: "insideEndTop", color: "#059669" } }] } } : {}),
        },
      ],
    },
    size,
    { width: 900, height: 400 },
  );
}
