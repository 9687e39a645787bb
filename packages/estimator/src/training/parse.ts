// Reads a training request once: every field is checked and every default chosen (and logged) here,
// so the computation in estimate.ts works on a complete, valid ResolvedTrainingInput.
import { AssumptionLog } from "../assumptions";
import { withSource } from "../band";
import { getDefaults } from "../catalog";
import { EstimatorInputError } from "../errors";
import { computeOverride, logHardware, peakFlopsPerS, resolveHardware, sixteenBitDefault, validateBand, type ResolvedAccelerator, type SourcedNumber } from "../hardware";
import { enumField, intField, numberField, requireObject, withDefault } from "../inputs";
import { loraTrainableParams, type LoraTargets } from "../model/lora";
import { isDecoderLike, resolveModel, type ResolvedModel } from "../model/resolve";
import { requireHeadSplittingDegree } from "../model/tensor-parallel";
import { LIMITS } from "../model/validate";
import { resolvePricing } from "../pricing";
import { citation, memoText } from "../texts";
import type { ActivationRecomputation, Optimizer, PriceQuote, SourcedBand, TrainingInput, TrainingMethod, TrainingPrecision, ZeroStage } from "../types";
import { hasConvolutionalRuns, type TrainingWorkload } from "./throughput";

export const TRAINING_METHODS = ["pre-train", "full-fine-tune", "lora", "qlora"] as const satisfies readonly TrainingMethod[];
export const TRAINING_PRECISIONS = ["fp32", "tf32", "bf16", "fp16", "fp8"] as const satisfies readonly TrainingPrecision[];
const OPTIMIZERS = ["adamw", "sgd", "adafactor"] as const satisfies readonly Optimizer[];
const RECOMPUTATION = ["none", "selective", "full"] as const satisfies readonly ActivationRecomputation[];
const LORA_TARGETS = ["attention-qv", "attention", "all-linear"] as const satisfies readonly LoraTargets[];
const MAX_TOKENS = 1e16;
const MAX_SAMPLES = 1e14;
export const MAX_TRAINING_GPUS = 1_000_000;
const MAX_TENSOR_PARALLEL = 1024;

export interface TrainingData {
  tokens: number | null;
  samples: number | null;
  /** tokens (token models) or samples × epochs (per-sample models) */
  units: number;
  sequenceLength: number | null;
}

export interface ResolvedTrainingInput {
  model: ResolvedModel;
  acc: ResolvedAccelerator;
  method: TrainingMethod;
  precision: TrainingPrecision;
  optimizer: Optimizer;
  zeroStage: ZeroStage;
  recompute: ActivationRecomputation;
  tensorParallel: number;
  pipelineParallel: number;
  /** tensorParallel or pipelineParallel was given (when neither was, the estimate may raise tensor parallelism to fit) */
  layoutGiven: boolean;
  /** activationRecomputation was given (when it was not, the estimate may turn on full recomputation to fit) */
  recomputeGiven: boolean;
  microBatch: number;
  /** micro-steps per optimizer step on each GPU, given or the stack's default (the gradients are synchronised once per optimizer step under ZeRO stages 0–2) */
  gradientAccumulationSteps: number;
  /** a language model's pre-training without gradientAccumulationSteps: the tokens per optimizer step its steps follow from (estimate.ts); else null */
  globalBatchTokens: number | null;
  gpus: number | undefined;
  deadlineDays: number | undefined;
  usableMemoryFraction: number;
  data: TrainingData;
  trainableParameters: number;
  peak: SourcedNumber;
  /** request override or measured profile; null: the published MFU model applies */
  utilisationOverride: SourcedBand | null;
  /** which published utilisation describes the model: the transformer tables, or the reference CNN's runs */
  workload: TrainingWorkload;
  goodputOverride: SourcedBand | null;
  pricing: PriceQuote | null;
  energy: { pue: number; gridKgCo2PerKwh: number; powerDrawFraction: number };
  log: AssumptionLog;
  warnings: string[];
}

/** Fine-tuning a language model (full, LoRA, QLoRA of a decoder): the defaults of its fine-tuning stack (TRL) apply. */
const isLanguageModelFineTune = (m: ResolvedModel, method: TrainingMethod) => method !== "pre-train" && isDecoderLike(m);

