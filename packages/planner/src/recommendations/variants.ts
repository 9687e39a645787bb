// Re-running a plan with one change, and the change's effect in numbers and words: what every
// recommendation (and the risk analysis) is quantified with. Pure.
import type { PlannerCatalog } from "../catalog";
import { PlannerInputError } from "../errors";
import { fmtPct, fmtUsd } from "../format";
import { runProjection, type Projection } from "../projection";
import type { Settings } from "../settings";
import type { PlanAdjustments, RecommendationEffect, Scenario, UseCase } from "../types";

/** A change is worth recommending when it saves at least this share of the cost of revenue. */
const MIN_SAVINGS_SHARE = 0.005;

export function effectOf(base: Projection, variant: Projection): RecommendationEffect {
  const m = base.results.metricMonth;
  return {
    month12GrossMarginPctBefore: base.months[m - 1].grossMarginPct,
    month12GrossMarginPctAfter: variant.months[m - 1].grossMarginPct,
    totalCostUsdBefore: base.results.totalCostOfRevenueUsd,
    totalCostUsdAfter: variant.results.totalCostOfRevenueUsd,
    costSavingsUsd: base.results.totalCostOfRevenueUsd - variant.results.totalCostOfRevenueUsd,
    runwayMonthsBefore: base.results.runwayMonths,
    runwayMonthsAfter: variant.results.runwayMonths,
    cumulativeCashAtHorizonUsdBefore: base.results.cumulativeCashAtHorizonUsd,
    cumulativeCashAtHorizonUsdAfter: variant.results.cumulativeCashAtHorizonUsd,
  };
}

/** Re-runs the plan with a change; null when the changed scenario cannot be planned (e.g. the model no longer fits). */
export function tryVariant(
  base: Projection,
  useCases: UseCase[],
  catalog: PlannerCatalog,
  change: { scenario?: Scenario; settings?: Settings; adjustments?: PlanAdjustments },
): Projection | null {
  try {
    return runProjection(change.scenario ?? base.scenario, useCases, catalog, change.settings ?? base.settings, change.adjustments ?? base.adjustments, base);
  } catch (e) {
    if (e instanceof PlannerInputError) return null;
    throw e;
  }
}

/**
 * The effect in words, written only from `e`'s numbers: each verb follows the sign of its figure
 * ("saves" only when the cost falls, "raises" only when the margin rises), so the text cannot contradict them.
 */
export function describeEffect(e: RecommendationEffect, metricMonth: number): string {
  const parts: string[] = [];
  const cost = `total cost of revenue ${fmtUsd(e.totalCostUsdBefore)} → ${fmtUsd(e.totalCostUsdAfter)}`;
  if (e.costSavingsUsd > 0) parts.push(`saves ${fmtUsd(e.costSavingsUsd)} over the horizon (${cost})`);
  else if (e.costSavingsUsd < 0) parts.push(`adds ${fmtUsd(-e.costSavingsUsd)} of cost over the horizon (${cost})`);
  const b = e.month12GrossMarginPctBefore;
  const a = e.month12GrossMarginPctAfter;
  if (b !== null && a !== null) {
    const verb = a > b + 0.05 ? "raises" : a < b - 0.05 ? "lowers" : "keeps";
    parts.push(`${verb} the month-${metricMonth} gross margin ${verb === "keeps" ? `at ${fmtPct(a)}` : `from ${fmtPct(b)} to ${fmtPct(a)}`}`);
  }
  const cashDelta = e.cumulativeCashAtHorizonUsdAfter - e.cumulativeCashAtHorizonUsdBefore;
  if (Math.abs(cashDelta) >= 0.5) parts.push(`${cashDelta > 0 ? "adds" : "removes"} ${fmtUsd(Math.abs(cashDelta))} of cash at the horizon`);
  if (e.runwayMonthsAfter !== e.runwayMonthsBefore) parts.push(`${e.runwayMonthsAfter > e.runwayMonthsBefore ? "extends" : "shortens"} the runway from ${e.runwayMonthsBefore} to ${e.runwayMonthsAfter} months`);
  return parts.length > 0 ? parts.join("; ") : "changes none of the plan's figures";
}

/** True when a cost-saving change improves the plan without a trade-off: cost, margin and cash all move the right way. */
export function improves(e: RecommendationEffect): boolean {
  if (!(e.costSavingsUsd > MIN_SAVINGS_SHARE * Math.max(1, e.totalCostUsdBefore))) return false;
  const b = e.month12GrossMarginPctBefore;
  const a = e.month12GrossMarginPctAfter;
  if (b !== null && a !== null && a < b) return false;
  return e.cumulativeCashAtHorizonUsdAfter >= e.cumulativeCashAtHorizonUsdBefore;
}
