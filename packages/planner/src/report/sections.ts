// The report's tables as plain data, shared by the HTML and Markdown renderers so both say the same
// thing. Headline answers are in headlines.ts.
import type { Plan } from "../types";
import { formatFixed, formatNumber, formatPct, formatUsd, formatValue } from "./format";
import { ltvCell, ltvToCacCell, NOT_AVAILABLE } from "./unit-economics";

export { headlines, type Headline } from "./headlines";

export interface Table {
  id: string;
  title: string;
  note?: string;
  columns: string[];
  /** Columns aligned right (numbers). */
  numeric: boolean[];
  rows: string[][];
}

export function monthTable(plan: Plan): Table {
  const optionLabel = (month: number) =>
    plan.workloads.map((w) => plan.options.find((o) => o.id === w.cheapestByMonth[month - 1])?.label ?? w.cheapestByMonth[month - 1]).join(" + ");
  return {
    id: "months",
    title: "Month by month (chosen deployment)",
    note: `Peak requests/s = average × ${plan.assumptions.find((a) => a.name === "peakToAverage")?.value ?? "?"} (peak-to-average factor). Cost of revenue = compute + self-hosting engineering + delivery of other revenue lines.`,
    columns: ["Month", "Active users", "Paying", "Requests", "Peak req/s", "Compute", "People", "Delivery", "One-off", "Revenue", "Gross margin", "Acquisition", "Other burn", "Net cash flow", "Cumulative cash", "Cheapest eligible option"],
    numeric: [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, false],
    rows: plan.months.map((m) => [
      String(m.month),
      formatNumber(m.users),
      formatNumber(m.payingUsers),
      formatNumber(m.requests),
      formatNumber(m.peakRequestsPerSec, 2),
      formatUsd(m.computeCostUsd),
      m.peopleCostUsd > 0 ? formatUsd(m.peopleCostUsd) : "",
      m.deliveryCostUsd > 0 ? formatUsd(m.deliveryCostUsd) : "",
      m.oneOffCostUsd > 0 ? formatUsd(m.oneOffCostUsd) : "",
      formatUsd(m.revenueUsd),
      formatPct(m.grossMarginPct),
      formatUsd(m.acquisitionCostUsd),
      formatUsd(m.nonComputeBurnUsd),
      formatUsd(m.netCashFlowUsd),
      formatUsd(m.cumulativeCashUsd),
      optionLabel(m.month),
    ]),
  };
}

export function unitEconomicsTable(plan: Plan): Table {
  const x = (v: number | null, d = 1) => formatFixed(v, d);
  return {
    id: "unit-economics",
    title: "Customer funnel and unit economics, month by month",
    note: `CAC payback = CAC / gross profit per paying user-month; LTV = gross profit per paying user-month / paid churn (Skok, SaaS Metrics 2.0); burn multiple = net burn / net new ARR (Sacks 2020). Free users' compute is charged to the paying users' gross profit. LTV and LTV/CAC are ${NOT_AVAILABLE} in a month whose gross profit per paying user is zero or less: a customer who loses money has no lifetime value to recover a CAC from.`,
    columns: ["Month", "Sign-ups", "New paying", "Paying lost", "Paying", "Free", "ARPU", "Gross profit / paying user", "CAC", "CAC payback (months)", "LTV", "LTV/CAC", "Contribution margin", "Burn multiple", "Runway at this burn (months)"],
    numeric: [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true],
    rows: plan.months.map((m) => [
      String(m.month),
      formatNumber(m.signups),
      formatNumber(m.newPayingUsers),
      formatNumber(m.churnedPayingUsers),
      formatNumber(m.payingUsers),
      formatNumber(m.freeUsers),
      formatUsd(m.arpuUsd),
      formatUsd(m.grossProfitPerPayingUserUsd),
      formatUsd(m.cacUsd),
      x(m.cacPaybackMonths),
      ltvCell(m),
      ltvToCacCell(m),
      formatPct(m.contributionMarginPct),
      x(m.burnMultiple, 2),
      x(m.runwayMonthsAtCurrentBurn),
    ]),
  };
}