function defaultSequenceLength(m: ResolvedModel, method: TrainingMethod, log: AssumptionLog): number | null {
  const t = getDefaults().training;
  if (m.family === "decoder" || m.family === "parameters-only") {
    const d = isLanguageModelFineTune(m, method) ? t.fineTuneSequenceLength : t.trainingSequenceLengthCap;
    const s = Math.min(m.contextLength, d.value);
    log.add("training sequence length", s, "tokens", memoText(d, String(m.contextLength), () => `model context length ${m.contextLength}, capped: ${d.source}`));
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

function parseTrainingData(m: ResolvedModel, method: TrainingMethod, input: TrainingInput, log: AssumptionLog): TrainingData {
  const tokens = numberField(input.tokens, ["tokens"], MAX_TOKENS);
  const samples = numberField(input.samples, ["samples"], MAX_SAMPLES);
  const epochsGiven = numberField(input.epochs, ["epochs"], 10_000);
  if (tokens !== undefined && samples !== undefined) throw new EstimatorInputError(["samples"], "give tokens or samples (with epochs), not both");
  if (tokens === undefined && samples === undefined) throw new EstimatorInputError(["tokens"], "give the training data size: tokens, or samples (with epochs)");
  const seqGiven = intField(input.sequenceLength, ["sequenceLength"], LIMITS.contextLength);
  if (seqGiven !== undefined && (m.family === "cnn" || m.family === "mlp" || m.family === "lstm" || m.family === "embedding-classifier" || (m.family === "encoder" && m.patches))) {
    throw new EstimatorInputError(["sequenceLength"], `sequenceLength does not apply to ${m.family === "encoder" ? "a patch encoder" : m.family}`);
  }
  const sequenceLength = seqGiven ?? defaultSequenceLength(m, method, log);
  const epochs = samples === undefined ? 1 : withDefault(epochsGiven, { value: 1, source: "one pass over the samples unless epochs is given" }, "epochs", log, "passes");

  if (m.mode === "tokens") {
    if (tokens !== undefined) return { tokens, samples: null, units: tokens, sequenceLength };
    if (sequenceLength === null) throw new EstimatorInputError(["samples"], "this model trains on tokens: give tokens");
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

/** Grid intensity may be 0 (a fully renewable supply contract), unlike the other positive fields. */
function gridIntensityField(value: unknown): number | undefined {
  if (value === 0) return 0;
  return numberField(value, ["gridKgCo2PerKwh"], 5);
}

export function parseEnergyInputs(input: { pue?: number; gridKgCo2PerKwh?: number; powerDrawFraction?: number }, log: AssumptionLog): ResolvedTrainingInput["energy"] {
  const d = getDefaults();
  if (input.pue !== undefined && typeof input.pue === "number" && input.pue < 1) throw new EstimatorInputError(["pue"], "PUE is at least 1 (facility energy ≥ IT energy)");
  return {
    pue: withDefault(numberField(input.pue, ["pue"], 5), d.pue, "PUE", log),
    gridKgCo2PerKwh: withDefault(gridIntensityField(input.gridKgCo2PerKwh), d.gridIntensityKgCo2PerKwh, "grid carbon intensity", log),
    powerDrawFraction: withDefault(numberField(input.powerDrawFraction, ["powerDrawFraction"], 2), d.powerDrawFraction, "average power draw", log),
  };
}

export function parseTrainingInput(input: TrainingInput): ResolvedTrainingInput {
  requireObject(input, [], "the training request");
  const log = new AssumptionLog();
  const warnings: string[] = [];
  const d = getDefaults();
  const model = resolveModel(input.model);
  const acc = resolveHardware(input.hardware);

  const method = withDefault(enumField(input.method, TRAINING_METHODS, ["method"]), { value: "pre-train" as TrainingMethod, source: "pre-training unless method is given" }, "training method", log, "method");
  const precision = withDefault(enumField(input.precision, TRAINING_PRECISIONS, ["precision"]), sixteenBitDefault(acc, d.training.precision as { value: TrainingPrecision; source: string }), "training precision", log, "precision");
  const optimizer = withDefault(enumField(input.optimizer, OPTIMIZERS, ["optimizer"]), d.training.optimizer as { value: Optimizer; source: string }, "optimizer", log, "optimizer");
  const zeroGiven = input.zeroStage === undefined ? undefined : enumField(String(input.zeroStage), ["0", "1", "2", "3"], ["zeroStage"]);
  const zeroStage = (zeroGiven === undefined ? withDefault(undefined, d.training.zeroStage, "ZeRO stage", log, "stage") : Number(zeroGiven)) as ZeroStage;
  const recomputeDefault = method === "qlora" ? d.training.qloraActivationRecomputation : isLanguageModelFineTune(model, method) ? d.training.fineTuneActivationRecomputation : d.training.activationRecomputation;
  const recompute = withDefault(enumField(input.activationRecomputation, RECOMPUTATION, ["activationRecomputation"]), recomputeDefault, "activation recomputation", log, "mode");
  const tensorParallel = intField(input.tensorParallel, ["tensorParallel"], MAX_TENSOR_PARALLEL) ?? 1;
  requireHeadSplittingDegree(model, tensorParallel, ["tensorParallel"], MAX_TENSOR_PARALLEL, "training");
  const pipelineParallel = intField(input.pipelineParallel, ["pipelineParallel"], 1024) ?? 1;
  const layoutGiven = input.tensorParallel !== undefined || input.pipelineParallel !== undefined;
  const recomputeGiven = input.activationRecomputation !== undefined;
  // a CNN's MFU comes from runs at their batch per GPU: its memory is that batch's, not one image's;
  // a language model's fine-tune takes its stack's per-device batch, as it takes its sequence length
  const microBatchDefault =
    model.family === "cnn" ? d.training.convolutionalMicroBatchSamples : isLanguageModelFineTune(model, method) ? d.training.fineTuneMicroBatchSequences : d.training.microBatchSequences;
  const microBatch = withDefault(intField(input.microBatchSize, ["microBatchSize"], 1_000_000), microBatchDefault, "micro-batch size per GPU", log, model.mode === "tokens" ? "sequences" : "samples");
  // a decoder language model's pre-training takes its steps from a published global batch once its data-parallel degree
  // is known (estimate.ts); otherwise the default is an assumption only where it changes the answer: stages 0–2
  // synchronise once per optimizer step, and a pipeline fills and drains once per optimizer step
  const accumulationGiven = intField(input.gradientAccumulationSteps, ["gradientAccumulationSteps"], LIMITS.gradientAccumulationSteps);
  const globalBatchTokens = accumulationGiven === undefined && method === "pre-train" && isDecoderLike(model) ? d.training.pretrainGlobalBatchTokens.value : null;
  const gradientAccumulationSteps =
    globalBatchTokens === null && (zeroStage < 3 || pipelineParallel > 1)
      ? withDefault(accumulationGiven, d.training.gradientAccumulationSteps, "gradient-accumulation steps per optimizer step", log, "micro-steps")
      : (accumulationGiven ?? d.training.gradientAccumulationSteps.value);
  const gpus = intField(input.gpus, ["gpus"], MAX_TRAINING_GPUS);
  if (gpus !== undefined && gpus % (tensorParallel * pipelineParallel) !== 0) {
    throw new EstimatorInputError(["gpus"], `gpus ${gpus} is not a multiple of tensorParallel × pipelineParallel = ${tensorParallel * pipelineParallel}`);
  }
  const deadlineDays = numberField(input.deadlineDays, ["deadlineDays"], 3650, LIMITS.minDeadlineDays);
  const usableMemoryFraction = d.usableMemoryFraction.value;
  log.add("usable memory fraction", usableMemoryFraction, "fraction", citation(d.usableMemoryFraction));

  const data = parseTrainingData(model, method, input, log);
  if (data.sequenceLength !== null && (model.family === "decoder" || model.family === "parameters-only") && data.sequenceLength > model.contextLength) {
    warnings.push(`sequenceLength ${data.sequenceLength} exceeds the model's context length ${model.contextLength}`);
  }

  let trainableParameters = model.parameters;
  if (method === "lora" || method === "qlora") {
    const rank = withDefault(intField(input.lora?.rank, ["lora", "rank"], 65_536), d.training.loraRank, "LoRA rank", log, "rank");
    const targets = withDefault(enumField(input.lora?.targets, LORA_TARGETS, ["lora", "targets"]), d.training.loraTargets as { value: LoraTargets; source: string }, "LoRA target matrices", log, "targets");
    trainableParameters = loraTrainableParams(model, rank, targets);
  }
  if (model.family === "parameters-only") {
    log.add("architecture", "inferred from the parameter count", "rule", `${model.inferred.method}; fitted on ${model.inferred.fittedOn.join(", ")}. Give model.architecture (or contextLength, kvHeads, layers, hidden) for your own shape`);
  }

  const peak = peakFlopsPerS(acc, precision, ["precision"]);
  logHardware(acc, precision, peak, log);
  const utilisationOverride = computeOverride(acc, input.utilisation);
  if (model.family === "cnn" && !utilisationOverride && !hasConvolutionalRuns(precision)) {
    const published = [...new Set(d.training.mfu.convolutional.points.map((p) => p.precision))].join(", ");
    throw new EstimatorInputError(["precision"], `no convolutional-network training run was published at ${precision} (the reference runs are at ${published}, and bf16 runs as fp16 does); choose one of those, or give utilisation`);
  }
  const workload: TrainingWorkload =
    model.family === "cnn" ? { kind: "convolutional", accelerator: { id: acc.id, peakFlopsPerS: peak.value, memoryBandwidthBytesPerS: acc.memoryBandwidthBytesPerS.value } } : { kind: "transformer" };
  const goodputOverride = input.goodput === undefined ? null : withSource(validateBand(input.goodput, ["goodput"]), "request override");
  const pricing = resolvePricing(acc.id, input, log);
  if (!pricing) warnings.push(`no cloud price for ${acc.id} in the catalog: give pricePerGpuHourUsd for a cost`);
  const energy = parseEnergyInputs(input, log);

  return {
    model, acc, method, precision, optimizer, zeroStage, recompute, tensorParallel, pipelineParallel, layoutGiven, recomputeGiven, microBatch, gradientAccumulationSteps, globalBatchTokens, gpus, deadlineDays,
    usableMemoryFraction, data, trainableParameters, peak, utilisationOverride, workload, goodputOverride, pricing, energy, log, warnings,
  };
}
