// Public input/output types of the estimation engine. Units are in the field names.

/** A figure with an uncertainty band: low ≤ expected ≤ high. */
export interface Band {
  low: number;
  expected: number;
  high: number;
}

/** A band with the provenance of its values (e.g. a utilisation band). */
export interface SourcedBand extends Band {
  source: string;
}

/** Every default or catalog figure an estimate used, so a reader can check and override it. */
export interface Assumption {
  name: string;
  value: number | string | boolean;
  unit: string;
  source: string;
}

export type Precision = "fp32" | "tf32" | "bf16" | "fp16" | "fp8" | "int8";
export type TrainingPrecision = "fp32" | "tf32" | "bf16" | "fp16" | "fp8";
export type WeightQuantization = "fp32" | "fp16" | "bf16" | "fp8" | "int8" | "int4";
export type KvCachePrecision = "fp32" | "fp16" | "bf16" | "fp8" | "int8";
export type Optimizer = "adamw" | "sgd" | "adafactor";
export type TrainingMethod = "pre-train" | "full-fine-tune" | "lora" | "qlora";
export type ActivationRecomputation = "none" | "selective" | "full";
export type ZeroStage = 0 | 1 | 2 | 3;

// ---------------------------------------------------------------- architectures

export interface MoeSpec {
  /** experts per MoE layer */
  experts: number;
  /** experts each token is routed to (top-k) */
  activeExperts: number;
}

/** Fields shared by every transformer family. */
export interface TransformerFields {
  hidden: number;
  heads: number;
  /** key/value heads: = heads for MHA, < heads for GQA, 1 for MQA (default: heads) */
  kvHeads?: number;
  /** per-head size (default hidden / heads) */
  headDim?: number;
  /** feed-forward inner size (per branch for gated FFNs) */
  ffn: number;
  /** "gated" = SwiGLU/GeGLU (3 matrices), "plain" = 2 matrices (default "plain") */
  ffnType?: "gated" | "plain";
  vocab?: number;
  /** maximum positions (tokens) the model attends over */
  contextLength?: number;
  tiedEmbeddings?: boolean;
  positionEmbedding?: "learned" | "rotary" | "sinusoidal" | "alibi" | "relative";
  norm?: "layernorm" | "rmsnorm";
  normsPerLayer?: number;
  finalNorm?: boolean;
  /** which projections carry biases (default "none") */
  bias?: "none" | "qkv" | "all";
  moe?: MoeSpec;
}

export interface DecoderArchitecture extends TransformerFields {
  family: "decoder";
  layers: number;
}

export type EncoderInput =
  | { kind: "tokens"; typeVocab?: number }
  | { kind: "patches"; imageSize: number; patchSize: number; channels: number };

export interface EncoderArchitecture extends TransformerFields {
  family: "encoder";
  layers: number;
  input?: EncoderInput;
  embeddingNorm?: boolean;
  pooler?: boolean;
  /** classification head outputs (0/absent = no head) */
  classes?: number;
}

export type EncoderDecoderInput =
  | { kind: "tokens"; contextLength?: number }
  | { kind: "audio"; melBins: number; frames: number };

export interface EncoderDecoderArchitecture extends TransformerFields {
  family: "encoder-decoder";
  encoderLayers: number;
  decoderLayers: number;
  input?: EncoderDecoderInput;
}

export type CnnLayer =
  | { type: "conv2d"; filters: number; kernel: number; stride?: number; padding?: number | "same" | "valid"; bias?: boolean }
  | { type: "batchnorm" }
  | { type: "activation" }
  | { type: "maxpool" | "avgpool"; pool: number; stride?: number; padding?: number }
  | { type: "globalavgpool" }
  | { type: "flatten" }
  | { type: "dense"; units: number; bias?: boolean }
  | { type: "bottleneck"; filters: number; stride?: number; expansion?: number; repeat?: number }
  | { type: "basicblock"; filters: number; stride?: number; repeat?: number };

export interface CnnArchitecture {
  family: "cnn";
  input: { height: number; width: number; channels: number };
  layers: CnnLayer[];
}

export interface MlpArchitecture {
  family: "mlp";
  inputs: number;
  hiddenLayers: number[];
  outputs: number;
}

export interface LstmArchitecture {
  family: "lstm";
  /** token vocabulary (an embedding layer in front); omit for numeric inputs */
  vocab?: number;
  embeddingDim?: number;
  /** features per timestep when there is no embedding */
  inputFeatures?: number;
  hidden: number;
  layers: number;
  sequenceLength: number;
  /** dense outputs on the last state (e.g. classes, or vocab for a next-token model) */
  outputs: number;
}

