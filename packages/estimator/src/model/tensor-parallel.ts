// Which tensor-parallel degrees a transformer can run at: tensor parallelism gives each GPU an equal
// share of every attention layer's heads (Shoeybi et al. 2019, Megatron-LM §3), so serving engines and
// training stacks refuse a degree that does not divide them. Models without attention heads (CNNs,
// MLPs, LSTMs) take any degree.
import { EstimatorInputError } from "../errors";
import type { ResolvedModel } from "./resolve";

export interface AttentionHeads {
  heads: number;
  kvHeads: number;
}

/** The attention heads a tensor-parallel degree splits; null for models without attention. */
export function attentionHeads(m: ResolvedModel): AttentionHeads | null {
  if ("shape" in m) return { heads: m.shape.heads, kvHeads: m.shape.kvHeads };
  return null;
}

/**
 * Whether `tp` GPUs can split the model's attention heads. The query heads must divide evenly; the KV
 * heads are split evenly where there are at least `tp` of them and replicated evenly where there are fewer.
 */
export function splitsAttentionHeads(m: ResolvedModel, tp: number): boolean {
  const a = attentionHeads(m);
  if (a === null) return true;
  // vLLM refuses the rest: "Total number of attention heads must be divisible by tensor parallel size" (vllm/config.py verify_with_parallel_config at c0c2335c), KV heads split or replicated (vllm/model_executor/models/llama.py at 0035bdf2)
  // Megatron-LM too: "num_attention_heads must be a multiple of tensor_model_parallel_size" (megatron/core/transformer/transformer_config.py __post_init__ at d2c5e8b4)
  return a.heads % tp === 0 && (a.kvHeads >= tp ? a.kvHeads % tp === 0 : tp % a.kvHeads === 0);
}

/** The degrees up to `max` that split the model's attention heads, smallest first. */
export function headSplittingDegrees(m: ResolvedModel, max: number): number[] {
  const degrees: number[] = [];
  for (let tp = 1; tp <= max; tp++) if (splitsAttentionHeads(m, tp)) degrees.push(tp);
  return degrees;
}

const REFUSED_BY = { serving: "serving engines refuse such a degree (vLLM)", training: "training stacks refuse such a degree (Megatron-LM)" } as const;

/**
 * Refuses (422, naming `path`) a requested tensor-parallel degree that does not split the model's
 * attention heads, naming the degrees that do.
 */
export function requireHeadSplittingDegree(m: ResolvedModel, tp: number, path: string[], max: number, use: keyof typeof REFUSED_BY): void {
  if (splitsAttentionHeads(m, tp)) return;
  const a = attentionHeads(m);
  if (a === null) return;
  const field = path.join(".");
  const why =
    a.heads % tp !== 0
      ? `does not divide the model's ${a.heads} attention heads`
      : `is neither a divisor nor a multiple of the model's ${a.kvHeads} KV heads, which are split evenly over the GPUs or replicated on them`;
  const inferred = m.family === "parameters-only" ? " (the shape inferred from the parameter count: give model.heads and model.kvHeads for your model's)" : "";
  throw new EstimatorInputError(
    path,
    `${field} ${tp} ${why}${inferred}: tensor parallelism gives each GPU an equal share of every layer's heads, and ${REFUSED_BY[use]}; give one of ${headSplittingDegrees(m, max).join(", ")}`,
  );
}
