// Shapes of the versioned JSON catalogs in packages/estimator/data.
import type { ActivationRecomputation, Architecture, GgufFormat, Precision } from "../types";

/** A catalog figure: a value with its source and date, or null with a note saying why it is missing. */
export interface SourcedFigure<T> {
  value: T | null;
  source: string | null;
  date?: string;
  note?: string;
}

export interface AcceleratorRecord {
  id: string;
  name: string;
  vendor: string;
  kind: "gpu" | "cpu";
  peakFlopsPerS: Record<Precision, SourcedFigure<number>>;
  memoryBytes: SourcedFigure<number>;
  memoryBandwidthBytesPerS: SourcedFigure<number>;
  tdpW: SourcedFigure<number>;
  interconnect: InterconnectFigure;
}

/** GPU-to-GPU link: `value` names it; kind and per-GPU total bidirectional bandwidth as the vendor states it (null where none is published) */
export interface InterconnectFigure extends SourcedFigure<string> {
  kind?: InterconnectKind | null;
  bandwidthBytesPerS?: number | null;
}

export const INTERCONNECT_KINDS = ["nvlink", "pcie", "infinity-fabric", "xgmi"] as const;
export type InterconnectKind = (typeof INTERCONNECT_KINDS)[number];

export interface CloudPriceRecord {
  accelerator: string;
  provider: string;
  sku: string;
  region: string | null;
  gpusPerInstance: number;
  onDemandUsdPerGpuHour: number;
  spotUsdPerGpuHour: number | null;
  source: string;
  date: string;
  note: string | null;
}

export interface HostedModelRecord {
  id: string;
  provider: string;
  name: string;
  inputUsdPerMillionTokens: number;
  outputUsdPerMillionTokens: number;
  /** input tokens read from the provider's prompt cache (null: litellm lists no cache-read price) */
  cachedInputUsdPerMillionTokens: number | null;
  note: string | null;
  source: string;
  date: string;
}

export interface PublishedFigure {
  value: number;
  source: string;
  date: string;
}

export interface PresetRecord {
  id: string;
  name: string;
  task: string;
  publishedParameters: PublishedFigure;
  publishedActiveParameters?: PublishedFigure;
  publishedForwardMacs?: PublishedFigure;
  architectureSource: string;
  architecture: Architecture;
}

export interface UtilisationRule {
  accelerators: string[];
  precisions: Precision[];
  low: number;
  expected: number;
  high: number;
  source: string;
  date: string;
}

export interface DefaultValue<T = number> {
  value: T;
  unit?: string;
  source: string;
  date?: string;
}

/** One row of a framework benchmark table: best MFU at one model size. */
export interface MfuPoint {
  parameters: number;
  mfu: number;
}

/** MFU at small scale by model size, from a framework's published benchmark table. */
export interface FrameworkMfuTable {
  accelerators: string[];
  precisions: Precision[];
  points: MfuPoint[];
  source: string;
  date: string;
}

/** A published large training run's utilisation, used to set how MFU changes with the GPU count. */
export interface AtScaleCalibrationPoint {
  id: string;
  accelerator: string;
  precision: Precision;
  parameters: number;
  gpus: number;
  /** model FLOPs utilisation as the source states or implies it */
  mfu: number;
  /** how the MFU follows from the source's figure, when it is not stated as MFU */
  derivation?: string;
  source: string;
  quote: string;
}

/** A whole published pre-training run: its GPU-hours include everything the benchmarks leave out. */
export interface RealRunCalibrationPoint {
  id: string;
  model: { preset?: string; parameters?: number; layers?: number; hidden?: number; heads?: number; kvHeads?: number; vocab?: number; contextLength?: number };
  tokens: number;
  sequenceLength: number;
  accelerator: string;
  precision: Precision;
  /** GPUs of the run when a source states it, else null */
  gpus: number | null;
  gpuHours: number;
  source: string;
  quote: string;
}

/** A published training throughput of the convolutional reference model (images/s on a multi-GPU machine). */
export interface ConvolutionalTrainingPoint {
  id: string;
  /** catalog accelerator whose peak the MFU is a fraction of */
  accelerator: string;
  /** catalog accelerators this measurement stands for (the same GPU) */
  appliesTo: string[];
  precision: Precision;
  gpus: number;
  samplesPerSecond: number;
  framework: string;
  /** samples/s per GPU × training FLOPs per sample ÷ peak (scripts/calibrate-mfu.ts --write) */
  mfu: number;
  derivation: string;
  source: string;
  quote: string;
  note?: string;
}

