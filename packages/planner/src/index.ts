// @modelplan/planner — startup plans for a scenario: month-by-month demand and cost of every way to get
// the model (hosted APIs, self-hosting, fine-tuning), revenue, margins, cash, break-even, runway, the
// price needed for a target margin, sensitivity, recommendations and risks; HTML/Markdown reports with
// server-rendered SVG charts. Pure: no I/O.
import { estimatorCatalog } from "./estimator-adapter";
import { buildPlan } from "./plan";
import type { Plan, PlannerOptions, Scenario, UseCase } from "./types";

export { buildPlan, resolveSettings } from "./plan";
export { estimatorCatalog, knownPresetIds, TRANSCRIPT_TOKENS_PER_AUDIO_SECOND } from "./estimator-adapter";
export { PlannerInputError } from "./errors";
export { PLAN_LIMITS, validatePlanInput } from "./validate";
export { DAYS_PER_MONTH, HOURS_PER_MONTH, SECONDS_PER_MONTH, projectDemand, usersInMonth } from "./demand";
export { DEFAULT_SETTINGS, DEFAULT_PEAK_TO_AVERAGE, CHINCHILLA_TOKENS_PER_PARAMETER } from "./projection";
export { genericScorer, mlpWithParameters } from "./generic-model";
export * from "./report/index";
export type * from "./types";
export {
  BUSINESS_MODELS,
  CATALOG_BUSINESS_MODELS,
  DOMAINS,
  MODALITIES,
  OPTION_KINDS,
  OPTION_PRICINGS,
  PRICING_MODELS,
  QUANTIZATIONS,
  RECOMMENDATION_CATEGORIES,
  RISK_DIMENSIONS,
  RISK_LEVELS,
  SENSITIVITY_VARIABLES,
  TRAINING_METHODS,
} from "./types";
export type * from "./catalog";

/**
 * Plans a scenario against the estimator's catalogs (hardware, cloud prices, hosted models, presets).
 * `useCases` are the catalog entries the scenario names; `catalogVersions` (e.g. { useCases: "2026-11-22.1" })
 * are recorded in the plan next to the estimator's.
 */
export function planScenario(scenario: Scenario, useCases: UseCase[], options: PlannerOptions = {}, catalogVersions: Record<string, string> = {}): Plan {
  return buildPlan(scenario, useCases, estimatorCatalog(), options, catalogVersions);
}
