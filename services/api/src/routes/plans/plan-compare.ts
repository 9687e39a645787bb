import type { Plan } from "@modelplan/planner";
import type { ComparedPlan, PlanRequest } from "./plans.schemas";

export type ComparedSource = ComparedPlan["optionsSource"];

/** One compared item from a plan and where it came from. Pure (the plan worker runs it). */
export function comparedItem(plan: Plan, scenario: { id: string; version: number; name: string }, planId: string | null, options: PlanRequest, optionsSource: ComparedSource): ComparedPlan {
  const r = plan.results;
  return {
    planId,
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    name: scenario.name,
    options,
    optionsSource,
    horizonMonths: plan.horizonMonths,
    chosen: r.chosen.label,
    cheapestNow: r.cheapestNow.label,
    cheapestAtHorizon: r.cheapestAtHorizon.label,
    totalComputeCostUsd: r.totalComputeCostUsd,
    totalCostOfRevenueUsd: r.totalCostOfRevenueUsd,
    totalRevenueUsd: r.totalRevenueUsd,
    grossMarginPctAtMetricMonth: r.grossMarginPctAtMetricMonth,
    metricMonth: r.metricMonth,
    payingUsersAtMetricMonth: r.unitEconomics.payingUsers,
    ltvToCac: r.unitEconomics.ltvToCac,
    cacPaybackMonths: r.unitEconomics.cacPaybackMonths,
    breakEvenMonth: r.breakEvenMonth,
    runOutMonth: r.runOutMonth,
    runwayMonths: r.runwayMonths,
    cumulativeCashAtHorizonUsd: r.cumulativeCashAtHorizonUsd,
    requiredPriceUsd: r.requiredPrice.everyMonth,
    priceUnit: r.requiredPrice.unit,
    targetGrossMarginPct: r.requiredPrice.targetGrossMarginPct,
    monthlyComputeCostUsd: plan.months.map((m) => m.computeCostUsd + m.oneOffCostUsd),
    cumulativeCashUsd: plan.months.map((m) => m.cumulativeCashUsd),
  };
}

/** Which scenario wins on each measure of a comparison. */
export function bestOf(items: ComparedPlan[]) {
  const by = <T>(pick: (x: ComparedPlan) => T | null, better: (a: T, b: T) => boolean): string | null => {
    let best: ComparedPlan | null = null;
    for (const x of items) {
      const v = pick(x);
      if (v === null) continue;
      if (best === null || better(v, pick(best) as T)) best = x;
    }
    return best ? best.scenarioId : null;
  };
  return {
    lowestComputeCost: by((x) => x.totalComputeCostUsd, (a, b) => a < b) ?? items[0].scenarioId,
    highestGrossMargin: by((x) => x.grossMarginPctAtMetricMonth, (a, b) => a > b),
    longestRunway: by((x) => [x.runwayMonths, x.cumulativeCashAtHorizonUsd] as const, (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])) ?? items[0].scenarioId,
    earliestBreakEven: by((x) => x.breakEvenMonth, (a, b) => a < b),
  };
}