export interface EmbeddingClassifierArchitecture {
  family: "embedding-classifier";
  vocab: number;
  embeddingDim: number;
  sequenceLength: number;
  hiddenLayers?: number[];
  classes: number;
}

export type Architecture =
  | DecoderArchitecture
  | EncoderArchitecture
  | EncoderDecoderArchitecture
  | CnnArchitecture
  | MlpArchitecture
  | LstmArchitecture
  | EmbeddingClassifierArchitecture;

export type ArchitectureFamily = Architecture["family"];

/** A model is named by a preset, described by an architecture, or given only as a parameter count. */
export type ModelInput =
  | { preset: string }
  | { architecture: Architecture; name?: string }
  | { parameters: number; activeParameters?: number; name?: string };

// ---------------------------------------------------------------- hardware

/** An explicit accelerator: how measured hardware profiles plug in. */
export interface AcceleratorSpec {
  id: string;
  name?: string;
  kind?: "gpu" | "cpu" | "tpu" | "other";
  /** dense peak FLOP/s per precision; at least one */
  peakFlopsPerS: Partial<Record<Precision, number>>;
  memoryBytes: number;
  memoryBandwidthBytesPerS: number;
  tdpW?: number;
  /** measured or known utilisation bands; they replace the catalog defaults */
  utilisation?: {
    compute?: SourcedBand;
    memoryBandwidth?: SourcedBand;
  };
  /** where the figures come from (e.g. "benchmark runs 12–18, 2026-11-20") */
  source?: string;
}

export type HardwareInput = string | AcceleratorSpec;

export type UtilisationOverride = number | Band;

export interface PricingOptions {
  /** pick a provider from the price catalog (default: median of the catalog's on-demand prices) */
  provider?: string;
  /** explicit price; wins over the catalog */
  pricePerGpuHourUsd?: number;
  spotPricePerGpuHourUsd?: number;
}

// ---------------------------------------------------------------- training

export interface TrainingInput extends PricingOptions {
  model: ModelInput;
  /** training tokens (transformers) */
  tokens?: number;
  /** training samples per epoch (any family); with epochs */
  samples?: number;
  epochs?: number;
  /** sequence length for transformer training (default: context length, capped) */
  sequenceLength?: number;
  method?: TrainingMethod;
  lora?: { rank?: number; targets?: "attention-qv" | "attention" | "all-linear" };
  precision?: TrainingPrecision;
  optimizer?: Optimizer;
  zeroStage?: ZeroStage;
  tensorParallel?: number;
  pipelineParallel?: number;
  /** sequences (or samples) per GPU per micro-step */
  microBatchSize?: number;
  activationRecomputation?: ActivationRecomputation;
  hardware: HardwareInput;
  /** omitted: the fewest that fit, or that finish by deadlineDays */
  gpus?: number;
  deadlineDays?: number;
  utilisation?: UtilisationOverride;
  pue?: number;
  gridKgCo2PerKwh?: number;
  powerDrawFraction?: number;
}

export interface MemoryBreakdownGb {
  total: number;
  weights: number;
  gradients: number;
  optimizerState: number;
  activations: number;
  /** device memory the total must fit in (capacity × usable fraction) */
  usableCapacity: number;
  capacity: number;
}

export interface PriceQuote {
  provider: string;
  sku: string;
  region: string | null;
  onDemandUsdPerGpuHour: number;
  spotUsdPerGpuHour: number | null;
  source: string;
  date: string;
}

export interface ProviderCost {
  provider: string;
  sku: string;
  onDemandUsd: Band;
  spotUsd: Band | null;
  source: string;
  date: string;
}

export interface ModelSummary {
  id: string | null;
  name: string;
  family: ArchitectureFamily | "parameters-only";
  parameters: number;
  activeParameters: number;
  parameterCountSource: "architecture" | "given";
  publishedParameters: number | null;
}

export interface HardwareSummary {
  id: string;
  name: string;
  kind: string;
  precision: Precision;
  peakFlopsPerS: number;
  memoryBytes: number;
  memoryBandwidthBytesPerS: number;
  tdpW: number | null;
  source: string;
}

