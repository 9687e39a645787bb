// Training / fine-tuning estimate: FLOPs, memory per GPU, GPU count, time, cost, energy, CO2.
import { AssumptionLog } from "./assumptions";
import { divideByBand, scaleBand } from "./band";
import { CATALOG_VERSION, getDefaults } from "./catalog";
import { EstimatorInputError } from "./errors";
import { computeUtilisation, hardwareSummary, logHardware, peakFlopsPerS, resolveHardware, type ResolvedAccelerator } from "./hardware";
import { assertFiniteFigures } from "./finite";
import { enumField, intField, numberField, requireObject, withDefault } from "./inputs";
import { loraTrainableParams, type LoraTargets } from "./model/lora";
import {
  attentionFraction,
  forwardFlopsPerSample,
  modelSummary,
  resolveModel,
  trainingActivationBytes,
  trainingForwardFlopsPerToken,
  type ResolvedModel,
} from "./model/resolve";
import { LIMITS } from "./model/validate";
import { bytesPerValue, gradientBytes, optimizerBytes, trainingWeightBytes } from "./precision";
import { costByProvider, resolvePricing } from "./pricing";
import type {
  ActivationRecomputation,
  Band,
  MemoryBreakdownGb,
  Optimizer,
  TrainingEstimate,
  TrainingInput,
  TrainingMethod,
  TrainingPrecision,
  ZeroStage,
} from "./types";
import { bytesToGb, HOURS_PER_DAY, SECONDS_PER_HOUR } from "./units";

const METHODS: readonly TrainingMethod[] = ["pre-train", "full-fine-tune", "lora", "qlora"];
const TRAINING_PRECISIONS: readonly TrainingPrecision[] = ["fp32", "tf32", "bf16", "fp16", "fp8"];
const OPTIMIZERS: readonly Optimizer[] = ["adamw", "sgd", "adafactor"];
const RECOMPUTATION: readonly ActivationRecomputation[] = ["none", "selective", "full"];
const LORA_TARGETS: readonly LoraTargets[] = ["attention-qv", "attention", "all-linear"];
const MAX_TOKENS = 1e16;
const MAX_SAMPLES = 1e14;
const MAX_GPUS = 1_000_000;

interface TrainingData {
  tokens: number | null;
  samples: number | null;
  /** tokens (token models) or samples × epochs (per-sample models) */
  units: number;
  sequenceLength: number | null;
}

// ---------------------------------------------------------------- inputs

function defaultSequenceLength(m: ResolvedModel, log: AssumptionLog): number | null {
  const d = getDefaults().training.trainingSequenceLengthCap;
  if (m.family === "decoder") {
    const s = Math.min(m.contextLength, d.value);
    log.add("training sequence length", s, "tokens", `model context length ${m.contextLength}, capped: ${d.source}`);
    return s;
  }
  if (m.family === "encoder-decoder") {
    log.add("training decoder tokens per sample", m.contextLength, "tokens", "the decoder context length of the architecture");
    return m.contextLength;
  }
  if (m.family === "encoder") {
    if (!m.patches) log.add("training sequence length", m.sequenceLength, "tokens", "the encoder's maximum positions (context length)");
    return m.sequenceLength;
  }
  return null;
}