export function qualityTable(plan: Plan): Table {
  const floors = plan.workloads.filter((w) => w.qualityFloor).map((w) => `${w.useCase}: ${w.qualityFloor!.benchmark ? `${w.qualityFloor!.benchmark} ≥ ${w.qualityFloor!.minimum}` : "no floor"} — ${w.qualityFloor!.reasoning}`);
  return {
    id: "quality-floor",
    title: "Below the quality floor (left out of the cheapest option and of recommendations)",
    note: floors.length > 0 ? floors.join(" ") : "The use cases state no quality floor.",
    columns: ["Model", "Use case", "Score", "Floor", "Why left out"],
    numeric: [false, false, true, true, false],
    rows: plan.results.belowQualityFloor.map((b) => [
      b.label,
      b.workload,
      b.score === null ? "—" : String(b.score),
      b.minimum === null ? "—" : `${b.benchmark} ≥ ${b.minimum}`,
      b.reason === "below-floor" ? "scores below the floor" : "no published score shows it meets the floor",
    ]),
  };
}

export function optionsTable(plan: Plan): Table {
  const H = plan.horizonMonths;
  const chosen = new Set(plan.results.chosen.optionIds);
  return {
    id: "options",
    title: "Deployment options",
    note: "Running cost = compute + engineering and on-call for self-hosting. Self-hosted fleets are sized for each month's peak and billed every hour; utilisation is average load over provisioned capacity. Spot capacity is listed but never counted as the cheapest. One-off = training GPU time as billed (whole instances, minimum billed time) + data preparation + evaluation.",
    columns: ["Option", "Kind", "Basis", "Quality", "Month 1", `Month ${H}`, "People / month", `Compute/request (m${H})`, "One-off", "Total", `Replicas (m${H})`, `Utilisation (m${H})`, `Idle paid (m${H})`, "Price source"],
    numeric: [false, false, false, false, true, true, true, true, true, true, true, true, true, false],
    rows: plan.options.map((o) => [
      (chosen.has(o.id) ? "★ " : "") + (plan.workloads.length > 1 ? `${o.workload}: ` : "") + o.label,
      o.kind + (o.interruptible ? " (spot)" : ""),
      o.measured ? `${o.measured.basis} on ${o.measured.profileId}` : o.kind === "hosted" ? "provider's price per token" : "catalog accelerator (estimator)",
      o.quality.score === null ? (o.quality.meetsFloor === null && o.quality.benchmark ? "no score" : "—") : `${o.quality.score}${o.quality.meetsFloor === false ? " (below floor)" : o.quality.meetsFloor ? " ✓" : ""}`,
      formatUsd(o.series.runningCostUsd[0]),
      formatUsd(o.series.runningCostUsd[H - 1]),
      o.peopleCostUsdPerMonth > 0 ? formatUsd(o.peopleCostUsdPerMonth) : "",
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

/** The options on measured hardware profiles: where each one's capacity and price come from (null when none). */
export function measuredHardwareTable(plan: Plan): Table | null {
  const boxes = plan.measuredHardware ?? [];
  if (boxes.length === 0) return null;
  const chosen = new Set(plan.results.chosen.optionIds);
  const rows: string[][] = [];
  for (const box of boxes) {
    const options = plan.options.filter((o) => o.measured?.profileId === box.profileId);
    const price = `${formatUsd(box.usdPerHour)}/h (${box.pricing === "owned" ? "owned: TCO" : "cloud instance"})${box.emulation ? `; ${box.emulation}` : ""}`;
    if (options.length === 0) rows.push([box.profileId, box.label, price, "—", "not costed", box.notes.join("; ") || "no option could be costed on it", ""]);
    for (const o of options) {
      rows.push([box.profileId, (chosen.has(o.id) ? "★ " : "") + o.label, price, formatUsd(o.totalCostUsd), o.measured!.basis, o.measured!.detail, o.measured!.runIds.join(", ")]);
    }
  }
  return {
    id: "measured-hardware",
    title: "Measured hardware (\"our own box\")",
    note: "Options on the workspace's measured hardware profiles, priced from the profile's price (owned: purchase over depreciation + power × PUE × electricity + hosting, per hour; or a cloud instance's hourly price). Basis: measured = a benchmark run of exactly this model on the box (the benchmark is the cost); predicted = the profile's calibrated prediction for this size; estimated = the estimator's formulas at the efficiency the box's runs measured. The other self-hosted options rest on the catalog's accelerator figures.",
    columns: ["Profile", "Option", "Price", "Total", "Basis", "What it rests on", "Runs"],
    numeric: [false, false, false, true, false, false, false],
    rows,
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
    title: `Sensitivity (±${s.pct}%), ranked by effect on cash at the horizon`,
    note: `Base: cash ${formatUsd(s.baseCashAtHorizonUsd)} at the horizon, gross margin ${formatPct(s.baseGrossMarginPct)} in month ${s.metricMonth}, runway ${s.baseRunwayMonths} months. Ranked by effect on gross margin: ${s.rankByGrossMargin.join(", ")}; on runway: ${s.rankByRunway.join(", ")}.`,
    columns: ["Assumption", "Base", "Low → high", "Cash at horizon (low / high)", "Cash swing", "Gross margin (low / high)", "Margin swing", "Runway months (low / high)"],
    numeric: [false, true, false, false, true, false, true, false],
    rows: s.rows.map((r) => [
      r.label + (r.note ? ` (${r.note})` : ""),
      `${formatValue(r.baseValue)} ${r.unit}`,
      `${formatValue(r.lowValue)} → ${formatValue(r.highValue)}`,
      `${formatUsd(r.cashAtHorizonUsdLow)} / ${formatUsd(r.cashAtHorizonUsdHigh)}`,
      formatUsd(r.cashSwingUsd),
      `${formatPct(r.grossMarginPctLow)} / ${formatPct(r.grossMarginPctHigh)}`,
      `${formatFixed(r.grossMarginSwingPct, 2)} pp`,
      `${r.runwayMonthsLow} / ${r.runwayMonthsHigh}`,
    ]),
  };
}

export function recommendationTable(plan: Plan): Table {
  return {
    id: "recommendations",
    title: "Recommendations (each effect computed by re-running the plan)",
    columns: ["Recommendation", "Change", "Cost saved", `Margin m${plan.results.metricMonth} before → after`, "Runway before → after", "Why", "Caveats"],
    numeric: [false, false, true, false, false, false, false],
    rows: plan.recommendations.map((r) => [
      r.title,
      r.change,
      formatUsd(r.effect.costSavingsUsd),
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
        .map((m) => `${m.name}: ${m.how}${m.effect ? ` [re-run self-hosted, engineering included: cost of revenue ${formatUsd(m.effect.totalCostUsdBefore)} → ${formatUsd(m.effect.totalCostUsdAfter)} over the horizon]` : ""}`)
        .join(" • "),
      r.notes,
    ]),
  };
}

export function revenueTable(plan: Plan): Table {
  return {
    id: "revenue",
    title: "Revenue model",
    columns: ["Stream", "Business model", "Basis", "Revenue over the horizon", "Cost of delivery", "Gross margin"],
    numeric: [false, false, false, true, true, true],
    rows: plan.revenueStreams.map((s) => [s.name, s.businessModel, s.basis, formatUsd(s.totalUsd), formatUsd(s.deliveryCostUsd.reduce((a, v) => a + v, 0)), formatPct(s.grossMarginPct)]),
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
