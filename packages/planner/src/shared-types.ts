/**
 * The planner's closed sets (as `as const` tuples, so the API builds its zod schemas from them) and the
 * small shapes both the inputs (types.ts) and the plan (plan-types.ts) use. Imported by both, importing
 * neither, so the two type files do not import each other.
 */

// ───────────────────────────── shared enumerations ─────────────────────────────

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
/** Weight precisions served (fp32: a measured hardware profile's TF.js runs are float32). */
// The estimator owns the weight formats too: a scenario takes those every engine runs (no GGUF).
export { SERVED_QUANTIZATIONS as QUANTIZATIONS } from "@modelplan/estimator";
import type { SERVED_QUANTIZATIONS } from "@modelplan/estimator";
export type Quantization = (typeof SERVED_QUANTIZATIONS)[number];
// The estimator owns the training methods; the planner uses its tuple (one source of truth).
import type { TrainingMethod } from "@modelplan/estimator";
export { TRAINING_METHODS, type TrainingMethod } from "@modelplan/estimator";

/** How the product charges its users: per seat-month, per request, per million tokens, or a seat with included requests plus overage. */
export const PRICING_MODELS = ["perSeatMonthly", "perRequest", "perMillionTokens", "hybrid"] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];

/** Revenue lines beside the product itself (the seed essays' business models), each with its own cost of delivery. */
export const REVENUE_LINE_KINDS = ["api-sdk", "technical-services", "data-products"] as const;
export type RevenueLineKind = (typeof REVENUE_LINE_KINDS)[number];

/** Benchmarks the quality catalog records (packages/planner/data/quality-scores.json). */
export const QUALITY_BENCHMARKS = ["lmarena-text-elo", "imagenet-1k-top1"] as const;
export type QualityBenchmark = (typeof QUALITY_BENCHMARKS)[number];

// ───────────────────────────── use-case catalog entry ─────────────────────────────

export interface RequestProfileFields {
  inputTokens?: number;
  /** Of the input tokens, those a prefix cache serves (a prompt prefix every request repeats); given by a scenario, never by a use case. */
  cachedInputTokens?: number;
  outputTokens?: number;
  imageWidth?: number;
  imageHeight?: number;
  imagesPerRequest?: number;
  audioSeconds?: number;
  candidatesScored?: number;
  featuresPerRequest?: number;
}

/** The quality a use case needs: a minimum on one benchmark of the quality catalog, or none (with the reason). */
export interface QualityFloor {
  benchmark: QualityBenchmark | null;
  minimum: number | null;
  reasoning: string;
}
