import type { AcceleratorSpec } from "@modelplan/estimator";
import type { MeasuredHardware } from "./measured-types";
import type { QualityCatalog } from "./quality";
import type { Assumption, Modality, Quantization, Range3, RequestProfileFields, TrainingMethod } from "./types";

/**
 * What the planner needs from the estimation engine. `estimator-adapter.ts` builds it from
 * @modelplan/estimator; tests may pass a small hand-written one so projections can be checked by hand.
 */

export interface HostedModelPrice {
  id: string;
  label: string;
  provider: string;
  inputUsdPerMillionTokens: number;
  outputUsdPerMillionTokens: number;
  /** Price of input tokens served from the provider's prompt cache, when published. */
  cachedInputUsdPerMillionTokens: number | null;
  contextTokens: number | null;
  source: string;
}

export interface AcceleratorPrice {
  acceleratorId: string;
  acceleratorLabel: string;
  provider: string;
  /** On-demand price per GPU-hour. */
  onDemandUsdPerGpuHour: number;
  spotUsdPerGpuHour: number | null;
  reservedUsdPerGpuHour: number | null;
  /** GPUs in the smallest instance the provider rents for this price (null when the catalog does not say). */
  gpusPerInstance: number | null;
  source: string;
}

export interface ModelInfo {
  id: string;
  label: string;
  /** Parameter count of the model (from the architecture when the estimator computes it). */
  parameters: number;
  /** Family names as used by the use-case catalog's modelFamilies (e.g. "decoder-llm", "cnn"). */
  families: string[];
  modality: Modality;
  /** Weights are openly available, so the model can be self-hosted. */
  openWeights: boolean;
}

/** A model as the scenario names it: a preset, or a bare parameter count / architecture. */
export type ModelRef = { preset: string } | { parameters: number } | { architecture: Record<string, unknown> };

export interface ServingQuery {
  model: ModelRef;
  modality: Modality;
  acceleratorId: string;
  gpusPerReplica?: number;
  quantization: Quantization;
  profile: RequestProfileFields;
  latencyTargetMs: number;
  /** Multiplier on the batch size the estimator would choose (batching recommendation); 1 = its own choice. */
  batchFactor: number;
  /** The highest peak requests/s the fleet must serve: the estimator picks GPUs per replica for it when none are given. */
  peakRequestsPerSec?: number;
  /** An explicit accelerator (a measured hardware profile) instead of the catalog's `acceleratorId`. */
  accelerator?: AcceleratorSpec;
}

export interface ServingCapacity {
  /** Requests per second one replica sustains at the latency target. */
  requestsPerSecPerReplica: Range3;
  gpusPerReplica: number;
  batchSize: number | null;
  /** Expected end-to-end latency of one request at that batch, ms (null when unknown). */
  requestLatencyMs: number | null;
  fits: boolean;
  assumptions: Assumption[];
  notes: string[];
}

/** The scenario field a serving refusal is about. */
export type ServingRefusalField = "quantization" | "accelerator" | "gpusPerReplica" | "requestProfile" | "model";

/** Why the estimation engine refuses a serving query outright, in its own words. */
export interface ServingRefusal {
  field: ServingRefusalField;
  message: string;
}

export interface TrainingQuery {
  model: ModelRef;
  tokens: number;
  method: TrainingMethod;
  acceleratorId: string;
  /** A measured hardware profile: its accelerator, its precision and its hourly price. */
  measured?: { accelerator: AcceleratorSpec; precision: "fp32" | "fp16"; usdPerHour: number };
}

export interface TrainingCost {
  costUsd: Range3;
  gpuHours: Range3;
  gpus: number;
  wallClockDays: number | null;
  assumptions: Assumption[];
}

export interface PlannerCatalog {
  /** Versions of the catalogs used (e.g. { estimator: "...", hardware: "...", prices: "..." }). */
  versions: Record<string, string>;
  hostedModels: HostedModelPrice[];
  acceleratorPrices: AcceleratorPrice[];
  models: ModelInfo[];
  /** Published quality scores of hosted models and presets (cost at equal quality). */
  quality: QualityCatalog;
  /** Describe a scenario's model given by parameters/architecture (null when it cannot be interpreted). */
  describeModel(ref: ModelRef): ModelInfo | null;
  /** Capacity of one replica, or null when the model cannot be served on that accelerator. */
  servingCapacity(query: ServingQuery): ServingCapacity | null;
  /**
   * Why a query is refused as input (a weight format the accelerator cannot run, a tensor-parallel degree
   * the model cannot be split into), or null when the engine accepts it — the model may still not fit or
   * miss the latency target. Asked only to explain a scenario's hardware that cannot serve its model;
   * without it the plan gives the general reason.
   */
  servingRefusal?(query: ServingQuery): ServingRefusal | null;
  /** One-off training cost, or null when the estimator cannot estimate it. */
  trainingCost(query: TrainingQuery): TrainingCost | null;
  /** Priced measured machines (hardware profiles) the service passes in: deployment options beside the catalog's. */
  measuredHardware?: MeasuredHardware[];
}

export type { MeasuredHardware, MeasuredServing } from "./measured-types";