function resolveTrainingData(m: ResolvedModel, input: TrainingInput, log: AssumptionLog): TrainingData {
  const tokens = numberField(input.tokens, ["tokens"], MAX_TOKENS);
  const samples = numberField(input.samples, ["samples"], MAX_SAMPLES);
  const epochsGiven = numberField(input.epochs, ["epochs"], 10_000);
  if (tokens !== undefined && samples !== undefined) throw new EstimatorInputError(["samples"], "give tokens or samples (with epochs), not both");
  if (tokens === undefined && samples === undefined) throw new EstimatorInputError(["tokens"], "give the training data size: tokens, or samples (with epochs)");
  const seqGiven = intField(input.sequenceLength, ["sequenceLength"], LIMITS.contextLength);
  if (seqGiven !== undefined && (m.family === "cnn" || m.family === "mlp" || m.family === "lstm" || m.family === "embedding-classifier" || (m.family === "encoder" && m.patches))) {
    throw new EstimatorInputError(["sequenceLength"], `sequenceLength does not apply to ${m.family === "encoder" ? "a patch encoder" : m.family}`);
  }
  const sequenceLength = seqGiven ?? defaultSequenceLength(m, log);
  const epochs = samples === undefined ? 1 : withDefault(epochsGiven, { value: 1, source: "one pass over the samples unless epochs is given" }, "epochs", log, "passes");

  if (m.mode === "tokens") {
    if (tokens !== undefined) return { tokens, samples: null, units: tokens, sequenceLength };
    if (sequenceLength === null) throw new EstimatorInputError(["samples"], "a model given only by its parameter count trains on tokens: give tokens");
    const total = (samples as number) * epochs * sequenceLength;
    return { tokens: total, samples: (samples as number) * epochs, units: total, sequenceLength };
  }
  if (tokens !== undefined) {
    if (m.family !== "encoder" || m.patches || sequenceLength === null) throw new EstimatorInputError(["tokens"], `${m.family} models train on samples: give samples (and epochs)`);
    return { tokens, samples: tokens / sequenceLength, units: tokens / sequenceLength, sequenceLength };
  }
  const total = (samples as number) * epochs;
  return { tokens: m.family === "encoder" && !m.patches && sequenceLength !== null ? total * sequenceLength : null, samples: total, units: total, sequenceLength };
}

// ---------------------------------------------------------------- FLOPs

interface FlopsResult {
  forwardPerUnit: number;
  modelPerUnit: number;
  hardwarePerUnit: number;
  attentionFraction: number;
  formula: string;
}

/**
 * Training FLOPs per token (or sample): forward + backward, backward = 2 × forward (Kaplan et al.
 * 2020; Hoffmann et al. 2022: C ≈ 6·N·D). LoRA/QLoRA skip weight gradients of the frozen weights,
 * so backward ≈ 1 × forward (input gradients only; Hu et al. 2021). Recomputation adds FLOPs the
 * hardware runs but the model-FLOPs count excludes: a full extra forward, or the attention part
 * under selective recomputation (Korthikanti et al. 2022 §5).
 */
function trainingFlops(m: ResolvedModel, data: TrainingData, method: TrainingMethod, recompute: ActivationRecomputation): FlopsResult {
  const forward = m.mode === "tokens" ? trainingForwardFlopsPerToken(m, data.sequenceLength ?? 0) : forwardFlopsPerSample(m, data.sequenceLength ?? undefined);
  const backwardMultiple = method === "lora" || method === "qlora" ? 1 : 2;
  const modelPerUnit = forward * (1 + backwardMultiple);
  const attnShare = m.family === "parameters-only" ? 0 : attentionFraction(m, data.sequenceLength);
  const recomputed = recompute === "full" ? forward : recompute === "selective" ? forward * attnShare : 0;
  const unit = m.mode === "tokens" ? "token" : "sample";
  const formula =
    m.family === "parameters-only"
      ? `${1 + backwardMultiple}·2·N per token (${method === "lora" || method === "qlora" ? "4" : "6"}·N·D; Kaplan et al. 2020, Hoffmann et al. 2022), attention not modelled`
      : `(1 + ${backwardMultiple}) × forward FLOPs per ${unit}; forward = 2·N_matmul + attention score/value products`;
  return { forwardPerUnit: forward, modelPerUnit, hardwarePerUnit: modelPerUnit + recomputed, attentionFraction: attnShare, formula };
}

// ---------------------------------------------------------------- memory

interface ModelStatesBytes {
  weights: number;
  gradients: number;
  optimizer: number;
}

