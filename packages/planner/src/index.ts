// @modelplan/planner — startup plans for a scenario: the customer funnel, month-by-month demand and the
// full cost of every way to get the model (hosted APIs, self-hosting with its people cost, fine-tuning),
// compared at equal quality; revenue lines, margins, cash, unit economics (CAC payback, LTV/CAC, burn
// multiple, runway), break-even, the price needed for a target margin, sensitivity, recommendations and
// risks; HTML/Markdown reports with server-rendered SVG charts. Pure: no I/O.
import { estimatorCatalog } from "./estimator-adapter";
import { buildPlan } from "./plan";
import type { Plan, PlannerOptions, Scenario, UseCase } from "./types";

export { buildPlan, resolveSettings, PLAN_SCHEMA_VERSION } from "./plan";
export { estimatorCatalog, knownPresetIds, TRANSCRIPT_TOKENS_PER_AUDIO_SECOND } from "./estimator-adapter";
export { PlannerInputError } from "./errors";
export { PLAN_LIMITS, validatePlanInput } from "./validate";
export { DAYS_PER_MONTH, HOURS_PER_MONTH, SECONDS_PER_MONTH, projectDemand, usersInMonth } from "./demand";
export { DEFAULT_PEAK_TO_AVERAGE } from "./projection";
export { DEFAULT_SETTINGS, engineerMonthUsd } from "./settings";
export { CHINCHILLA_TOKENS_PER_PARAMETER } from "./workload";
export { FUNNEL_DEFAULTS, PEOPLE_DEFAULTS, BILLING_RULES, DEFAULT_CROSSOVER_HYSTERESIS_PCT } from "./defaults";
export { projectFunnel, resolveFunnel } from "./funnel";
export { busiestMonth, projectTraffic } from "./traffic";
export type { ScenarioTraffic, TrafficMonth } from "./traffic";
export { qualityCatalog, assessQuality } from "./quality";
export { describeEffect, improves } from "./recommendations/index";
export { BUSINESS_MODELS, CATALOG_BUSINESS_MODELS, DOMAINS, MODALITIES, PRICING_MODELS, QUALITY_BENCHMARKS, QUANTIZATIONS, REVENUE_LINE_KINDS, RISK_LEVELS, TRAINING_METHODS } from "./types";
export { MEASUREMENT_BASES, OPTION_KINDS, OPTION_PRICINGS, RECOMMENDATION_CATEGORIES, REVENUE_STREAM_KINDS, RISK_DIMENSIONS } from "./plan-types";
export { SENSITIVITY_VARIABLES } from "./sensitivity";
export { genericScorer, mlpWithParameters } from "./generic-model";
export { HARDWARE_PRICE_KINDS, HOURS_PER_YEAR, POWER_BASES, hourlyCost, kwhPerMillion, rateBand, trainingRunCost, usdPerMillion } from "./hardware-price";
export type { CloudInstancePrice, HardwarePrice, HardwarePriceKind, HourlyCost, OwnedHardwarePrice, PowerBasis, PowerDraw, RateBand } from "./hardware-price";
export * from "./report/index";
export type * from "./types";
export type * from "./catalog";
export type { QualityCatalog, QualityScore, ModelQualityRecord, BenchmarkInfo } from "./quality";

/**
 * Plans a scenario against the estimator's catalogs (hardware, cloud prices, hosted models, presets) and
 * the quality catalog. `useCases` are the catalog entries the scenario names; `catalogVersions` (e.g.
 * { useCases: "2026-11-23.1" }) are recorded in the plan next to the estimator's.
 */
export function planScenario(scenario: Scenario, useCases: UseCase[], options: PlannerOptions = {}, catalogVersions: Record<string, string> = {}): Plan {
  return buildPlan(scenario, useCases, estimatorCatalog(), options, catalogVersions);
}