export interface TrainingMfuDefaults {
  frameworkTables: FrameworkMfuTable[];
  /** convolutional networks: published throughput of a reference CNN, not the transformer tables */
  convolutional: { referencePreset: string; source: string; date: string; points: ConvolutionalTrainingPoint[] };
  atScale: {
    /** GPUs up to which the framework table applies unchanged */
    referenceGpus: number;
    /** MFU ∝ (gpus / referenceGpus)^-exponent beyond referenceGpus (least squares over the calibration runs) */
    exponent: number;
    source: string;
    calibration: AtScaleCalibrationPoint[];
  };
  /** what whole published runs realise of the framework tables (benchmarks are best cases of a few steps) */
  realRuns: {
    families: { name: string; accelerators: string[]; factor: number }[];
    /** accelerators of no family: the median over all runs */
    otherFactor: number;
    /** spread of the runs around their family's factor: band = expected × [lowFactor, highFactor] */
    lowFactor: number;
    highFactor: number;
    source: string;
    calibration: RealRunCalibrationPoint[];
  };
  fallback: { low: number; expected: number; high: number; source: string; date: string };
}

export interface GoodputDefaults {
  /** GPU-hours between job interruptions (any cause), per GPU */
  gpuHoursPerInterruption: DefaultValue;
  /** wall-clock time lost per interruption (detection, restart, redone work): optimistic, expected */
  lostHoursPerInterruption: { optimistic: number; expected: number; source: string };
  /** pessimistic end: Daly–Young optimal checkpointing with these restart and checkpoint-write times */
  pessimistic: { restartHours: number; checkpointWriteHours: number; source: string };
}

export interface ServingEfficiencyRule {
  accelerators: string[];
  precisions: Precision[];
  /** maximum achievable matmul FLOPS ÷ peak (MAMF) */
  mamfEfficiency: number;
  source: string;
  date: string;
}

export interface ServingDefaults {
  /** fraction of MAMF a serving step's matmuls reach: low / expected / high */
  computeEfficiencyOfMamf: { low: number; expected: number; high: number; source: string };
  mamf: ServingEfficiencyRule[];
  fallbackComputeEfficiency: { low: number; expected: number; high: number; source: string };
  /** largest concurrent sequences per replica (vLLM max_num_seqs default by device memory) */
  maxConcurrentSequences: { largeDeviceMinBytes: number; largeDevice: number; otherDevice: number; excludedAccelerators: string[]; source: string };
  /** tokens one engine step may process (vLLM max_num_batched_tokens default by device memory) */
  stepTokenBudget: { largeDevice: number; otherDevice: number; source: string };
  kvCacheFillFactor: DefaultValue;
  kvBlockTokens: DefaultValue;
  /** what a continuous-batching engine does with a prompt prefix every request repeats (its source) */
  prefixCaching: { source: string; date: string };
  /** fixed part of one all-reduce: NCCL's latency model (base + 2(t−1) steps × per-hop latency) */
  allReduceLatency: { baseSeconds: number; hopSeconds: { nvlink: number; pcie: number; network: number }; unit: string; source: string; date: string };
  linkEfficiency: DefaultValue;
  /** what kernel boundaries cost per decoder layer, derived from a published batch-1 comparison (inference/fixed-costs.ts) */
  kernelBoundaries: { referencePreset: string; referenceAccelerator: string; kernelSequenceBandwidthShare: number; singleKernelBandwidthShare: number; unit: string; source: string; date: string };
  gpusPerNode: DefaultValue;
  interNodeBandwidthBytesPerSPerGpu: DefaultValue;
  minConcurrentSequencesWarning: DefaultValue;
  engines: EngineDefaults;
}

/** One published llama.cpp measurement a bandwidth-utilisation band is derived from (scripts/derive-engine-mbu.ts). */
export interface EngineMbuRow {
  accelerator: string;
  preset: string;
  quantization: string;
  inputTokens: number;
  outputTokens: number;
  tokensPerSecond: number;
  /** the row of the source table, verbatim */
  quote: string;
}

