/**
 * The plan (output) types: plain JSON, no Infinity/NaN (figures that do not exist are `null`).
 * Input types are in types.ts.
 */
import type { BusinessModel, Modality, PricingModel, QualityBenchmark, QualityFloor, Quantization, RequestProfileFields } from "./shared-types";

export interface Assumption {
  name: string;
  value: number | string | boolean | null;
  unit: string;
  source: string;
}

export interface Range3 { low: number; expected: number; high: number }

export interface MonthDemand {
  month: number;
  /** Active users (paying and free). */
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

export const OPTION_KINDS = ["hosted", "self-host", "fine-tune", "train-from-scratch"] as const;
export type OptionKind = (typeof OPTION_KINDS)[number];
/** owned: a measured machine you own, paid by its total cost of ownership per hour, busy or idle. */
export const OPTION_PRICINGS = ["on-demand", "spot", "reserved", "owned", "per-token"] as const;
/**
 * How a measured-hardware option's capacity was obtained: measured (a benchmark run of exactly this
 * configuration on the box), predicted (the profile's calibrated prediction for another size, with its
 * band), estimated (the estimator's formulas at the efficiency the box's runs measured).
 */
export const MEASUREMENT_BASES = ["measured", "predicted", "estimated"] as const;
export type MeasurementBasis = (typeof MEASUREMENT_BASES)[number];
export type CapacityPricing = Exclude<(typeof OPTION_PRICINGS)[number], "per-token">;

/** Month-by-month figures of one option, one array element per month (index 0 = month 1). */
export interface OptionSeries {
  computeCostUsd: number[];
  /** Engineering and on-call effort self-hosting needs (0 for hosted APIs). */
  peopleCostUsd: number[];
  /** Compute + people: the running cost options are compared on. */
  runningCostUsd: number[];
  /**
   * Running cost with the fleet's fractional replicas instead of whole ones (hosted: the bill itself). The
   * cheapest option and crossovers are chosen on it, so rounding to whole replicas does not flip them.
   */
  capacityCostUsd: number[];
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
  peopleCostUsd: number;
  capacityCostUsd: number;
  costPerRequestUsd: number | null;
  replicas: number | null;
  gpus: number | null;
  utilisation: number | null;
  idleCostUsd: number | null;
  pricing: CapacityPricing | "per-token";
}

/** Where an option stands against its use case's quality floor. */
export interface OptionQuality {
  benchmark: QualityBenchmark | null;
  /** The model's score on that benchmark (null: no verified published score). */
  score: number | null;
  /** true: meets the floor; false: below it; null: no floor, or no score to compare. */
  meetsFloor: boolean | null;
  source: string | null;
  note: string | null;
}

/** What a fine-tune or training run costs before the model serves its first request. */
export interface OneOffBreakdown {
  /** GPU bill of the training run after the provider's minimum billing. */
  gpuUsd: number;
  /** GPU-hours the estimator expects the run to take. */
  gpuHours: number;
  /** GPU-hours billed: whole instances, each for at least the provider's minimum billed time. */
  billedGpuHours: number;
  billingRule: string;
  dataPreparationUsd: number;
  evaluationUsd: number;
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
  /** Engineering and on-call effort per month, USD (self-hosting; 0 for hosted APIs). */
  peopleCostUsdPerMonth: number;
  oneOffCostUsd: number;
  oneOffDetail: string | null;
  oneOffBreakdown: OneOffBreakdown | null;
  quality: OptionQuality;
  series: OptionSeries;
  /** Running cost (compute + people) over the horizon plus the one-off cost. */
  totalCostUsd: number;
  notes: string[];
  /** Present on an option served on a measured hardware profile ("our own box"). */
  measured?: OptionMeasurement;
}

/** Where a measured-hardware option's figures come from. */
export interface OptionMeasurement {
  profileId: string;
  basis: MeasurementBasis;
  detail: string;
  /** Benchmark runs the capacity rests on. */
  runIds: string[];
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
  qualityFloor: QualityFloor | null;
  months: WorkloadMonth[];
  optionIds: string[];
  chosenOptionId: string;
  chosenReason: string;
  /** Cheapest eligible option per month (not spot; meets the quality floor when the use case has one). */
  cheapestByMonth: string[];
  crossovers: Crossover[];
  /** First month where the best self-hosting option (full cost) is cheaper than the best hosted model (build vs buy). */
  buildVsBuyCrossoverMonth: number | null;
  /** Options left out of "cheapest" because they score below the floor. */
  belowFloorOptionIds: string[];
  /** Options left out of "cheapest" because no published score shows they meet the floor. */
  unscoredOptionIds: string[];
  /** How the cheapest option was chosen (capacity cost, hysteresis, quality floor). */
  selectionRule: string;
}

export interface PlanMonth extends MonthDemand {
  // funnel
  payingUsers: number;
  freeUsers: number;
  signups: number;
  newPayingUsers: number;
  churnedPayingUsers: number;
  churnedFreeUsers: number;
  // revenue
  /** Revenue of the product's own pricing (seats, requests, tokens or hybrid). */
  productRevenueUsd: number;
  /** Revenue of the scenario's other revenue lines (API/SDK, services, data products). */
  otherRevenueUsd: number;
  revenueUsd: number;
  /** Revenue that recurs month to month (product, API/SDK, data products; not services), USD. */
  recurringRevenueUsd: number;
  // costs
  computeCostUsd: number;
  /** Engineering and on-call effort of self-hosted deployments. */
  peopleCostUsd: number;
  /** Cost of delivering the other revenue lines (services hours, data-product pipelines). */
  deliveryCostUsd: number;
  /** Compute + people + delivery. */
  costOfRevenueUsd: number;
  oneOffCostUsd: number;
  costPerRequestUsd: number | null;
  grossMarginUsd: number;
  grossMarginPct: number | null;
  /** Sales and marketing spent to acquire customers. */
  acquisitionCostUsd: number;
  /** Gross margin − acquisition spend. */
  contributionMarginUsd: number;
  contributionMarginPct: number | null;
  nonComputeBurnUsd: number;
  netCashFlowUsd: number;
  cumulativeCashUsd: number;
  /** Running cost (compute + people) had each use case used its cheapest eligible option this month. */
  cheapestRunningCostUsd: number;
  requiredPriceUsd: number | null;
  // unit economics
  /** Product revenue per paying user. */
  arpuUsd: number | null;
  /** Product gross profit per paying user (free users' cost included). */
  grossProfitPerPayingUserUsd: number | null;
  /** Acquisition spend per new paying user (null: none acquired or no acquisition cost given). */
  cacUsd: number | null;
  /** Months of gross profit per paying user to recover the CAC (null: never, or no CAC). */
  cacPaybackMonths: number | null;
  /** Gross profit per paying user / monthly paid churn (null: not meaningful — gross profit ≤ 0 or no paying users — or no churn, unbounded). */
  ltvUsd: number | null;
  /** LTV / CAC (null: no LTV, or no CAC). */
  ltvToCac: number | null;
  /** max(0, −net cash flow). */
  netBurnUsd: number;
  /** 12 × the month's change in recurring revenue. */
  netNewArrUsd: number | null;
  /** Net burn / net new ARR (Sacks 2020); null when not burning or ARR does not grow. */
  burnMultiple: number | null;
  /** Cash at the end of the month / this month's net burn (null when not burning). */
  runwayMonthsAtCurrentBurn: number | null;
}

/** What a revenue stream is: the product's business model, or one of the other revenue lines. */
export const REVENUE_STREAM_KINDS = ["api-sdk", "technical-services", "data-monetisation", "subscription", "data-products"] as const;
export type RevenueStreamKind = (typeof REVENUE_STREAM_KINDS)[number];

export interface RevenueStream {
  name: string;
  businessModel: RevenueStreamKind;
  basis: string;
  months: number[];
  /** Cost of delivering this stream each month (its share of compute and people for product and API lines). */
  deliveryCostUsd: number[];
  totalUsd: number;
  grossMarginPct: number | null;
}

export interface HeadlineOption {
  optionId: string;
  label: string;
  monthlyCostUsd: number;
  costPerRequestUsd: number | null;
  /** True when every workload's pick meets its quality floor (false: no option met it, so the cheapest overall is shown). */
  meetsQualityFloor: boolean;
}

export interface BelowFloorOption {
  optionId: string;
  label: string;
  workload: string;
  benchmark: QualityBenchmark | null;
  score: number | null;
  minimum: number | null;
  reason: "below-floor" | "no-score";
}

export interface UnitEconomicsSummary {
  month: number;
  payingUsers: number;
  freeUsers: number;
  arpuUsd: number | null;
  grossMarginPct: number | null;
  contributionMarginPct: number | null;
  cacUsd: number | null;
  cacPaybackMonths: number | null;
  ltvUsd: number | null;
  ltvToCac: number | null;
  burnMultiple: number | null;
  runwayMonthsAtCurrentBurn: number | null;
}

export interface PlanResults {
  cheapestNow: HeadlineOption;
  cheapestAtHorizon: HeadlineOption;
  chosen: { optionIds: string[]; label: string };
  crossovers: Crossover[];
  buildVsBuyCrossoverMonth: number | null;
  /** Options kept out of "cheapest" by the use cases' quality floors. */
  belowQualityFloor: BelowFloorOption[];
  /** First month whose net cash flow is ≥ 0. */
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
  /** Compute + people + delivery + one-off over the horizon. */
  totalCostOfRevenueUsd: number;
  totalAcquisitionCostUsd: number;
  totalRevenueUsd: number;
  unitEconomics: UnitEconomicsSummary;
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

/** Assumptions the sensitivity analysis varies, one tornado row each. */
export const SENSITIVITY_VARIABLES = ["conversion", "paidChurn", "cac", "growth", "requestsPerUser", "tokensPerRequest", "price", "gpuPrice", "utilisation", "hostedPrice"] as const;
export type SensitivityVariable = (typeof SENSITIVITY_VARIABLES)[number];

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
  cashAtHorizonUsdLow: number;
  cashAtHorizonUsdHigh: number;
  cashSwingUsd: number;
  note: string | null;
}

export interface Sensitivity {
  pct: number;
  metricMonth: number;
  baseGrossMarginPct: number | null;
  baseRunwayMonths: number;
  baseCashAtHorizonUsd: number;
  /** Ranked by the swing in cash at the horizon (the tornado), then margin and runway. */
  rows: SensitivityRow[];
  rankByRunway: SensitivityVariable[];
  rankByGrossMargin: SensitivityVariable[];
}

export interface RecommendationEffect {
  month12GrossMarginPctBefore: number | null;
  month12GrossMarginPctAfter: number | null;
  /** Compute + people + delivery + one-off over the horizon. */
  totalCostUsdBefore: number;
  totalCostUsdAfter: number;
  /** Before − after (positive: the change saves money). */
  costSavingsUsd: number;
  runwayMonthsBefore: number;
  runwayMonthsAfter: number;
  cumulativeCashAtHorizonUsdBefore: number;
  cumulativeCashAtHorizonUsdAfter: number;
}

export const RECOMMENDATION_CATEGORIES = ["quantisation", "smaller-model", "batching", "caching", "accelerator", "hosted-model", "reserved-capacity", "move-off-hosted", "pricing", "acquisition", "business-model", "on-premise"] as const;

export interface Recommendation {
  id: string;
  category: (typeof RECOMMENDATION_CATEGORIES)[number];
  title: string;
  change: string;
  /** Why the change helps, then its effect, written from `effect`'s numbers. */
  rationale: string;
  effect: RecommendationEffect;
  caveats: string[];
}

export const RISK_DIMENSIONS = ["privacy", "regulation", "interpretability", "safety"] as const;

export interface RiskItem {
  useCase: string;
  dimension: (typeof RISK_DIMENSIONS)[number];
  level: "low" | "medium" | "high";
  notes: string;
  mitigations: { name: string; how: string; effect: RecommendationEffect | null }[];
}

export interface Plan {
  kind: "modelplan.plan";
  schemaVersion: 2;
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
  /** The measured hardware profiles this plan costed as deployment options ("our own box"); absent when none. */
  measuredHardware?: PlanMeasuredHardware[];
}

/** A measured hardware profile as a plan costed it: what it is, what an hour of it costs, its options. */
export interface PlanMeasuredHardware {
  profileId: string;
  label: string;
  /** Where its arithmetic runs: a GPU, or the CPU (software GPU emulation is a CPU). */
  kind: "cpu" | "gpu";
  /** "software GPU emulation (not a GPU)" for a software adapter (lavapipe, SwiftShader); null otherwise. */
  emulation: string | null;
  /** One hour of the box, USD. */
  usdPerHour: number;
  pricing: "owned" | "on-demand";
  /** The price's arithmetic and sources. */
  priceSource: string;
  /** The precision its runs were measured in (options on it are served in it). */
  precision: "fp32" | "fp16";
  /** The plan's options on this box. */
  optionIds: string[];
  /** What could not be costed on it, and why. */
  notes: string[];
}