function modelStates(m: ResolvedModel, trainable: number, method: TrainingMethod, precision: TrainingPrecision, optimizer: Optimizer, log: AssumptionLog): ModelStatesBytes {
  const d = getDefaults().training;
  const adapters = method === "lora" || method === "qlora";
  let baseBytesPerParam = trainingWeightBytes(precision);
  if (method === "qlora") {
    const bits = 4 + d.qloraQuantConstantsBitsPerParam.value;
    baseBytesPerParam = bits / 8;
    log.add("QLoRA frozen weight bits per parameter", bits, "bits", `4-bit NF4 + ${d.qloraQuantConstantsBitsPerParam.source}`);
  }
  const src = "EleutherAI 'Transformer Math 101' (2023): bytes per parameter of weights, gradients and optimizer states";
  log.add("weight bytes per parameter", baseBytesPerParam, "bytes", method === "qlora" ? "QLoRA 4-bit base weights" : src);
  log.add("gradient bytes per trainable parameter", gradientBytes(precision), "bytes", src);
  log.add(`${optimizer} optimizer bytes per trainable parameter`, optimizerBytes(optimizer, precision), "bytes", `${src}; mixed precision adds a 4-byte fp32 master copy`);
  // LoRA/QLoRA: frozen base weights plus adapter weights; full training: the weights are the trainable ones
  const adapterWeights = adapters ? trainable * trainingWeightBytes(precision) : 0;
  return {
    weights: m.parameters * baseBytesPerParam + adapterWeights,
    gradients: trainable * gradientBytes(precision),
    optimizer: trainable * optimizerBytes(optimizer, precision),
  };
}

interface MemorySplit {
  /** bytes per GPU that do not shrink with more data-parallel GPUs */
  fixed: number;
  /** bytes per GPU at data-parallel degree 1 that ZeRO divides by the degree */
  sharded: number;
  parts: { weights: [number, boolean]; gradients: [number, boolean]; optimizer: [number, boolean]; activations: number };
}

/** ZeRO stage 1 shards optimizer state, 2 also gradients, 3 also weights (Rajbhandari et al. 2020). */
function splitMemory(states: ModelStatesBytes, activations: number, zero: ZeroStage, modelParallel: number): MemorySplit {
  const w = states.weights / modelParallel, g = states.gradients / modelParallel, o = states.optimizer / modelParallel;
  const parts = { weights: [w, zero >= 3] as [number, boolean], gradients: [g, zero >= 2] as [number, boolean], optimizer: [o, zero >= 1] as [number, boolean], activations };
  const fixed = activations + (zero >= 3 ? 0 : w) + (zero >= 2 ? 0 : g) + (zero >= 1 ? 0 : o);
  const sharded = (zero >= 3 ? w : 0) + (zero >= 2 ? g : 0) + (zero >= 1 ? o : 0);
  return { fixed, sharded, parts };
}

function memoryAt(split: MemorySplit, dataParallel: number, acc: ResolvedAccelerator, usable: number): MemoryBreakdownGb {
  const part = ([bytes, sharded]: [number, boolean]) => (sharded ? bytes / dataParallel : bytes);
  const weights = part(split.parts.weights), gradients = part(split.parts.gradients), optimizerState = part(split.parts.optimizer);
  const total = weights + gradients + optimizerState + split.parts.activations;
  return {
    total: bytesToGb(total),
    weights: bytesToGb(weights),
    gradients: bytesToGb(gradients),
    optimizerState: bytesToGb(optimizerState),
    activations: bytesToGb(split.parts.activations),
    usableCapacity: bytesToGb(acc.memoryBytes.value * usable),
    capacity: bytesToGb(acc.memoryBytes.value),
  };
}

/** Fewest data-parallel replicas so fixed + sharded/dp fits; null when even infinite sharding cannot fit. */
export function fewestDataParallelToFit(fixedBytes: number, shardedBytes: number, availableBytes: number): number | null {
  if (fixedBytes >= availableBytes) return null;
  if (shardedBytes === 0) return 1;
  return Math.max(1, Math.ceil(shardedBytes / (availableBytes - fixedBytes)));
}