export interface EngineDefaults {
  /** the engine when the request names none */
  default: DefaultValue<string>;
  llamaCpp: {
    /** memory-bandwidth utilisation of llama.cpp's decode, its per-layer cost set apart: min / median / max over `derivedFrom` */
    memoryBandwidthUtilisation: { low: number; expected: number; high: number; source: string; date: string };
    /** fixed seconds per decoder layer per step, fitted with the bandwidth share over `derivedFrom` */
    kernelBoundaries: { secondsPerLayer: number; source: string; date: string };
    derivedFrom: { url: string; locator: string; rows: EngineMbuRow[] };
    concurrency: string;
  };
  torchCompile: {
    /** share of the 16-bit weight-streaming bandwidth the weight-only kernels reach (scripts/derive-engine-mbu.ts) */
    weightOnlyKernelEfficiency: { int8: number; int4: number; source: string; date: string };
    derivedFrom: { url: string; locator: string; accelerator: string; rows: WeightOnlyKernelRow[] };
    weightFormats: string;
  };
}

/** One published batch-1 decode row of a PyTorch-native engine (torchao's table) a weight-only kernel efficiency is derived from. */
export interface WeightOnlyKernelRow {
  preset: string;
  format: "bf16" | "int8" | "int4";
  tokensPerSecond: number;
  /** the model's bytes as the source counts them (its Model Size column) */
  modelSizeGb: number;
  quote: string;
}

export interface DefaultsRecord {
  replicaTargetUtilisation: DefaultValue;
  maxRunDaysWarning: DefaultValue;
  memoryBandwidthUtilisation: { low: number; expected: number; high: number; source: string; date: string };
  usableMemoryFraction: DefaultValue;
  pue: DefaultValue;
  gridIntensityKgCo2PerKwh: DefaultValue;
  powerDrawFraction: DefaultValue;
  peakToAverage: DefaultValue;
  hoursPerMonth: DefaultValue;
  training: {
    precision: DefaultValue<string>;
    optimizer: DefaultValue<string>;
    zeroStage: DefaultValue;
    activationRecomputation: DefaultValue<ActivationRecomputation>;
    /** QLoRA's default: its reference implementation turns gradient checkpointing on */
    qloraActivationRecomputation: DefaultValue<ActivationRecomputation>;
    /** fine-tuning a decoder (full, LoRA): the fine-tuning stack's default (TRL turns gradient checkpointing on) */
    fineTuneActivationRecomputation: DefaultValue<ActivationRecomputation>;
    /** where a request names no recomputation: the mode the MFU band's fast end takes, if the activations fit with it (libraries differ) */
    recomputationBandFastEnd: DefaultValue<ActivationRecomputation>;
    microBatchSequences: DefaultValue;
    /** fine-tuning a decoder: the fine-tuning stack's per-device batch (Transformers' TrainingArguments, which TRL keeps) */
    fineTuneMicroBatchSequences: DefaultValue;
    /** micro-steps per optimizer step (the training stack's default) */
    gradientAccumulationSteps: DefaultValue;
    /** a pre-training's tokens per optimizer step, from which its gradient-accumulation steps follow */
    pretrainGlobalBatchTokens: DefaultValue;
    /** the largest global batch of the published runs: a micro-step above it is warned about */
    largestPublishedGlobalBatchTokens: DefaultValue;
    /** convolutional networks: the batch per GPU of the runs their MFU comes from */
    convolutionalMicroBatchSamples: DefaultValue;
    trainingSequenceLengthCap: DefaultValue;
    /** fine-tuning a decoder: the fine-tuning stack's default sequence length (TRL SFTConfig max_length) */
    fineTuneSequenceLength: DefaultValue;
    loraRank: DefaultValue;
    loraTargets: DefaultValue<string>;
    qloraQuantConstantsBitsPerParam: DefaultValue;
    mfu: TrainingMfuDefaults;
    goodput: GoodputDefaults;
  };
  inference: {
    quantization: DefaultValue<string>;
    kvCachePrecision: DefaultValue<string>;
    /** NVIDIA's 4-bit floating-point weight format: bits per weight with its block scales */
    nvfp4: { bitsPerWeight: number; unit: string; source: string; date: string };
    int4GroupOverheadBitsPerWeight: DefaultValue;
    /** bits per weight of llama.cpp's GGUF formats (whole-file averages) */
    ggufBitsPerWeight: { formats: Record<GgufFormat, number>; source: string; date: string };
    outputTokens: DefaultValue;
    inputTokens: DefaultValue;
    whisperWindowSeconds: DefaultValue;
    serving: ServingDefaults;
  };
}

export interface Catalog<T> {
  catalogVersion: string;
  retrieved: string;
  description: string;
  items: T[];
}
