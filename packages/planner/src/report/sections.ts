// The report's content as plain data (headline answers and tables), shared by the HTML and Markdown
// renderers so both say the same thing.
import type { Plan } from "../types";
import { formatNumber, formatPct, formatUsd, formatValue } from "./format";

export interface Headline {
  key: string;
  question: string;
  answer: string;
  detail: string;
  tone: "good" | "bad" | "neutral";
}

export interface Table {
  id: string;
  title: string;
  note?: string;
  columns: string[];
  /** Columns aligned right (numbers). */
  numeric: boolean[];
  rows: string[][];
}

export function headlines(plan: Plan): Headline[] {
  const r = plan.results;
  const H = plan.horizonMonths;
  const perUnit = plan.pricingModel === "perSeatMonthly" ? "per seat-month" : "per request";
  const out: Headline[] = [
    {
      key: "cheapest-now",
      question: "Cheapest option now (month 1)",
      answer: r.cheapestNow.label,
      detail: `${formatUsd(r.cheapestNow.monthlyCostUsd)} a month${r.cheapestNow.costPerRequestUsd !== null ? `, ${formatUsd(r.cheapestNow.costPerRequestUsd)} per request` : ""}`,
      tone: "neutral",
    },
    {
      key: "cheapest-horizon",
      question: `Cheapest option at the horizon (month ${H})`,
      answer: r.cheapestAtHorizon.label,
      detail: `${formatUsd(r.cheapestAtHorizon.monthlyCostUsd)} a month${r.cheapestAtHorizon.costPerRequestUsd !== null ? `, ${formatUsd(r.cheapestAtHorizon.costPerRequestUsd)} per request` : ""}${r.buildVsBuyCrossoverMonth !== null ? `; self-hosting beats the cheapest hosted API from month ${r.buildVsBuyCrossoverMonth}` : ""}`,
      tone: "neutral",
    },
    {
      key: "break-even",
      question: "Break-even (first month with non-negative net cash flow)",
      answer: r.breakEvenMonth !== null ? `Month ${r.breakEvenMonth}` : `Not within ${H} months`,
      detail: `net cash flow in month ${H}: ${formatUsd(plan.months[H - 1].netCashFlowUsd)}`,
      tone: r.breakEvenMonth !== null ? "good" : "bad",
    },
    {
      key: "runway",
      question: "Runway",
      answer: r.runOutMonth !== null ? `${r.runwayMonths} months — cash runs out in month ${r.runOutMonth}` : `Beyond the ${H}-month horizon`,
      detail: `cash at month ${H}: ${formatUsd(r.cumulativeCashAtHorizonUsd)}`,
      tone: r.runOutMonth !== null ? "bad" : "good",
    },
    {
      key: "required-price",
      question: `Price needed for a ${r.requiredPrice.targetGrossMarginPct}% gross margin`,
      answer: `${formatUsd(r.requiredPrice.metricMonth)} ${perUnit} in month ${r.metricMonth}`,
      detail: `every month: ${formatUsd(r.requiredPrice.everyMonth)}; current price ${formatUsd(r.requiredPrice.current)}; break-even price at month ${H} (covers compute and burn): ${formatUsd(r.requiredPrice.breakEvenAtHorizon)}`,
      tone: r.requiredPrice.everyMonth !== null && r.requiredPrice.current >= r.requiredPrice.everyMonth ? "good" : "bad",
    },
    {
      key: "margin",
      question: `Gross margin in month ${r.metricMonth} (chosen deployment)`,
      answer: formatPct(r.grossMarginPctAtMetricMonth),
      detail: `chosen: ${r.chosen.label}`,
      tone: r.grossMarginPctAtMetricMonth !== null && r.grossMarginPctAtMetricMonth >= r.requiredPrice.targetGrossMarginPct ? "good" : "bad",
    },
  ];
  return out;
}

export function monthTable(plan: Plan): Table {
  const optionLabel = (month: number) =>
    plan.workloads.map((w) => plan.options.find((o) => o.id === w.cheapestByMonth[month - 1])?.label ?? w.cheapestByMonth[month - 1]).join(" + ");
  return {
    id: "months",
    title: "Month by month (chosen deployment)",
    note: `Peak requests/s = average × ${plan.assumptions.find((a) => a.name === "peakToAverage")?.value ?? "?"} (peak-to-average factor).`,
    columns: ["Month", "Users", "Requests", "Peak req/s", "Compute", "One-off", "Cost/request", "Revenue", "Gross margin", "Other burn", "Net cash flow", "Cumulative cash", "Cheapest option"],
    numeric: [true, true, true, true, true, true, true, true, true, true, true, true, false],
    rows: plan.months.map((m) => [
      String(m.month),
      formatNumber(m.users),
      formatNumber(m.requests),
      formatNumber(m.peakRequestsPerSec, 2),
      formatUsd(m.computeCostUsd),
      m.oneOffCostUsd > 0 ? formatUsd(m.oneOffCostUsd) : "",
      formatUsd(m.costPerRequestUsd),
      formatUsd(m.revenueUsd),
      formatPct(m.grossMarginPct),
      formatUsd(m.nonComputeBurnUsd),
      formatUsd(m.netCashFlowUsd),
      formatUsd(m.cumulativeCashUsd),
      optionLabel(m.month),
    ]),
  };
}

