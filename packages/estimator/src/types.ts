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

/** A measured band; without a source, the accelerator's `source` is cited for it. */
export interface MeasuredBand extends Band {
  source?: string;
}

/** Every default or catalog figure an estimate used, so a reader can check and override it. */
export interface Assumption {
  name: string;
  /** The value used; for a band, its expected value. */
  value: number | string | boolean;
  unit: string;
  source: string;
  /** For a band (a utilisation, a goodput): its low and high ends around `value`; null for a single figure. */
  band: AssumptionBand | null;
}

export interface AssumptionBand {
  low: number;
  high: number;
}

// The closed sets of the inputs and outputs, as tuples: the API builds its schemas from them.
export const PRECISIONS = ["fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4"] as const;
export type Precision = (typeof PRECISIONS)[number];
export const TRAINING_PRECISIONS = ["fp32", "tf32", "bf16", "fp16", "fp8"] as const;
export type TrainingPrecision = (typeof TRAINING_PRECISIONS)[number];
/** llama.cpp GGUF weight formats (k-quant mixes and Q8_0): bits per weight from llama.cpp's quantize table. */
export const GGUF_FORMATS = ["gguf-q4_k_m", "gguf-q5_k_m", "gguf-q6_k", "gguf-q8_0"] as const;
export type GgufFormat = (typeof GGUF_FORMATS)[number];
/** Weight formats every serving engine here runs (the planner's scenarios take these). */
export const SERVED_QUANTIZATIONS = ["fp32", "fp16", "bf16", "fp8", "int8", "int4", "nvfp4"] as const;
export const WEIGHT_QUANTIZATIONS = [...SERVED_QUANTIZATIONS, ...GGUF_FORMATS] as const;
export type WeightQuantization = (typeof WEIGHT_QUANTIZATIONS)[number];
/** The server that runs the model: continuous-batching servers (vLLM, TensorRT-LLM, SGLang), llama.cpp, or PyTorch-native decoding compiled with torch.compile (gpt-fast, torchao). */
export const SERVING_ENGINES = ["continuous-batching", "llama.cpp", "torch-compile"] as const;
export type ServingEngine = (typeof SERVING_ENGINES)[number];
export const KV_CACHE_PRECISIONS = ["fp32", "fp16", "bf16", "fp8", "int8"] as const;
export type KvCachePrecision = (typeof KV_CACHE_PRECISIONS)[number];
export const OPTIMIZERS = ["adamw", "sgd", "adafactor"] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];
export const TRAINING_METHODS = ["pre-train", "full-fine-tune", "lora", "qlora"] as const;
export type TrainingMethod = (typeof TRAINING_METHODS)[number];
export const ACTIVATION_RECOMPUTATIONS = ["none", "selective", "full"] as const;
export type ActivationRecomputation = (typeof ACTIVATION_RECOMPUTATIONS)[number];
export const ZERO_STAGES = [0, 1, 2, 3] as const;
export type ZeroStage = (typeof ZERO_STAGES)[number];
export const LORA_TARGETS = ["attention-qv", "attention", "all-linear"] as const;
export type LoraTargets = (typeof LORA_TARGETS)[number];
export const FFN_TYPES = ["gated", "plain"] as const;
export type FfnType = (typeof FFN_TYPES)[number];
export const POSITION_EMBEDDINGS = ["learned", "rotary", "sinusoidal", "alibi", "relative"] as const;
export type PositionEmbedding = (typeof POSITION_EMBEDDINGS)[number];
export const NORMS = ["layernorm", "rmsnorm"] as const;
export type Norm = (typeof NORMS)[number];
export const BIASES = ["none", "qkv", "all"] as const;
export type Bias = (typeof BIASES)[number];
export const ACCELERATOR_KINDS = ["gpu", "cpu", "tpu", "other"] as const;
export type AcceleratorKind = (typeof ACCELERATOR_KINDS)[number];
export const PARAMETER_COUNT_SOURCES = ["architecture", "given"] as const;
export const GPUS_CHOSEN_BY = ["requested", "fewest-that-fit", "deadline", "none-fits"] as const;
export const SERVING_MODES = ["tokens", "samples"] as const;
export const BATCH_CHOSEN_BY = ["requested", "latency-targets", "memory-and-cap"] as const;
export const DECODE_BOUNDS = ["memory", "compute"] as const;
export const ARCHITECTURE_SOURCES = ["preset", "given", "inferred-from-parameter-count"] as const;
export const CONCURRENCY_LIMITS = ["kv-cache", "step-token-budget", "concurrency-cap"] as const;
export const TENSOR_PARALLEL_CHOSEN_BY = ["requested", "cheapest-meeting-targets", "fastest-none-meets-targets", "fewest-that-fit", "none-fits"] as const;

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
  ffnType?: FfnType;
  vocab?: number;
  /** maximum positions (tokens) the model attends over */
  contextLength?: number;
  tiedEmbeddings?: boolean;
  positionEmbedding?: PositionEmbedding;
  norm?: Norm;
  normsPerLayer?: number;
  finalNorm?: boolean;
  /** which projections carry biases (default "none") */
  bias?: Bias;
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
export const ARCHITECTURE_FAMILIES = ["decoder", "encoder", "encoder-decoder", "cnn", "mlp", "lstm", "embedding-classifier"] as const satisfies readonly ArchitectureFamily[];

