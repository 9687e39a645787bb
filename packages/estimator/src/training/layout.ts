// The layout a training run is estimated at: the request's tensor parallelism and activation
// recomputation, or, where the request leaves them to the estimate and the run does not fit with them,
// the change its training stack makes: tensor parallelism within a node, then (fine-tuning) full recomputation.
import type { AssumptionLog } from "../assumptions";
import { getDefaults } from "../catalog";
import type { ResolvedAccelerator } from "../hardware";
import { isDecoderLike, type ResolvedModel } from "../model/resolve";
import { splitsAttentionHeads } from "../model/tensor-parallel";
import type { ActivationRecomputation, TrainingMethod, ZeroStage } from "../types";
import { fewestDataParallelToFit, heldActivationBytes, splitMemory, type ActivationContext, type MemorySplit, type ModelStatesBytes } from "./memory";

export interface LayoutRequest extends ActivationContext {
  method: TrainingMethod;
  acc: ResolvedAccelerator;
  microBatch: number;
  states: ModelStatesBytes;
  zeroStage: ZeroStage;
  tensorParallel: number;
  recompute: ActivationRecomputation;
  /** tensorParallel or pipelineParallel was given */
  layoutGiven: boolean;
  /** activationRecomputation was given */
  recomputeGiven: boolean;
  /** the requested GPU count; undefined: the estimate chooses it */
  gpus: number | undefined;
  availableBytes: number;
  log: AssumptionLog;
}

export interface Layout {
  tensorParallel: number;
  recompute: ActivationRecomputation;
  split: MemorySplit;
  /** fewest data-parallel replicas that fit at this layout; null: none does */
  dataParallelToFit: number | null;
}

/**
 * The run's layout. At the request's tensor parallelism and recomputation where the run fits there (on
 * the requested GPUs, or on some GPU count when none is requested). Otherwise, for a transformer:
 *
 * 1. Where the request gives no layout and the GPUs share a GPU-to-GPU link (NVLink, Infinity Fabric),
 *    tensor parallelism within a node, at a degree that splits the attention heads (raisedLayout: Shoeybi
 *    et al. 2019; Narayanan et al. 2021).
 * 2. For a fine-tune still at selective recomputation (an encoder or encoder-decoder: a language model's
 *    fine-tune already defaults to full, as TRL does), where that does not fit either and the request gives
 *    no recomputation: full recomputation (Chen et al. 2016; Korthikanti et al. 2022 §4: only each layer's
 *    input is kept, the rest rebuilt in the backward pass), at the request's tensor parallelism or, as in
 *    1, raised within a node. Fine-tuning stacks make it their switch for a run that does not fit
 *    (Transformers' `gradient_checkpointing=True`). It costs one more forward pass per step, which the
 *    estimate counts. Pre-training is left as asked, the options
 *    named in its warning: its stacks (Megatron-LM) fit a run by tensor, pipeline and context parallelism,
 *    and the MFU model describes runs at selective recomputation, so a full-recomputation answer would
 *    charge a forward pass those runs did not pay where the memory model's margin (a usable 90% of the
 *    GPU) is what keeps the run from fitting.
 *
 * Each change is an assumption with its reason; a request that gives both keeps them, fitting or not.
 */
export function chooseLayout(q: LayoutRequest): Layout {
  const transformer = isTransformer(q.model);
  const raiseTensorParallel = tensorParallelRaisable(q.model, q.acc, q.layoutGiven);

  const asked = layoutAt(q, q.tensorParallel, q.recompute);
  if (fitsRequest(q, asked)) return asked;
  const raised = raiseTensorParallel ? raisedLayout(q, q.recompute) : null;
  if (raised) {
    logTensorParallel(q, raised.tensorParallel, false);
    return raised;
  }
  const fineTune = q.method === "full-fine-tune" || q.method === "lora" || q.method === "qlora";
  if (q.recomputeGiven || q.recompute === "full" || !transformer || !fineTune) return asked;

  const chosen = fullRecomputation(q, raiseTensorParallel);
  if (!chosen) return asked;
  if (chosen.tensorParallel !== q.tensorParallel) logTensorParallel(q, chosen.tensorParallel, true);
  const where = q.gpus === undefined ? "on any number of GPUs" : `on the requested ${q.gpus} GPUs`;
  const tp = chosen.tensorParallel === q.tensorParallel ? "" : ` (even with tensor parallelism raised to ${chosen.tensorParallel})`;
  q.log.set(
    "activation recomputation",
    "full",
    "mode",
    `the run does not fit ${where} with ${q.recompute} recomputation${tp}, and fits with full recomputation, the switch fine-tuning stacks turn on for a run that does not fit (Transformers' gradient_checkpointing=True, https://huggingface.co/docs/transformers/en/grad_checkpointing): only each layer's input is kept and the rest rebuilt in the backward pass (Chen et al. 2016, 'Training Deep Nets with Sublinear Memory Cost'; Korthikanti et al. 2022 §4), one more forward pass per step. Give activationRecomputation to choose it`,
  );
  return chosen;
}

