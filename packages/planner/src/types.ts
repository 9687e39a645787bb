/**
 * Input and output types of the planner. Input types mirror the shared contracts (use-case catalog
 * entry and stored scenario); output types are the serialisable Plan: plain JSON, no Infinity/NaN
 * (figures that do not exist are `null`).
 */

// ───────────────────────────── shared contracts (inputs) ─────────────────────────────

// The closed sets, as tuples: the API builds its schemas from them.
export const DOMAINS = [
  "language", "vision", "speech", "recommendation", "health", "finance",
  "education", "smart-home", "mobility", "manufacturing", "software",
] as const;
export type Domain = (typeof DOMAINS)[number];
export const MODALITIES = ["text", "image", "audio", "recommendation", "tabular"] as const;
export type Modality = (typeof MODALITIES)[number];
export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const CATALOG_BUSINESS_MODELS = ["api-sdk", "technical-services", "data-monetisation"] as const;
export type CatalogBusinessModel = (typeof CATALOG_BUSINESS_MODELS)[number];
export const BUSINESS_MODELS = [...CATALOG_BUSINESS_MODELS, "subscription"] as const;
export type BusinessModel = (typeof BUSINESS_MODELS)[number];
/** Weight precisions a scenario can serve at (the estimator's WEIGHT_QUANTIZATIONS without fp32). */
export const QUANTIZATIONS = ["fp16", "bf16", "fp8", "int8", "int4"] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];
import type { TrainingMethod } from "@modelplan/estimator";
export { TRAINING_METHODS, type TrainingMethod } from "@modelplan/estimator";
export const PRICING_MODELS = ["perSeatMonthly", "perRequest"] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];
export const OPTION_KINDS = ["hosted", "self-host", "fine-tune", "train-from-scratch"] as const;
/** How an option's capacity is paid: a capacity pricing, or per token for hosted APIs. */
export const OPTION_PRICINGS = ["on-demand", "spot", "reserved", "per-token"] as const;
export const RECOMMENDATION_CATEGORIES = ["quantisation", "smaller-model", "batching", "caching", "accelerator", "hosted-model", "reserved-capacity", "move-off-hosted", "pricing", "business-model", "on-premise"] as const;
export const RISK_DIMENSIONS = ["privacy", "regulation", "interpretability", "safety"] as const;
/** The assumptions the sensitivity analysis varies one at a time. */
export const SENSITIVITY_VARIABLES = ["growth", "requestsPerUser", "tokensPerRequest", "price", "gpuPrice", "utilisation", "hostedPrice"] as const;
export type SensitivityVariable = (typeof SENSITIVITY_VARIABLES)[number];

export interface RequestProfileFields {
  inputTokens?: number;
  outputTokens?: number;
  imageWidth?: number;
  imageHeight?: number;
  imagesPerRequest?: number;
  audioSeconds?: number;
  candidatesScored?: number;
  featuresPerRequest?: number;
}

export interface UseCase {
  slug: string;
  title: string;
  domain: Domain;
  task: string;
  description: string;
  modelFamilies: string[];
  parameterRange: { min: number; max: number; rationale: string };
  suggestedPresets: string[];
  requestProfile: RequestProfileFields & { modality: Modality; rationale: string };
  latencyTarget: { p95Ms: number; rationale: string };
  dataNeeds: string;
  risks: { privacy: RiskLevel; regulation: RiskLevel; interpretability: RiskLevel; safety: RiskLevel; notes: string };
  businessModels: CatalogBusinessModel[];
}

export type ModelStrategy =
  | { strategy: "hosted-api"; hostedModel: string }
  | {
      strategy: "self-host" | "fine-tune" | "train-from-scratch";
      preset?: string;
      parameters?: number;
      architecture?: Record<string, unknown>;
      quantization?: Quantization;
      trainingTokens?: number;
      trainingMethod?: TrainingMethod;
    };

export interface Scenario {
  id: string;
  workspaceId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  name: string;
  description?: string;
  useCases: string[];
  audience: { usersAtLaunch: number; monthlyGrowthPct: number; horizonMonths: number };
  usage: { requestsPerUserPerDay: number; peakToAverage?: number; requestProfile?: RequestProfileFields };
  model: ModelStrategy;
  hardware?: { accelerator: string; provider?: string; gpusPerReplica?: number };
  pricing?: { model: PricingModel; priceUsd: number };
  funding: { cashUsd: number; monthlyNonComputeBurnUsd: number };
  businessModel?: BusinessModel;
}

