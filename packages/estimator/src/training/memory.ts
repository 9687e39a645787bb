// Memory per GPU of a training run: model states (weights, gradients, optimizer), activations, and
// how ZeRO sharding over data-parallel GPUs divides them.
import type { AssumptionLog } from "../assumptions";
import { getDefaults } from "../catalog";
import type { ResolvedAccelerator } from "../hardware";
import { trainingActivationBytes, type ResolvedModel } from "../model/resolve";
import { splitsAttentionHeads } from "../model/tensor-parallel";
import { gradientBytes, optimizerBytes, trainingWeightBytes } from "../precision";
import type { ActivationRecomputation, MemoryBreakdownGb, Optimizer, TrainingMethod, TrainingPrecision, ZeroStage } from "../types";
import { bytesToGb } from "../units";

const BYTES_PER_PARAMETER_SOURCE = "EleutherAI 'Transformer Math 101' (2023): bytes per parameter of weights, gradients and optimizer states";
const OPTIMIZER_BYTES_SOURCE = `${BYTES_PER_PARAMETER_SOURCE}; mixed precision adds a 4-byte fp32 master copy`;

export interface ModelStatesBytes {
  weights: number;
  gradients: number;
  optimizer: number;
}

export function modelStates(m: ResolvedModel, trainable: number, method: TrainingMethod, precision: TrainingPrecision, optimizer: Optimizer, log: AssumptionLog): ModelStatesBytes {
  const d = getDefaults().training;
  const adapters = method === "lora" || method === "qlora";
  let baseBytesPerParam = trainingWeightBytes(precision);
  if (method === "qlora") {
    const bits = 4 + d.qloraQuantConstantsBitsPerParam.value;
    baseBytesPerParam = bits / 8;
    log.add("QLoRA frozen weight bits per parameter", bits, "bits", `4-bit NF4 + ${d.qloraQuantConstantsBitsPerParam.source}`);
  }
  log.add("weight bytes per parameter", baseBytesPerParam, "bytes", method === "qlora" ? "QLoRA 4-bit base weights" : BYTES_PER_PARAMETER_SOURCE);
  log.add("gradient bytes per trainable parameter", gradientBytes(precision), "bytes", BYTES_PER_PARAMETER_SOURCE);
  log.add(`${optimizer} optimizer bytes per trainable parameter`, optimizerBytes(optimizer, precision), "bytes", OPTIMIZER_BYTES_SOURCE);
  // LoRA/QLoRA: frozen base weights plus adapter weights; full training: the weights are the trainable ones
  const adapterWeights = adapters ? trainable * trainingWeightBytes(precision) : 0;
  return {
    weights: m.parameters * baseBytesPerParam + adapterWeights,
    gradients: trainable * gradientBytes(precision),
    optimizer: trainable * optimizerBytes(optimizer, precision),
  };
}

export interface MemorySplit {
  /** bytes per GPU that do not shrink with more data-parallel GPUs */
  fixed: number;
  /** bytes per GPU at data-parallel degree 1 that ZeRO divides by the degree */
  sharded: number;
  parts: { weights: [number, boolean]; gradients: [number, boolean]; optimizer: [number, boolean]; activations: number };
}

/** ZeRO stage 1 shards optimizer state, 2 also gradients, 3 also weights (Rajbhandari et al. 2020). */
export function splitMemory(states: ModelStatesBytes, activations: number, zero: ZeroStage, modelParallel: number): MemorySplit {
  const w = states.weights / modelParallel, g = states.gradients / modelParallel, o = states.optimizer / modelParallel;
  const parts = { weights: [w, zero >= 3] as [number, boolean], gradients: [g, zero >= 2] as [number, boolean], optimizer: [o, zero >= 1] as [number, boolean], activations };
  const fixed = activations + (zero >= 3 ? 0 : w) + (zero >= 2 ? 0 : g) + (zero >= 1 ? 0 : o);
  const sharded = (zero >= 3 ? w : 0) + (zero >= 2 ? g : 0) + (zero >= 1 ? o : 0);
  return { fixed, sharded, parts };
}