/**
 * Full recomputation at the request's tensor parallelism, or raised within a node: on requested GPUs the
 * request's degree where it fits there (the least communication), else the smallest raised one that does;
 * with none requested, the one that fits on the fewest GPUs (the request's degree on a tie).
 */
function fullRecomputation(q: LayoutRequest, raiseTensorParallel: boolean): Layout | null {
  const asked = layoutAt(q, q.tensorParallel, "full");
  const fitsAsked = fitsRequest(q, asked);
  if (fitsAsked && q.gpus !== undefined) return asked;
  const raised = raiseTensorParallel ? raisedLayout(q, "full") : null;
  if (!fitsAsked) return raised;
  return raised !== null && gpusToFit(q, raised) < gpusToFit(q, asked) ? raised : asked;
}

const isTransformer = (m: ResolvedModel) => isDecoderLike(m) || m.family === "encoder" || m.family === "encoder-decoder";

/** Whether the estimate may raise tensor parallelism: no layout given, a transformer, GPUs that share a GPU-to-GPU link (NVLink, Infinity Fabric). */
export function tensorParallelRaisable(model: ResolvedModel, acc: ResolvedAccelerator, layoutGiven: boolean): boolean {
  return !layoutGiven && acc.interconnect.kind !== null && acc.interconnect.kind !== "pcie" && isTransformer(model);
}

/** The degrees within a node (2, 4, 8) that split the model's attention heads and divide `gpus` model-parallel-wise, smallest first. */
export function raisedTensorParallels(model: ResolvedModel, gpus: number | undefined): number[] {
  const node = getDefaults().inference.serving.gpusPerNode.value;
  const degrees: number[] = [];
  for (let tp = 2; tp <= node; tp *= 2) if (splitsAttentionHeads(model, tp) && (gpus === undefined || gpus % tp === 0)) degrees.push(tp);
  return degrees;
}

const gpusToFit = (q: LayoutRequest, l: Layout) => (l.dataParallelToFit ?? Infinity) * l.tensorParallel * q.pipelineParallel;

function layoutAt(q: LayoutRequest, tensorParallel: number, recompute: ActivationRecomputation): Layout {
  const split = splitMemory(q.states, activationsAt(q, tensorParallel, recompute), q.zeroStage, tensorParallel * q.pipelineParallel);
  return { tensorParallel, recompute, split, dataParallelToFit: fewestDataParallelToFit(split.fixed, split.sharded, q.availableBytes) };
}

/** Fits on the requested GPUs, or on some number of them when none is requested. */
function fitsRequest(q: LayoutRequest, l: Layout): boolean {
  return l.dataParallelToFit !== null && (q.gpus === undefined || l.dataParallelToFit * l.tensorParallel * q.pipelineParallel <= q.gpus);
}

/**
 * Tensor parallelism raised over the degrees within a node (2, 4, 8) that split the heads, at this recomputation: on the
 * requested GPUs, the smallest that divides them and fits there; with none requested, the one that fits
 * on the fewest GPUs (ties go to the smaller degree). Tensor parallelism splits each layer's weights and
 * activations over the GPUs of a node (Shoeybi et al. 2019, Megatron-LM; Narayanan et al. 2021 keep it
 * within a node, where NVLink carries its per-layer all-reduces). Null when no degree within a node fits.
 */
function raisedLayout(q: LayoutRequest, recompute: ActivationRecomputation): Layout | null {
  let best: Layout | null = null;
  for (const tp of raisedTensorParallels(q.model, q.gpus)) {
    const layout = layoutAt(q, tp, recompute);
    if (layout.dataParallelToFit === null) continue;
    if (q.gpus !== undefined) {
      if (fitsRequest(q, layout)) return layout;
      continue;
    }
    if (best === null || gpusToFit(q, layout) < gpusToFit(q, best)) best = layout;
  }
  return best;
}

function activationsAt(q: LayoutRequest, tensorParallel: number, recompute: ActivationRecomputation): number {
  return heldActivationBytes(q, q.microBatch, recompute, tensorParallel);
}

function logTensorParallel(q: LayoutRequest, tensorParallel: number, withFullRecompute: boolean): void {
  const node = getDefaults().inference.serving.gpusPerNode.value;
  q.log.add(
    "tensor parallelism",
    tensorParallel,
    "GPUs per layer",
    `${q.gpus === undefined ? "the degree within" : "the smallest degree within"} one node of ${node} GPUs at which the run fits ${q.gpus === undefined ? "on the fewest GPUs (the smaller degree on a tie)" : `on ${q.gpus} GPUs`}${withFullRecompute ? " with full recomputation" : ""}: one GPU per layer does not (tensor parallelism splits each layer's weights and activations, Shoeybi et al. 2019; kept within a node on its ${q.acc.interconnect.kind} link, Narayanan et al. 2021); the utilisation is not lowered for it, as the whole runs of the real-run factor used it (LLaMA-65B, Llama 3.1 405B). Give tensorParallel or pipelineParallel to choose the layout`,
  );
}
