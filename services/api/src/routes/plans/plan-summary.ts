import type { Plan } from "@modelplan/planner";
import type { PlanSummary, StoredPlan } from "./plans.schemas";

export function planUrl(id: string): string {
  return `/v1/plans/${id}`;
}

/** The headline figures of a plan, stored beside it so listings never read the document. Pure (the plan worker runs it). */
export function summarise(id: string, stored: Omit<StoredPlan, "plan" | "reportUrl" | "options">, plan: Plan): PlanSummary {
  const r = plan.results;
  return {
    id,
    scenarioId: stored.scenarioId,
    scenarioVersion: stored.scenarioVersion,
    catalogVersion: stored.catalogVersion,
    estimatorCatalogVersion: stored.estimatorCatalogVersion,
    createdAt: stored.createdAt,
    horizonMonths: plan.horizonMonths,
    cheapestNow: r.cheapestNow.label,
    cheapestAtHorizon: r.cheapestAtHorizon.label,
    breakEvenMonth: r.breakEvenMonth,
    runOutMonth: r.runOutMonth,
    runwayMonths: r.runwayMonths,
    grossMarginPctAtMetricMonth: r.grossMarginPctAtMetricMonth,
    totalComputeCostUsd: r.totalComputeCostUsd,
    url: planUrl(id),
  };
}