/** When nothing fits, the smallest change that does: more tensor parallelism, then full recomputation. */
function fitSuggestion(
  m: ResolvedModel,
  data: TrainingData,
  microBatch: number,
  recompute: ActivationRecomputation,
  states: ModelStatesBytes,
  zero: ZeroStage,
  pp: number,
  bytesPerActivation: number,
  available: number,
  currentTp: number,
): string {
  const modes: ActivationRecomputation[] = recompute === "full" ? ["full"] : [recompute, "full"];
  for (const mode of modes) {
    for (let tp = currentTp; tp <= 64; tp *= 2) {
      const act = trainingActivationBytes(m, data.sequenceLength, microBatch, mode, tp, bytesPerActivation);
      const split = splitMemory(states, act, zero, tp * pp);
      const dp = fewestDataParallelToFit(split.fixed, split.sharded, available);
      if (dp !== null && (tp !== currentTp || mode !== recompute)) {
        return `It fits on ${dp * tp * pp} GPUs with tensorParallel ${tp}${mode !== recompute ? ` and activationRecomputation "${mode}"` : ""}.`;
      }
    }
  }
  return "Shorten the sequence, lower the micro-batch, or use a larger accelerator.";
}

// ---------------------------------------------------------------- estimate

function roundUpToMultiple(n: number, k: number): number {
  return Math.ceil(n / k) * k;
}