export function optionsTable(plan: Plan): Table {
  const H = plan.horizonMonths;
  const chosen = new Set(plan.results.chosen.optionIds);
  return {
    id: "options",
    title: "Deployment options",
    note: "Self-hosted fleets are sized for each month's peak and billed every hour; utilisation is average load over provisioned capacity. Spot capacity is listed but never counted as the cheapest.",
    columns: ["Option", "Kind", "Month 1", `Month ${H}`, `Cost/request (m${H})`, "One-off", "Total", `Replicas (m${H})`, `Utilisation (m${H})`, `Idle paid (m${H})`, "Price source"],
    numeric: [false, false, true, true, true, true, true, true, true, true, false],
    rows: plan.options.map((o) => [
      (chosen.has(o.id) ? "★ " : "") + (plan.workloads.length > 1 ? `${o.workload}: ` : "") + o.label,
      o.kind + (o.interruptible ? " (spot)" : ""),
      formatUsd(o.series.computeCostUsd[0]),
      formatUsd(o.series.computeCostUsd[H - 1]),
      formatUsd(o.series.costPerRequestUsd[H - 1]),
      o.oneOffCostUsd > 0 ? formatUsd(o.oneOffCostUsd) : "",
      formatUsd(o.totalCostUsd),
      o.series.replicas ? String(o.series.replicas[H - 1]) : "",
      o.series.utilisation ? formatPct(o.series.utilisation[H - 1] * 100) : "",
      o.series.idleCostUsd ? formatUsd(o.series.idleCostUsd[H - 1]) : "",
      o.priceSource,
    ]),
  };
}

export function crossoverTable(plan: Plan): Table {
  return {
    id: "crossovers",
    title: "Months where the cheapest option changes",
    columns: ["Month", "From", "To", "Why"],
    numeric: [true, false, false, false],
    rows: plan.results.crossovers.map((c) => [String(c.month), labelOf(plan, c.from), labelOf(plan, c.to), c.reason]),
  };
}

function labelOf(plan: Plan, id: string): string {
  return plan.options.find((o) => o.id === id)?.label ?? id;
}

export function sensitivityTable(plan: Plan): Table | null {
  const s = plan.sensitivity;
  if (!s) return null;
  return {
    id: "sensitivity",
    title: `Sensitivity (±${s.pct}%), ranked by effect on month-${s.metricMonth} gross margin`,
    note: `Base: gross margin ${formatPct(s.baseGrossMarginPct)} in month ${s.metricMonth}, runway ${s.baseRunwayMonths} months. Ranked by effect on runway: ${s.rankByRunway.join(", ")}.`,
    columns: ["Assumption", "Base", "Low → high", "Gross margin (low / high)", "Swing", "Runway months (low / high)", "Runway swing"],
    numeric: [false, true, false, false, true, false, true],
    rows: s.rows.map((r) => [
      r.label + (r.note ? ` (${r.note})` : ""),
      `${formatValue(r.baseValue)} ${r.unit}`,
      `${formatValue(r.lowValue)} → ${formatValue(r.highValue)}`,
      `${formatPct(r.grossMarginPctLow)} / ${formatPct(r.grossMarginPctHigh)}`,
      `${r.grossMarginSwingPct.toFixed(2)} pp`,
      `${r.runwayMonthsLow} / ${r.runwayMonthsHigh}`,
      String(r.runwaySwingMonths),
    ]),
  };
}

export function recommendationTable(plan: Plan): Table {
  return {
    id: "recommendations",
    title: "Recommendations (each effect computed by re-running the plan)",
    columns: ["Recommendation", "Change", "Compute saved", `Margin m${plan.results.metricMonth} before → after`, "Runway before → after", "Why", "Caveats"],
    numeric: [false, false, true, false, false, false, false],
    rows: plan.recommendations.map((r) => [
      r.title,
      r.change,
      formatUsd(r.effect.computeSavingsUsd),
      `${formatPct(r.effect.month12GrossMarginPctBefore)} → ${formatPct(r.effect.month12GrossMarginPctAfter)}`,
      `${r.effect.runwayMonthsBefore} → ${r.effect.runwayMonthsAfter}`,
      r.rationale,
      r.caveats.join(" "),
    ]),
  };
}

export function riskTable(plan: Plan): Table {
  return {
    id: "risks",
    title: "Risks of the use cases and mitigations",
    columns: ["Use case", "Risk", "Level", "Mitigations", "Notes"],
    numeric: [false, false, false, false, false],
    rows: plan.risks.map((r) => [
      r.useCase,
      r.dimension,
      r.level,
      r.mitigations
        .map((m) => `${m.name}: ${m.how}${m.effect ? ` [re-run self-hosted: compute ${formatUsd(m.effect.totalComputeCostUsdBefore)} → ${formatUsd(m.effect.totalComputeCostUsdAfter)} over the horizon]` : ""}`)
        .join(" • "),
      r.notes,
    ]),
  };
}

export function revenueTable(plan: Plan): Table {
  return {
    id: "revenue",
    title: "Revenue model",
    columns: ["Stream", "Business model", "Basis", "Total over the horizon"],
    numeric: [false, false, false, true],
    rows: plan.revenueStreams.map((s) => [s.name, s.businessModel, s.basis, formatUsd(s.totalUsd)]),
  };
}

export function assumptionTable(plan: Plan): Table {
  return {
    id: "assumptions",
    title: "Every assumption and its source",
    columns: ["Assumption", "Value", "Unit", "Source"],
    numeric: [false, false, false, false],
    rows: plan.assumptions.map((a) => [a.name, formatValue(a.value), a.unit, a.source]),
  };
}

export function catalogLine(plan: Plan): string {
  return Object.entries(plan.catalogVersions).map(([k, v]) => `${k} ${v}`).join(", ");
}