/** A model is named by a preset, described by an architecture, or given only as a parameter count. */
export type ModelInput =
  | { preset: string }
  | { architecture: Architecture; name?: string }
  | ParameterCountModel;

/** Only a parameter count: a plausible decoder shape is inferred; these fields override parts of it. */
export interface ParameterCountModel {
  parameters: number;
  activeParameters?: number;
  name?: string;
  /** context length of the model (default: the presets' median) */
  contextLength?: number;
  /** key/value heads (default: the presets' median, 8) */
  kvHeads?: number;
  layers?: number;
  hidden?: number;
  /** attention heads (default: hidden / the presets' median head size) */
  heads?: number;
  vocab?: number;
}

/** The decoder shape inferred from a bare parameter count, and how. */
export interface InferredArchitectureSummary {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  contextLength: number;
  /** active parameters of the inferred shape (whole layers: close to, not exactly, the given count) */
  parametersOfShape: number;
  method: string;
  fittedOn: string[];
}

// ---------------------------------------------------------------- hardware

/** An explicit accelerator: how measured hardware profiles plug in. */
export interface AcceleratorSpec {
  id: string;
  name?: string;
  kind?: AcceleratorKind;
  /** dense peak FLOP/s per precision; at least one */
  peakFlopsPerS: Partial<Record<Precision, number>>;
  memoryBytes: number;
  memoryBandwidthBytesPerS: number;
  tdpW?: number;
  /** GPU-to-GPU link bandwidth per GPU, both directions (tensor-parallel communication) */
  interconnectBandwidthBytesPerS?: number;
  /** measured or known utilisation bands; they replace the catalog defaults */
  utilisation?: {
    compute?: MeasuredBand;
    memoryBandwidth?: MeasuredBand;
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
  lora?: { rank?: number; targets?: LoraTargets };
  precision?: TrainingPrecision;
  optimizer?: Optimizer;
  zeroStage?: ZeroStage;
  /** default 1; with neither this nor pipelineParallel given, raised within a node (on a GPU-to-GPU link) where 1 does not fit */
  tensorParallel?: number;
  pipelineParallel?: number;
  /** sequences (or samples) per GPU per micro-step */
  microBatchSize?: number;
  /** micro-steps per optimizer step on each GPU (default 1); ZeRO stages 0–2 synchronise the gradients once per optimizer step */
  gradientAccumulationSteps?: number;
  activationRecomputation?: ActivationRecomputation;
  hardware: HardwareInput;
  /** omitted: the fewest that fit, or that finish by deadlineDays */
  gpus?: number;
  deadlineDays?: number;
  /** model FLOPs utilisation: replaces the published MFU model */
  utilisation?: UtilisationOverride;
  /** share of wall-clock time that advances training (failures, restarts, checkpoints): replaces the published goodput model */
  goodput?: UtilisationOverride;
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
  parameterCountSource: (typeof PARAMETER_COUNT_SOURCES)[number];
  publishedParameters: number | null;
  /** where the shape used for activations, KV cache and attention FLOPs comes from */
  architectureSource: (typeof ARCHITECTURE_SOURCES)[number];
  inferredArchitecture: InferredArchitectureSummary | null;
}

export interface TrainedModelSummary extends ModelSummary {
  /** parameters updated by training (LoRA: the adapters only) */
  trainableParameters: number;
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
  model: TrainedModelSummary;
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
  /** model FLOPs utilisation band at this accelerator, precision, model size and GPU count */
  utilisation: SourcedBand;
  /** share of wall-clock time that advances training at this GPU count */
  goodput: SourcedBand;
  /** utilisation × goodput: what the GPU-hours are computed with */
  effectiveUtilisation: Band;
  throughputModel: {
    /** framework-table MFU at this model size (null when an override or fallback band applies) */
    frameworkMfu: number | null;
    /** share of the framework MFU whole published runs of this accelerator family realise */
    realRunFactor: number;
    /** MFU multiplier for the GPU count (published large runs) */
    gpuScaleFactor: number;
    /** MFU multiplier of the data-parallel communication (ZeRO-3's every micro-step, stages 0–2's once per optimizer step): 1 where compute hides it or there is none to count */
    communicationFactor: number;
    /** expected job interruptions per day at this GPU count */
    interruptionsPerDay: number;
  };
  /**
   * The training steps alone, at a tuned framework's rate (what its throughput benchmark measures): the MFU
   * model without the real-run factor (what whole runs lose beyond their steps: evaluation, checkpoints,
   * data loading, stragglers, less tuned settings) and without goodput (interruptions). The GPU-hours are
   * the whole run's. A given or measured utilisation is used as it is for both.
   */
  steadyState: {
    /** MFU while training steps run: framework table (or fallback band) × GPU-count law (high end capped at the MAMF) × recomputation, bubble and the communication at that rate, never below the whole run's; a given or measured utilisation as it is */
    utilisation: Band;
    /** tokens (or samples) per second per GPU while training steps run: peak × utilisation ÷ model FLOPs per token (or sample) */
    tokensOrSamplesPerSecPerGpu: Band;
  };
  gpus: number;
  gpusChosenBy: (typeof GPUS_CHOSEN_BY)[number];
  fewestGpusToFit: number | null;
  parallelism: {
    dataParallel: number;
    tensorParallel: number;
    pipelineParallel: number;
    zeroStage: ZeroStage;
    /** sequences (or samples) per GPU per micro-step */
    microBatchSize: number;
    /** micro-steps per optimizer step */
    gradientAccumulationSteps: number;
    /** sequences (or samples) per optimizer step: data-parallel degree × micro-batch × accumulation steps */
    globalBatchSize: number;
  };
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
  /** the estimator's track record on published runs, one line (GET /v1/validation has the detail) */
  trackRecord: string | null;
  warnings: string[];
  assumptions: Assumption[];
}

// ---------------------------------------------------------------- inference

export interface InferenceWorkload {
  /** prompt tokens per request (token models) */
  inputTokens?: number;
  /** of those, the tokens a prefix cache serves: a prompt prefix every request repeats (decoder LLMs and hosted APIs) */
  cachedInputTokens?: number;
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
  /** the serving engine (default: a continuous-batching server): sets the memory-bandwidth utilisation band (llama.cpp) or the weight-only kernels (torch-compile) */
  engine?: ServingEngine;
  kvCachePrecision?: KvCachePrecision;
  hardware: HardwareInput;
  /** tensor-parallel GPUs per replica (default: fewest that hold the weights and one sequence) */
  gpusPerReplica?: number;
  workload: InferenceWorkload;
  latency?: LatencyTargets;
  /** fixed concurrency (sequences or requests in flight) per replica */
  batchSize?: number;
  /** cap on concurrent sequences per replica (default: vLLM's max_num_seqs for this device) */
  maxConcurrentSequences?: number;
  /** share of each GPU's memory the engine may take for weights, activations and the KV cache (default: vLLM's gpu_memory_utilization, 0.9) */
  gpuMemoryUtilization?: number;
  /** serving matmul efficiency (fraction of peak): replaces the MAMF-based band */
  utilisation?: UtilisationOverride;
  bandwidthUtilisation?: UtilisationOverride;
  /** time lost at kernel boundaries per decoder layer per engine step, µs (default 33.1, from Hazy Research 2025; 0 for a single-kernel engine; llama.cpp: 0) */
  kernelBoundaryMicrosecondsPerLayer?: number;
  /** fixed latency of one tensor-parallel all-reduce, µs (default: NCCL's latency model for the degree and the link) */
  allReduceLatencyMicroseconds?: number;
  /** share of the 16-bit weight-streaming bandwidth the weight kernels reach, 0–1 (default 1; torch-compile int8 / int4: torchao's figures) */
  weightKernelEfficiency?: number;
}

export interface HostedAlternative {
  id: string;
  provider: string;
  name: string;
  inputUsdPerMillionTokens: number;
  outputUsdPerMillionTokens: number;
  /** cache-read price of input tokens (null: none listed, billed at the input price) */
  cachedInputUsdPerMillionTokens: number | null;
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
  mode: (typeof SERVING_MODES)[number];
  model: ModelSummary;
  hardware: HardwareSummary;
  quantization: WeightQuantization;
  computeUtilisation: SourcedBand;
  bandwidthUtilisation: SourcedBand;
  memory: {
    weightsGb: number;
    /** per sequence at input + output tokens (token models); per-sample working memory otherwise */
    kvCachePerSequenceGb: number;
    /** memory left for the KV cache after weights and the step's activation workspace (decoder LLMs) */
    kvCachePoolGb: number | null;
    perReplicaCapacityGb: number;
    perReplicaUsableGb: number;
    /** concurrency the memory alone allows (decoder LLMs: the KV-cache pool at the fill factor) */
    maxBatchThatFits: number;
    /** concurrency the replica runs at most: memory, the engine's step budget and the concurrency cap */
    maxConcurrency: number;
    concurrencyLimitedBy: (typeof CONCURRENCY_LIMITS)[number] | null;
    fits: boolean;
  };
  gpusPerReplica: number;
  fewestGpusPerReplicaToFit: number | null;
  tensorParallel: {
    chosenBy: (typeof TENSOR_PARALLEL_CHOSEN_BY)[number];
    /** every degree compared (decoder LLMs), the chosen one included */
    alternatives: TensorParallelAlternative[];
  };
  batchSize: number;
  batchChosenBy: (typeof BATCH_CHOSEN_BY)[number];
  /** one request's prompt alone on the replica */
  prefillMs: Band | null;
  /** time to first token at the chosen concurrency (chunked prefill among the running decodes) */
  ttftMs: Band | null;
  /** time per output token at the chosen concurrency: one mixed engine step */
  tpotMs: Band | null;
  /** a decode-only step at the chosen concurrency */
  decodeMsPerToken: Band | null;
  decodeBound: (typeof DECODE_BOUNDS)[number] | null;
  requestLatencyMs: Band;
  throughputTokensPerSecPerGpu: Band | null;
  throughputSamplesPerSecPerGpu: Band | null;
  requestsPerSecPerReplica: Band;
  /**
   * Each replica at the peak traffic (null when the model does not fit): the figures above are at the
   * batch the fleet was sized at; here, the load each replica carries and the latencies its users see.
   */
  atPeak: {
    requestsPerSecPerReplica: number;
    /** that load over the replica's expected capacity */
    utilisation: number;
    /** concurrent sequences (token models) or requests per batch that carry the load */
    concurrency: number;
    ttftMs: Band | null;
    tpotMs: Band | null;
    requestLatencyMs: Band;
  } | null;
  latencyTargets: { ttftMs: number | null; tpotMs: number | null; requestMs: number | null; met: boolean; largestBatchMeetingTargets: number | null };
  traffic: { peakRequestsPerSec: number; averageRequestsPerSec: number; requestsPerDay: number; requestsPerMonth: number; tokensPerMonth: number | null; peakToAverage: number };
  replicas: Band;
  /** the replica-sizing rule's target utilisation at the peak */
  replicaTargetUtilisation: number;
  gpus: number;
  gpusBand: Band;
  pricing: PriceQuote | null;
  monthlyCostUsd: Band | null;
  costPerMillionTokensUsd: Band | null;
  costPerRequestUsd: Band | null;
  monthlyEnergyKwh: Band | null;
  hostedAlternatives: HostedAlternative[];
  /** the estimator's track record on published serving figures, one line (GET /v1/validation has the detail) */
  trackRecord: string | null;
  warnings: string[];
  assumptions: Assumption[];
}

/** One tensor-parallel degree compared for the same traffic. */
export interface TensorParallelAlternative {
  gpusPerReplica: number;
  fits: boolean;
  concurrency: number;
  /** GPUs the traffic needs at this degree (null when it does not fit) */
  gpus: number | null;
  monthlyCostUsd: number | null;
  throughputTokensPerSecPerGpu: number | null;
  requestLatencyMs: number | null;
  ttftMs: number | null;
  tpotMs: number | null;
  meetsTargets: boolean;
  chosen: boolean;
  note: string;
}