/** Knobs of a plan run. Every default is stated in the plan's assumptions with its source. */
export interface PlannerOptions {
  /** Gross margin the required price is computed for, percent (default 60). */
  targetGrossMarginPct?: number;
  /** Relative change applied to each assumption in the sensitivity analysis, percent (default 25). */
  sensitivityPct?: number;
  /** Share of a replica's measured capacity the fleet may use at peak, 0–1 (default 0.8). */
  targetPeakUtilisation?: number;
  /** Serving replicas kept running even without traffic (default 1). */
  minReplicas?: number;
  /** Tokens used to fine-tune when the scenario does not say (default 10M). */
  defaultFineTuneTokens?: number;
  /** Share of requests answered from a response cache in the caching recommendation (default 0.2). */
  cacheHitRate?: number;
  /**
   * Committed-use (reserved) discount on on-demand GPU prices, percent, from your provider's quote. The
   * price catalog publishes no reserved prices, so without it reserved options are not costed.
   */
  reservedDiscountPct?: number;
  /** Skip sensitivity and recommendations (used internally when re-running variants). */
  projectionsOnly?: boolean;
  /** Internal multipliers used by the sensitivity analysis and recommendations. */
  adjustments?: PlanAdjustments;
}

/** Multipliers and overrides a re-run applies on top of the scenario (all default to neutral). */
export interface PlanAdjustments {
  gpuPriceFactor?: number;
  hostedPriceFactor?: number;
  unitsPerRequestFactor?: number;
  /** Fraction of model requests removed by a response cache (0–1). */
  cacheHitRate?: number;
  /** Batch-size multiplier asked of the serving estimate (batching recommendation). */
  servingBatchFactor?: number;
  /** Use reserved prices for self-hosted capacity from this month on. */
  reservedFromMonth?: number;
  /** Replace the scenario's deployment from this month on with this option id (switch after crossover). */
  switchToOptionFromMonth?: { month: number; optionId: string };
}

// ───────────────────────────── plan (output) ─────────────────────────────

export interface Assumption {
  name: string;
  value: number | string | boolean | null;
  unit: string;
  source: string;
}

export interface Range3 { low: number; expected: number; high: number }

export interface MonthDemand {
  month: number;
  users: number;
  requests: number;
  averageRequestsPerSec: number;
  peakRequestsPerSec: number;
  inputTokens: number;
  outputTokens: number;
  /** Modality units processed: images, audio seconds, candidates scored, feature rows (0 for text). */
  units: number;
}

export interface WorkloadMonth extends MonthDemand {}

export type OptionKind = (typeof OPTION_KINDS)[number];
export type CapacityPricing = "on-demand" | "spot" | "reserved";

/** Month-by-month figures of one option, one array element per month (index 0 = month 1). */
export interface OptionSeries {
  computeCostUsd: number[];
  costPerRequestUsd: (number | null)[];
  /** Self-hosting only (null for hosted APIs). */
  replicas: number[] | null;
  gpus: number[] | null;
  /** Average load over provisioned capacity, 0–1. */
  utilisation: number[] | null;
  /** Part of the compute bill paid for capacity that sat idle. */
  idleCostUsd: number[] | null;
}

/** One month of one option (used internally and for the chosen deployment's rows). */
export interface OptionMonth {
  month: number;
  computeCostUsd: number;
  costPerRequestUsd: number | null;
  replicas: number | null;
  gpus: number | null;
  utilisation: number | null;
  idleCostUsd: number | null;
  pricing: CapacityPricing | "per-token";
}

export interface DeploymentOption {
  id: string;
  label: string;
  kind: OptionKind;
  workload: string;
  model: { id: string; label: string; parameters: number | null; quantization: Quantization | null };
  accelerator: { id: string; label: string; provider: string; gpusPerReplica: number } | null;
  pricing: CapacityPricing | "per-token";
  priceSource: string;
  /** Spot capacity can be taken back at short notice; it is listed but never counted as the cheapest. */
  interruptible: boolean;
  /** Capacity of one replica at the latency target, requests per second ({low, expected, high}). */
  capacityRequestsPerSecPerReplica: Range3 | null;
  oneOffCostUsd: number;
  oneOffDetail: string | null;
  series: OptionSeries;
  /** Running cost over the horizon plus the one-off cost. */
  totalCostUsd: number;
  notes: string[];
}

export interface Crossover {
  month: number;
  from: string;
  to: string;
  reason: string;
}