export function memoryAt(split: MemorySplit, dataParallel: number, acc: ResolvedAccelerator, usable: number): MemoryBreakdownGb {
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

/** What the activations a GPU holds depend on beyond the recomputation and tensor parallelism. */
export interface ActivationContext {
  model: ResolvedModel;
  sequenceLength: number | null;
  bytesPerActivation: number;
  pipelineParallel: number;
  /** micro-batches per optimizer step (gradient-accumulation steps) */
  gradientAccumulationSteps: number;
}

/**
 * The activations a GPU holds at a micro-batch: one micro-batch through every layer, which is what the first
 * stage of a 1F1B pipeline holds too (its 1/p of the layers for the p micro-batches in flight, Korthikanti
 * et al. 2022 §4.2.3); with fewer micro-batches per optimizer step than stages, only m are ever in flight: m/p of it.
 */
export function heldActivationBytes(c: ActivationContext, microBatch: number, recompute: ActivationRecomputation, tensorParallel: number, microBatchesPerStep = c.gradientAccumulationSteps): number {
  const inFlight = Math.min(microBatchesPerStep, c.pipelineParallel) / c.pipelineParallel;
  return trainingActivationBytes(c.model, c.sequenceLength, microBatch, recompute, tensorParallel, c.bytesPerActivation) * inFlight;
}

export interface FitContext extends ActivationContext {
  microBatch: number;
  recompute: ActivationRecomputation;
  states: ModelStatesBytes;
  zeroStage: ZeroStage;
  tensorParallel: number;
  availableBytes: number;
  /** the GPUs of the answer (requested, or the fewest the search found) */
  gpus: number;
  /** the fewest GPUs that fit with the request's layout and recomputation (null: none do) */
  fewestAsAsked: number | null;
}

interface FitOption {
  gpus: number;
  tp: number;
  mode: ActivationRecomputation;
}

/**
 * The tensor-parallel degrees a suggestion may name: the request's, and its doublings within one node (tensor
 * parallelism beyond a node crosses the node network: Narayanan et al. 2021 keep it within one), each
 * splitting the model's attention heads.
 */
function suggestedTensorParallels(c: FitContext): number[] {
  const node = getDefaults().inference.serving.gpusPerNode.value;
  const degrees = [c.tensorParallel];
  for (let tp = c.tensorParallel * 2; tp <= node; tp *= 2) if (splitsAttentionHeads(c.model, tp)) degrees.push(tp);
  return degrees;
}

/** Fewest GPUs that fit with this recomputation at one of the suggested tensor-parallel degrees; null if none. */
function fewestGpusWith(c: FitContext, mode: ActivationRecomputation): FitOption | null {
  let best: FitOption | null = null;
  for (const tp of suggestedTensorParallels(c)) {
    if (tp === c.tensorParallel && mode === c.recompute) continue; // the request itself, which does not fit
    const act = heldActivationBytes(c, c.microBatch, mode, tp);
    const split = splitMemory(c.states, act, c.zeroStage, tp * c.pipelineParallel);
    const dp = fewestDataParallelToFit(split.fixed, split.sharded, c.availableBytes);
    if (dp === null) continue;
    const option = { gpus: dp * tp * c.pipelineParallel, tp, mode };
    if (best === null || option.gpus < best.gpus) best = option;
    if (dp === 1) break; // more tensor parallelism only adds GPUs
  }
  return best;
}

function describeFit(o: FitOption, c: FitContext): string {
  const changes = [
    ...(o.tp !== c.tensorParallel ? [`tensorParallel ${o.tp}`] : []),
    ...(o.mode !== c.recompute ? [`activationRecomputation "${o.mode}" (one more forward pass per step)`] : []),
  ];
  return `${o.gpus} GPU${o.gpus === 1 ? "" : "s"} with ${changes.join(" and ")}`;
}

/**
 * When nothing fits, the smallest changes that do: the fewest GPUs with more tensor parallelism (within a
 * node, splitting the heads: suggestedTensorParallels) at the request's recomputation, and with full
 * recomputation where that needs fewer GPUs — each only where it needs fewer GPUs than the request's own
 * layout on more GPUs ("" when no change does).
 */
export function fitSuggestion(c: FitContext): string {
  const same = c.recompute === "full" ? null : fewestGpusWith(c, c.recompute);
  const full = fewestGpusWith(c, "full");
  // a change is worth naming only where it needs fewer GPUs than the request's own layout does
  const fewer = (o: FitOption | null): o is FitOption => o !== null && (c.fewestAsAsked === null || o.gpus < c.fewestAsAsked);
  const options = [same, full !== null && (same === null || full.gpus < same.gpus) ? full : null].filter(fewer);
  const batch = c.microBatch > 1 ? smallerMicroBatch(c) : null;
  // like the layout changes, a smaller micro-batch is worth naming only where it needs fewer GPUs than the request's own
  const smaller = batch !== null && (c.fewestAsAsked === null || batch.gpus < c.fewestAsAsked) ? batch : null;
  const runsBatch = getDefaults().training.convolutionalMicroBatchSamples.value;
  const batchNote = c.model.family === "cnn" ? ` (the utilisation is that of the published runs at ${runsBatch} images per GPU: a smaller batch may run slower)` : "";
  const batchText = smaller ? `with microBatchSize ${smaller.microBatch} on ${smaller.gpus} GPU${smaller.gpus === 1 ? "" : "s"}${batchNote}` : null;
  if (options.length === 0 && !batchText) return c.fewestAsAsked === null ? "Shorten the sequence, lower the micro-batch, or use a larger accelerator." : "";
  return `It fits ${[...(batchText ? [batchText] : []), ...options.map((o) => `on ${describeFit(o, c)}`)].join(", or ")}.`;
}

/**
 * The largest micro-batch below the request's that fits at its recomputation and parallelism (activations
 * grow linearly with it): on the answer's GPUs where one sample fits there, else on the fewest GPUs that
 * hold one; null when not even one sample fits.
 */
function smallerMicroBatch(c: FitContext): { microBatch: number; gpus: number } | null {
  const modelParallel = c.tensorParallel * c.pipelineParallel;
  const at = (microBatch: number) => splitMemory(c.states, heldActivationBytes(c, microBatch, c.recompute, c.tensorParallel), c.zeroStage, modelParallel);
  const one = at(1);
  const perUnit = at(2).fixed - one.fixed;
  const largestWithin = (bytes: number) => Math.min(c.microBatch - 1, perUnit > 0 ? 1 + Math.floor((bytes - one.fixed) / perUnit - 1e-9) : c.microBatch - 1);
  const dataParallel = Math.max(1, Math.floor(c.gpus / modelParallel));
  const onTheseGpus = largestWithin(c.availableBytes - one.sharded / dataParallel);
  if (onTheseGpus >= 1) return { microBatch: onTheseGpus, gpus: dataParallel * modelParallel };
  if (one.fixed >= c.availableBytes) return null;
  const microBatch = largestWithin(c.availableBytes);
  const split = at(microBatch);
  const dp = fewestDataParallelToFit(split.fixed, split.sharded, c.availableBytes);
  return dp === null ? null : { microBatch, gpus: dp * modelParallel };
}