export function estimateTraining(input: TrainingInput): TrainingEstimate {
  requireObject(input, [], "the training request");
  const log = new AssumptionLog();
  const warnings: string[] = [];
  const d = getDefaults();
  const model = resolveModel(input.model);
  const acc = resolveHardware(input.hardware);

  const method = withDefault(enumField(input.method, METHODS, ["method"]), { value: "pre-train" as TrainingMethod, source: "pre-training unless method is given" }, "training method", log, "method");
  const precision = withDefault(enumField(input.precision, TRAINING_PRECISIONS, ["precision"]), d.training.precision as { value: TrainingPrecision; source: string }, "training precision", log, "precision");
  const optimizer = withDefault(enumField(input.optimizer, OPTIMIZERS, ["optimizer"]), d.training.optimizer as { value: Optimizer; source: string }, "optimizer", log, "optimizer");
  const zeroGiven = input.zeroStage === undefined ? undefined : enumField(String(input.zeroStage), ["0", "1", "2", "3"], ["zeroStage"]);
  const zeroStage = (zeroGiven === undefined ? withDefault(undefined, d.training.zeroStage, "ZeRO stage", log, "stage") : Number(zeroGiven)) as ZeroStage;
  const recompute = withDefault(enumField(input.activationRecomputation, RECOMPUTATION, ["activationRecomputation"]), d.training.activationRecomputation as { value: ActivationRecomputation; source: string }, "activation recomputation", log, "mode");
  const tensorParallel = intField(input.tensorParallel, ["tensorParallel"], 1024) ?? 1;
  const pipelineParallel = intField(input.pipelineParallel, ["pipelineParallel"], 1024) ?? 1;
  const microBatch = withDefault(intField(input.microBatchSize, ["microBatchSize"], 1_000_000), d.training.microBatchSequences, "micro-batch size per GPU", log, model.mode === "tokens" ? "sequences" : "samples");
  const gpusGiven = intField(input.gpus, ["gpus"], MAX_GPUS);
  const deadlineDays = numberField(input.deadlineDays, ["deadlineDays"], 3650, LIMITS.minDeadlineDays);
  const usable = d.usableMemoryFraction.value;
  log.add("usable memory fraction", usable, "fraction", `${d.usableMemoryFraction.source} [${d.usableMemoryFraction.date}]`);

  const data = resolveTrainingData(model, input, log);
  if (data.sequenceLength !== null && model.family === "decoder" && data.sequenceLength > model.contextLength) {
    warnings.push(`sequenceLength ${data.sequenceLength} exceeds the model's context length ${model.contextLength}`);
  }

  // trainable parameters
  let trainable = model.parameters;
  if (method === "lora" || method === "qlora") {
    const rank = withDefault(intField(input.lora?.rank, ["lora", "rank"], 65_536), d.training.loraRank, "LoRA rank", log, "rank");
    const targets = withDefault(enumField(input.lora?.targets, LORA_TARGETS, ["lora", "targets"]), d.training.loraTargets as { value: LoraTargets; source: string }, "LoRA target matrices", log, "targets");
    trainable = loraTrainableParams(model, rank, targets);
  }
  if (model.family === "parameters-only") {
    log.add("FLOPs model", "6·N·D (2·N forward, 4·N backward)", "formula", "only a parameter count was given: Kaplan et al. 2020 / Hoffmann et al. 2022 C ≈ 6·N·D; attention FLOPs and activation memory are not modelled");
  }

  // FLOPs
  const flops = trainingFlops(model, data, method, recompute);
  const totalModelFlops = flops.modelPerUnit * data.units;
  const totalHardwareFlops = flops.hardwarePerUnit * data.units;

  // hardware rates
  const peak = peakFlopsPerS(acc, precision, ["precision"]);
  logHardware(acc, precision, peak, log);
  const utilisation = computeUtilisation(acc, precision, input.utilisation, log);
  log.add("utilisation applies to", "hardware FLOPs (model FLOPs + recomputation)", "rule", "published MFU bands come from multi-GPU runs, so communication overheads are inside the band");
  const gpuSeconds = divideByBand(totalHardwareFlops / peak.value, utilisation);
  const gpuHours = scaleBand(gpuSeconds, 1 / SECONDS_PER_HOUR);

  // memory and GPU count
  const bytesPerActivation = bytesPerValue(precision === "fp8" ? "bf16" : precision);
  const activations = trainingActivationBytes(model, data.sequenceLength, microBatch, recompute, tensorParallel, bytesPerActivation);
  if (model.family !== "parameters-only" && model.mode === "tokens") {
    log.add("activation memory model", "Korthikanti et al. 2022 eq. 1, generalised to the FFN width", "formula", "Korthikanti, Casper et al. 2022, 'Reducing Activation Recomputation in Large Transformer Models'");
  }
  const states = modelStates(model, trainable, method, precision, optimizer, log);
  const modelParallel = tensorParallel * pipelineParallel;
  const split = splitMemory(states, activations, zeroStage, modelParallel);
  const available = acc.memoryBytes.value * usable;
  const dpToFit = fewestDataParallelToFit(split.fixed, split.sharded, available);
  const fewestGpusToFit = dpToFit === null ? null : dpToFit * modelParallel;

  let gpus: number;
  let gpusChosenBy: TrainingEstimate["gpusChosenBy"];
  if (gpusGiven !== undefined) {
    if (gpusGiven % modelParallel !== 0) throw new EstimatorInputError(["gpus"], `gpus ${gpusGiven} is not a multiple of tensorParallel × pipelineParallel = ${modelParallel}`);
    gpus = gpusGiven;
    gpusChosenBy = "requested";
  } else {
    const fit = fewestGpusToFit ?? modelParallel;
    gpus = fit;
    gpusChosenBy = "fewest-that-fit";
    if (deadlineDays !== undefined) {
      const needed = roundUpToMultiple(Math.ceil(gpuHours.expected / (deadlineDays * HOURS_PER_DAY)), modelParallel);
      if (needed > MAX_GPUS) {
        throw new EstimatorInputError(["deadlineDays"], `finishing in ${deadlineDays} days needs ${needed.toExponential(2)} GPUs, beyond ${MAX_GPUS}; allow more time`);
      }
      if (needed > fit) {
        gpus = needed;
        gpusChosenBy = "deadline";
      }
    }
  }
  const dataParallel = gpus / modelParallel;
  const memoryPerGpuGb = memoryAt(split, dataParallel, acc, usable);
  const fits = memoryPerGpuGb.total <= memoryPerGpuGb.usableCapacity;
  if (!fits) {
    warnings.push(
      fewestGpusToFit === null
        ? `does not fit on ${acc.id} at any data-parallel degree with ZeRO stage ${zeroStage}, tensorParallel ${tensorParallel}, pipelineParallel ${pipelineParallel}. ${fitSuggestion(model, data, microBatch, recompute, states, zeroStage, pipelineParallel, bytesPerActivation, available, tensorParallel)}`
        : `does not fit on ${gpus} × ${acc.id}; the fewest that fit are ${fewestGpusToFit}`,
    );
  }

  const wallClockDays = scaleBand(gpuHours, 1 / (gpus * HOURS_PER_DAY));
  const deadlineMet = deadlineDays === undefined ? null : wallClockDays.expected <= deadlineDays;

  // money
  const pricing = resolvePricing(acc.id, input, log);
  const costUsd = pricing ? scaleBand(gpuHours, pricing.onDemandUsdPerGpuHour) : null;
  const spotCostUsd = pricing?.spotUsdPerGpuHour ? scaleBand(gpuHours, pricing.spotUsdPerGpuHour) : null;
  if (!pricing) warnings.push(`no cloud price for ${acc.id} in the catalog: give pricePerGpuHourUsd for a cost`);

  // energy and CO2: GPU-hours × TDP × power fraction × PUE
  const { energyKwh, co2Kg } = energyAndCo2(gpuHours, acc, input, log, warnings);

  return assertFiniteFigures<TrainingEstimate>({
    kind: "training",
    catalogVersion: CATALOG_VERSION,
    model: { ...modelSummary(model), trainableParameters: trainable },
    method,
    tokens: data.tokens,
    samples: data.samples,
    sequenceLength: data.sequenceLength,
    flops: {
      total: totalModelFlops,
      hardwareTotal: totalHardwareFlops,
      perTokenOrSample: flops.modelPerUnit,
      forwardPerTokenOrSample: flops.forwardPerUnit,
      attentionFraction: flops.attentionFraction,
      formula: flops.formula,
    },
    hardware: hardwareSummary(acc, precision, peak),
    utilisation,
    gpus,
    gpusChosenBy,
    fewestGpusToFit,
    parallelism: { dataParallel, tensorParallel, pipelineParallel, zeroStage },
    fits,
    memoryPerGpuGb,
    gpuHours,
    wallClockDays,
    deadlineMet,
    pricing,
    costUsd,
    spotCostUsd,
    costByProvider: costByProvider(acc.id, gpuHours),
    energyKwh,
    co2Kg,
    warnings,
    assumptions: log.list(),
  });
}

