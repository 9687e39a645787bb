import { measuredHardwareWarnings, planMeasuredHardware } from "./measured-options";
import type { PlannerCatalog } from "./catalog";
import { PlannerInputError } from "./errors";
import { runProjection } from "./projection";
import { recommend } from "./recommendations/index";
import { assessRisks } from "./risks";
import { sensitivityAnalysis } from "./sensitivity";
import { resolveSettings } from "./settings";
import type { Plan, PlannerOptions, Scenario, UseCase } from "./types";
import { validatePlanInput } from "./validate";

export { resolveSettings } from "./settings";

/** Version of the plan document; plans stored with an earlier version keep their original shape. */
export const PLAN_SCHEMA_VERSION = 2;

/**
 * Builds the startup plan of a scenario against a catalog: month-by-month projections, every deployment
 * option, headline results, sensitivity, recommendations and risks. Pure and deterministic.
 * Throws PlannerInputError (with the field path) when the scenario lacks what a plan needs.
 */
export function buildPlan(scenario: Scenario, useCases: UseCase[], baseCatalog: PlannerCatalog, options: PlannerOptions = {}, catalogVersions: Record<string, string> = {}): Plan {
  // Measured machines join the catalog for this plan only (a new object: the catalog's memo of serving
  // estimates is per catalog, so the shared catalog's memo never holds a workspace's hardware).
  const catalog = options.measuredHardware?.length ? { ...baseCatalog, measuredHardware: options.measuredHardware } : baseCatalog;
  validatePlanInput(scenario, useCases, catalog, options);
  const settings = resolveSettings(options);
  const base = runProjection(scenario, useCases, catalog, settings, options.adjustments ?? {});
  const full = !options.projectionsOnly;
  const sensitivity = full ? sensitivityAnalysis(base, useCases, catalog) : null;
  const rec = full ? recommend(base, useCases, catalog) : { recommendations: [], warnings: [] };
  const risk = full ? assessRisks(base, useCases, catalog) : { risks: [], warnings: [] };
  const plan: Plan = {
    kind: "modelplan.plan",
    schemaVersion: PLAN_SCHEMA_VERSION,
    scenario: { id: scenario.id, version: scenario.version, name: scenario.name, updatedAt: scenario.updatedAt },
    catalogVersions: { ...catalog.versions, quality: catalog.quality.version, ...catalogVersions },
    horizonMonths: scenario.audience.horizonMonths,
    pricingModel: scenario.pricing!.model,
    priceUsd: scenario.pricing!.priceUsd,
    businessModel: scenario.businessModel ?? null,
    months: base.months,
    workloads: base.states.map((s) => s.workload),
    options: base.options,
    revenueStreams: base.revenueStreams,
    results: base.results,
    sensitivity,
    recommendations: rec.recommendations,
    risks: risk.risks,
    assumptions: base.assumptions,
    warnings: [...base.warnings, ...measuredHardwareWarnings(options, base.options), ...rec.warnings, ...risk.warnings],
    ...(options.measuredHardware?.length ? { measuredHardware: planMeasuredHardware(options.measuredHardware, base.options) } : {}),
  };
  const bad = firstNonFinite(plan);
  if (bad) throw new PlannerInputError([], `These inputs drive a figure of the plan out of numeric range (${bad}); use smaller growth, traffic or prices.`);
  return plan;
}

/** JSON path of the first NaN or ±Infinity in a value (JSON would turn it into null), or null. */
export function firstNonFinite(value: unknown, path = "$"): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = firstNonFinite(value[i], `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const p = firstNonFinite(v, `${path}.${k}`);
      if (p) return p;
    }
  }
  return null;
}
