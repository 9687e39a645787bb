/**
 * Input types of the planner: the use-case catalog entry, the stored scenario and the plan options.
 * The plan (output) types live in plan-types.ts and are re-exported here. Enumerations are exported as
 * `as const` tuples so the API's zod schemas are built from them.
 */

export * from "./shared-types";
import type { MeasuredHardware } from "./measured-types";
import type { Domain, Modality, RiskLevel, CatalogBusinessModel, BusinessModel, Quantization, TrainingMethod, PricingModel, RequestProfileFields, QualityFloor } from "./shared-types";

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
  /** Absent in catalog rows stored before quality floors existed: then no floor applies. */
  qualityFloor?: QualityFloor;
  dataNeeds: string;
  risks: { privacy: RiskLevel; regulation: RiskLevel; interpretability: RiskLevel; safety: RiskLevel; notes: string };
  businessModels: CatalogBusinessModel[];
}

// ───────────────────────────── scenario ─────────────────────────────

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

/** The free plan: users who do not convert stay on it, capped at its monthly requests. */
export interface FreeTier {
  requestsPerUserPerMonth: number;
}

export type Pricing =
  | {
      /** Per seat-month, per request, or per million tokens (prompt + reply). */
      model: Exclude<PricingModel, "hybrid">;
      /** USD per seat-month, per request or per million tokens. */
      priceUsd: number;
      freeTier?: FreeTier;
    }
  | {
      /** A seat with included requests, then overage per request. */
      model: "hybrid";
      /** USD per seat-month. */
      priceUsd: number;
      /** Requests a seat includes each month. */
      includedRequestsPerSeat: number;
      /** USD per request beyond the included ones. */
      overageUsdPerRequest: number;
      freeTier?: FreeTier;
    };

/** Where sign-ups come from: a number of sign-ups, or visitors and the share who sign up. */
export type SignupSource = { signupsPerMonth: number } | { visitorsPerMonth: number; visitorToSignupPct: number };

/** What acquiring customers costs: per new paying customer (CAC), or a flat monthly spend (CAC derived). */
export type AcquisitionSpend = { cacUsd: number } | { marketingUsdPerMonth: number };

/**
 * The customer funnel. Without `signups`, the audience's active users drive it (sign-ups are whatever
 * keeps the active base on its growth path after churn); with them, the sign-ups drive the active base.
 * Every field is optional; defaults are sourced (see defaults.ts).
 */
export interface Funnel {
  /** Sign-ups (or visitors × sign-up rate) in month 1. */
  signups?: SignupSource;
  /** Compound monthly growth of sign-ups or visitors, percent (default: the audience's growth). */
  signupGrowthPct?: number;
  /** Percent of sign-ups who become paying customers. */
  freeToPaidPct?: number;
  /** Percent of paying customers who leave each month. */
  paidChurnPct?: number;
  /** Percent of free users who leave each month. */
  freeChurnPct?: number;
  /** Acquisition cost per new paying customer, or flat marketing spend. */
  acquisition?: AcquisitionSpend;
}

export type RevenueLine =
  | { kind: "api-sdk"; name?: string; requestsPerMonth: number; monthlyGrowthPct?: number; priceUsdPerRequest: number; startMonth?: number }
  | { kind: "technical-services"; name?: string; billableHoursPerMonth: number; monthlyGrowthPct?: number; hourlyRateUsd: number; deliveryCostUsdPerHour?: number; startMonth?: number }
  | {
      kind: "data-products";
      name?: string;
      customers: number;
      monthlyGrowthPct?: number;
      priceUsdPerCustomerMonth: number;
      deliveryCostUsdPerMonth?: number;
      deliveryCostUsdPerCustomerMonth?: number;
      startMonth?: number;
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
  usage: {
    /** Requests per active user per day (free users included unless freeRequestsPerUserPerDay is given). */
    requestsPerUserPerDay: number;
    /** Requests per free user per day (default: requestsPerUserPerDay). */
    freeRequestsPerUserPerDay?: number;
    peakToAverage?: number;
    requestProfile?: RequestProfileFields;
  };
  model: ModelStrategy;
  hardware?: { accelerator: string; provider?: string; gpusPerReplica?: number };
  pricing?: Pricing;
  funnel?: Funnel;
  revenueLines?: RevenueLine[];
  funding: { cashUsd: number; monthlyNonComputeBurnUsd: number };
  businessModel?: BusinessModel;
}

// ───────────────────────────── plan options ─────────────────────────────

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
  /** Annual salary of an engineer who runs a self-hosted deployment, USD (default: BLS mean for software developers). */
  engineerAnnualSalaryUsd?: number;
  /** Employer cost over salary (benefits, payroll taxes), multiplier (default: BLS ECEC private industry). */
  employerCostMultiplier?: number;
  /** Engineer-months per month a self-hosted deployment needs for operations and on-call (default 0.5). */
  selfHostEngineerMonthsPerMonth?: number;
  /** Engineer-months to prepare fine-tuning data (default 1). */
  fineTuneDataPrepEngineerMonths?: number;
  /** Engineer-months to evaluate a fine-tuned model before release (default 0.5). */
  fineTuneEvaluationEngineerMonths?: number;
  /** A challenger must be this much cheaper (percent of the current option's cost) to take over as the cheapest (default 5). */
  crossoverHysteresisPct?: number;
  /**
   * Priced measured machines to cost beside the catalog's accelerators ("our own box"): the service reads
   * them from its hardware profiles (the planner does no I/O). A scenario whose hardware.accelerator names
   * one of their profile ids is served on it.
   */
  measuredHardware?: MeasuredHardware[];
  /**
   * Measured profiles of the workspace that have no price: not costed (an unpriced box is not free), each
   * named in a warning with the call that prices it.
   */
  unpricedHardware?: { profileId: string; label: string }[];
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

export type * from "./plan-types";