export interface TrainingEstimate {
  kind: "training";
  catalogVersion: string;
  model: ModelSummary & { trainableParameters: number };
  method: TrainingMethod;
  tokens: number | null;
  samples: number | null;
  sequenceLength: number | null;
  flops: {
    /** model FLOPs (the MFU numerator): forward + backward */
    total: number;
    /** FLOPs the hardware executes, including activation recomputation */
    hardwareTotal: number;
    perTokenOrSample: number;
    forwardPerTokenOrSample: number;
    /** share of model FLOPs spent in attention score/value products */
    attentionFraction: number;
    formula: string;
  };
  hardware: HardwareSummary;
  utilisation: SourcedBand;
  gpus: number;
  gpusChosenBy: "requested" | "fewest-that-fit" | "deadline";
  fewestGpusToFit: number | null;
  parallelism: { dataParallel: number; tensorParallel: number; pipelineParallel: number; zeroStage: ZeroStage };
  fits: boolean;
  memoryPerGpuGb: MemoryBreakdownGb;
  gpuHours: Band;
  wallClockDays: Band;
  deadlineMet: boolean | null;
  pricing: PriceQuote | null;
  costUsd: Band | null;
  spotCostUsd: Band | null;
  costByProvider: ProviderCost[];
  energyKwh: Band | null;
  co2Kg: Band | null;
  warnings: string[];
  assumptions: Assumption[];
}

// ---------------------------------------------------------------- inference

export interface InferenceWorkload {
  /** prompt tokens per request (token models) */
  inputTokens?: number;
  /** generated tokens per request (token models) */
  outputTokens?: number;
  /** samples (images, candidates, rows) per request (per-sample models) */
  samplesPerRequest?: number;
  /** audio per request (audio encoder-decoder models) */
  audioSeconds?: number;
  requestsPerSecondPeak?: number;
  requestsPerDay?: number;
  peakToAverage?: number;
}

export interface LatencyTargets {
  /** time to first token (token models) */
  ttftMs?: number;
  /** time per output token (token models) */
  tpotMs?: number;
  /** end-to-end request latency (per-sample models, or whole generation) */
  requestMs?: number;
}

export interface InferenceInput extends PricingOptions {
  model: ModelInput;
  quantization?: WeightQuantization;
  kvCachePrecision?: KvCachePrecision;
  hardware: HardwareInput;
  /** tensor-parallel GPUs per replica (default: fewest that hold the weights and one sequence) */
  gpusPerReplica?: number;
  workload: InferenceWorkload;
  latency?: LatencyTargets;
  batchSize?: number;
  utilisation?: UtilisationOverride;
  bandwidthUtilisation?: UtilisationOverride;
}

export interface HostedAlternative {
  id: string;
  provider: string;
  name: string;
  inputUsdPerMillionTokens: number;
  outputUsdPerMillionTokens: number;
  monthlyCostUsd: number;
  costPerRequestUsd: number;
  /** traffic above which self-hosting (expected band) costs less per month; null = never at this configuration */
  breakEvenRequestsPerDay: number | null;
  /** same traffic expressed as requests per second at peak (with the estimate's peak-to-average ratio) */
  breakEvenPeakRequestsPerSec: number | null;
  /** null when the self-hosted cost is unknown (no price for the accelerator) */
  selfHostCheaperAtThisTraffic: boolean | null;
  source: string;
  date: string;
}

export interface InferenceEstimate {
  kind: "inference";
  catalogVersion: string;
  mode: "tokens" | "samples";
  model: ModelSummary;
  hardware: HardwareSummary;
  quantization: WeightQuantization;
  computeUtilisation: SourcedBand;
  bandwidthUtilisation: SourcedBand;
  memory: {
    weightsGb: number;
    /** per sequence at input + output tokens (token models); per-sample working memory otherwise */
    kvCachePerSequenceGb: number;
    perReplicaCapacityGb: number;
    perReplicaUsableGb: number;
    maxBatchThatFits: number;
    fits: boolean;
  };
  gpusPerReplica: number;
  fewestGpusPerReplicaToFit: number | null;
  batchSize: number;
  batchChosenBy: "requested" | "latency-targets" | "memory-and-cap";
  prefillMs: Band | null;
  decodeMsPerToken: Band | null;
  decodeBound: "memory" | "compute" | null;
  requestLatencyMs: Band;
  throughputTokensPerSecPerGpu: Band | null;
  throughputSamplesPerSecPerGpu: Band | null;
  requestsPerSecPerReplica: Band;
  latencyTargets: { ttftMs: number | null; tpotMs: number | null; requestMs: number | null; met: boolean; largestBatchMeetingTargets: number | null };
  traffic: { peakRequestsPerSec: number; averageRequestsPerSec: number; requestsPerDay: number; requestsPerMonth: number; tokensPerMonth: number | null; peakToAverage: number };
  replicas: Band;
  gpus: number;
  gpusBand: Band;
  pricing: PriceQuote | null;
  monthlyCostUsd: Band | null;
  costPerMillionTokensUsd: Band | null;
  costPerRequestUsd: Band | null;
  monthlyEnergyKwh: Band | null;
  hostedAlternatives: HostedAlternative[];
  warnings: string[];
  assumptions: Assumption[];
}