/** Grid intensity may be 0 (a fully renewable supply contract), unlike the other positive fields. */
function gridIntensityField(value: unknown): number | undefined {
  if (value === 0) return 0;
  return numberField(value, ["gridKgCo2PerKwh"], 5);
}

export function energyAndCo2(
  gpuHours: Band,
  acc: ResolvedAccelerator,
  input: { pue?: number; gridKgCo2PerKwh?: number; powerDrawFraction?: number },
  log: AssumptionLog,
  warnings: string[],
): { energyKwh: Band | null; co2Kg: Band | null } {
  const d = getDefaults();
  const pue = withDefault(numberField(input.pue, ["pue"], 5), d.pue, "PUE", log);
  const grid = withDefault(gridIntensityField(input.gridKgCo2PerKwh), d.gridIntensityKgCo2PerKwh, "grid carbon intensity", log);
  const powerFraction = withDefault(numberField(input.powerDrawFraction, ["powerDrawFraction"], 2), d.powerDrawFraction, "average power draw", log);
  if (input.pue !== undefined && input.pue < 1) throw new EstimatorInputError(["pue"], "PUE is at least 1 (facility energy ≥ IT energy)");
  const tdpW = acc.tdpW?.value;
  if (tdpW === undefined) {
    warnings.push(`no TDP for ${acc.id}: energy and CO2 are not estimated; give hardware.tdpW`);
    return { energyKwh: null, co2Kg: null };
  }
  const kwhPerGpuHour = (tdpW * powerFraction * pue) / 1000;
  const energyKwh = scaleBand(gpuHours, kwhPerGpuHour);
  return { energyKwh, co2Kg: scaleBand(energyKwh, grid) };
}
