// Training FLOPs per token or sample, and what activation recomputation does to them and to the MFU: the
// default mode's factor, and the mode the MFU band's fast end may run at where a request names none.
import { getDefaults } from "../catalog";
import { attentionFraction, forwardFlopsPerSample, trainingForwardFlopsPerToken, type ResolvedModel } from "../model/resolve";
import type { ActivationRecomputation, TrainingInput } from "../types";
import type { ResolvedTrainingInput, TrainingData } from "./parse";

export interface FlopsResult {
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
export function trainingFlops(m: ResolvedModel, data: TrainingData, method: TrainingInput["method"], recompute: ResolvedTrainingInput["recompute"]): FlopsResult {
  const forward = m.mode === "tokens" ? trainingForwardFlopsPerToken(m, data.sequenceLength ?? 0) : forwardFlopsPerSample(m, data.sequenceLength ?? undefined);
  const backwardMultiple = method === "lora" || method === "qlora" ? 1 : 2;
  const modelPerUnit = forward * (1 + backwardMultiple);
  const attnShare = attentionFraction(m, data.sequenceLength);
  const recomputed = recomputedFlops(forward, attnShare, recompute);
  const unit = m.mode === "tokens" ? "token" : "sample";
  const shape = m.family === "parameters-only" ? " (shape inferred from the parameter count)" : "";
  return {
    forwardPerUnit: forward,
    modelPerUnit,
    hardwarePerUnit: modelPerUnit + recomputed,
    attentionFraction: attnShare,
    formula: `(1 + ${backwardMultiple}) × forward FLOPs per ${unit}; forward = 2·N_matmul + attention score/value products${shape}`,
  };
}

/** Forward FLOPs a recomputation mode runs again per unit: all of them (full), the attention part (selective), none. */
function recomputedFlops(forward: number, attentionShare: number, recompute: ResolvedTrainingInput["recompute"]): number {
  return recompute === "full" ? forward : recompute === "selective" ? forward * attentionShare : 0;
}

/**
 * The published MFU model describes runs with the default recomputation (selective). Another mode makes
 * the hardware run more FLOPs per model FLOP (full: one more forward pass) or fewer (none), at the same
 * hardware FLOP/s: its MFU is the model's × hardware FLOPs per unit under the default mode / under this
 * mode (model vs hardware FLOPs utilisation, Korthikanti et al. 2022 §5), listed as an assumption. 1 for
 * the default mode, and for a utilisation the request gives (taken as it is).
 */
export function recomputationMfuFactor(r: ResolvedTrainingInput, recompute: ResolvedTrainingInput["recompute"], flops: FlopsResult): number {
  const basis = getDefaults().training.activationRecomputation.value;
  if (r.utilisationOverride || recompute === basis) return 1;
  const basisPerUnit = hardwareFlopsPerUnit(flops, basis);
  const factor = basisPerUnit / flops.hardwarePerUnit;
  const mode = recompute === "none" ? "no" : recompute;
  r.log.add(
    `MFU × ${mode} recomputation`,
    factor,
    "ratio",
    `${mode} recomputation runs ${(flops.hardwarePerUnit / flops.modelPerUnit).toFixed(3)} hardware FLOPs per model FLOP, against ${(basisPerUnit / flops.modelPerUnit).toFixed(3)} under the ${basis} recomputation of the runs the MFU model describes; the hardware's FLOP/s taken as the same (model vs hardware FLOPs utilisation, Korthikanti et al. 2022 §5)`,
  );
  return factor;
}

/** The MFU band's fast end where it runs a lighter recomputation than the expected figure (see fastEndRecomputation). */
export interface FastEnd {
  recomputeFactor: number;
  /** hardware FLOPs per token (or sample) at that recomputation */
  hardwarePerUnit: number;
  /** sequences (or samples) per micro-step at that recomputation: the request's, or the largest of its divisors that fits */
  microBatch: number;
  /** the estimate's tensor parallelism, or raised within a node where the estimate may raise it (layout.ts) */
  tensorParallel: number;
  /** the assumption's name and source, listed where the fast end is faster than the default's (its communication may bind) */
  name: string;
  source: string;
}

/**
 * The MFU band's fast end. A request that names no mode gets its method's default for the expected figure
 * (fine-tuning: TRL's or QLoRA's gradient checkpointing), but libraries differ: where that default recomputes
 * more than the mode the MFU model's runs describe and the activations fit with that mode on the answer's GPUs
 * — at the request's micro-batch or the largest of its divisors (the same tokens per optimizer step, in more
 * micro-steps), at the estimate's tensor parallelism or, where the estimate may raise it, the smallest degree
 * within a node that fits — the fast end runs at it. Null otherwise, and for a given mode or utilisation.
 */
export function fastEndRecomputation(
  r: ResolvedTrainingInput, recompute: ActivationRecomputation, flops: FlopsResult, tensorParallels: readonly number[],
  fitsWith: (microBatch: number, tensorParallel: number, mode: ActivationRecomputation) => boolean,
): FastEnd | null {
  const fastEnd = getDefaults().training.recomputationBandFastEnd;
  const mode = fastEnd.value;
  if (r.recomputeGiven || r.utilisationOverride || flops.hardwarePerUnit <= hardwareFlopsPerUnit(flops, mode)) return null;
  for (const tensorParallel of tensorParallels) {
    for (let microBatch = r.microBatch; microBatch >= 1; microBatch--) {
      if (r.microBatch % microBatch !== 0 || !fitsWith(microBatch, tensorParallel, mode)) continue;
      const factor = recomputationFactorFor(flops, mode);
      const where = [
        microBatch === r.microBatch ? "" : `${microBatch} per micro-step, the largest divisor of the ${r.microBatch} that fits with it (${r.microBatch / microBatch}× the micro-steps)`,
        tensorParallel === tensorParallels[0] ? "" : `tensor parallelism ${tensorParallel}, the smallest degree within a node at which it fits (the utilisation is not lowered for it)`,
      ].filter(Boolean);
      const source = fastEnd.source + (where.length > 0 ? `; here at ${where.join(", at ")}` : "");
      return { recomputeFactor: factor, hardwarePerUnit: hardwareFlopsPerUnit(flops, mode), microBatch, tensorParallel, name: `MFU band's fast end × ${mode} recomputation`, source };
    }
  }
  return null;
}

/** The MFU multiplier of running `mode` instead of the MFU model's basis mode: basis hardware FLOPs per unit ÷ `mode`'s. */
function recomputationFactorFor(flops: FlopsResult, mode: ActivationRecomputation): number {
  const basis = getDefaults().training.activationRecomputation.value;
  return hardwareFlopsPerUnit(flops, basis) / hardwareFlopsPerUnit(flops, mode);
}

/** Hardware FLOPs per token (or sample) at a recomputation mode: the model's, and what the mode runs again. */
function hardwareFlopsPerUnit(flops: FlopsResult, mode: ActivationRecomputation): number {
  return flops.modelPerUnit + recomputedFlops(flops.forwardPerUnit, flops.attentionFraction, mode);
}
