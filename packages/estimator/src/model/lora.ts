// LoRA adapter size: a rank-r pair B·A per adapted matrix, r·(d_in + d_out) parameters (Hu et al. 2021 §4.1).
import { EstimatorInputError } from "../errors";
import { attentionWidth, type BlockShape } from "./transformer";
import type { LoraTargets } from "../types";
import type { ResolvedModel } from "./resolve";

export type { LoraTargets } from "../types";

function adapter(rank: number, dIn: number, dOut: number): number {
  return rank * (dIn + dOut);
}

/** Adapter parameters of one transformer block. */
export function loraParamsPerLayer(s: BlockShape, rank: number, targets: LoraTargets): number {
  const kvWidth = s.kvHeads * s.headDim;
  const q = adapter(rank, s.hidden, attentionWidth(s));
  const v = adapter(rank, s.hidden, kvWidth);
  if (targets === "attention-qv") return q + v;
  const k = adapter(rank, s.hidden, kvWidth);
  const o = adapter(rank, attentionWidth(s), s.hidden);
  if (targets === "attention") return q + k + v + o;
  const experts = s.moe ? s.moe.experts : 1;
  const ffn = (s.gated ? 3 : 2) * adapter(rank, s.hidden, s.ffn) * experts;
  return q + k + v + o + ffn;
}

export function loraTrainableParams(m: ResolvedModel, rank: number, targets: LoraTargets): number {
  switch (m.family) {
    case "decoder":
    case "parameters-only":
    case "encoder":
      return m.layers * loraParamsPerLayer(m.shape, rank, targets);
    case "encoder-decoder":
      return (m.encoderLayers + m.decoderLayers) * loraParamsPerLayer(m.shape, rank, targets);
    default:
      throw new EstimatorInputError(["method"], `LoRA/QLoRA is modelled for transformer architectures, not for ${m.family}`);
  }
}