export interface Workload {
  useCase: string;
  title: string;
  modality: Modality;
  share: number;
  profile: RequestProfileFields;
  latencyTargetMs: number;
  months: WorkloadMonth[];
  optionIds: string[];
  chosenOptionId: string;
  chosenReason: string;
  cheapestByMonth: string[];
  crossovers: Crossover[];
  /** First month where the best self-hosting option is cheaper than the best hosted model (build vs buy). */
  buildVsBuyCrossoverMonth: number | null;
}

export interface PlanMonth extends MonthDemand {
  computeCostUsd: number;
  oneOffCostUsd: number;
  costPerRequestUsd: number | null;
  revenueUsd: number;
  grossMarginUsd: number;
  grossMarginPct: number | null;
  nonComputeBurnUsd: number;
  netCashFlowUsd: number;
  cumulativeCashUsd: number;
  /** Cheapest total (sum of each workload's cheapest option) for comparison with the chosen deployment. */
  cheapestComputeCostUsd: number;
  requiredPriceUsd: number | null;
}

export interface RevenueStream {
  name: string;
  businessModel: BusinessModel;
  basis: string;
  months: number[];
  totalUsd: number;
}

export interface HeadlineOption { optionId: string; label: string; monthlyCostUsd: number; costPerRequestUsd: number | null }

export interface PlanResults {
  cheapestNow: HeadlineOption;
  cheapestAtHorizon: HeadlineOption;
  chosen: { optionIds: string[]; label: string };
  crossovers: Crossover[];
  buildVsBuyCrossoverMonth: number | null;
  /** First month whose net cash flow (revenue − compute − one-off − burn) is ≥ 0. */
  breakEvenMonth: number | null;
  /** First month at whose end cumulative cash is below zero; null when the cash lasts the horizon. */
  runOutMonth: number | null;
  /** Months fully funded: runOutMonth − 1, or the horizon when cash never runs out (then `runwayBeyondHorizon`). */
  runwayMonths: number;
  runwayBeyondHorizon: boolean;
  metricMonth: number;
  grossMarginPctAtMetricMonth: number | null;
  cumulativeCashAtHorizonUsd: number;
  totalComputeCostUsd: number;
  totalRevenueUsd: number;
  requiredPrice: {
    targetGrossMarginPct: number;
    unit: string;
    month1: number | null;
    metricMonth: number | null;
    horizon: number | null;
    everyMonth: number | null;
    current: number;
    breakEvenAtHorizon: number | null;
  };
}

export interface SensitivityRow {
  variable: SensitivityVariable;
  label: string;
  baseValue: number | null;
  unit: string;
  lowValue: number | null;
  highValue: number | null;
  grossMarginPctLow: number | null;
  grossMarginPctHigh: number | null;
  grossMarginSwingPct: number;
  runwayMonthsLow: number;
  runwayMonthsHigh: number;
  runwaySwingMonths: number;
  note: string | null;
}

export interface Sensitivity {
  pct: number;
  metricMonth: number;
  baseGrossMarginPct: number | null;
  baseRunwayMonths: number;
  rows: SensitivityRow[];
  rankByRunway: SensitivityVariable[];
}

export interface RecommendationEffect {
  month12GrossMarginPctBefore: number | null;
  month12GrossMarginPctAfter: number | null;
  totalComputeCostUsdBefore: number;
  totalComputeCostUsdAfter: number;
  computeSavingsUsd: number;
  runwayMonthsBefore: number;
  runwayMonthsAfter: number;
  cumulativeCashAtHorizonUsdBefore: number;
  cumulativeCashAtHorizonUsdAfter: number;
}

export interface Recommendation {
  id: string;
  category: (typeof RECOMMENDATION_CATEGORIES)[number];
  title: string;
  change: string;
  rationale: string;
  effect: RecommendationEffect;
  caveats: string[];
}

export interface RiskItem {
  useCase: string;
  dimension: (typeof RISK_DIMENSIONS)[number];
  level: RiskLevel;
  notes: string;
  mitigations: { name: string; how: string; effect: RecommendationEffect | null }[];
}

export interface Plan {
  kind: "modelplan.plan";
  schemaVersion: 1;
  scenario: { id: string; version: number; name: string; updatedAt: string };
  catalogVersions: Record<string, string>;
  horizonMonths: number;
  pricingModel: PricingModel;
  priceUsd: number;
  businessModel: BusinessModel | null;
  months: PlanMonth[];
  workloads: Workload[];
  options: DeploymentOption[];
  revenueStreams: RevenueStream[];
  results: PlanResults;
  sensitivity: Sensitivity | null;
  recommendations: Recommendation[];
  risks: RiskItem[];
  assumptions: Assumption[];
  warnings: string[];
}
