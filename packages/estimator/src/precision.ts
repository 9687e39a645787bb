// Bytes per value by precision, and the memory of model states (EleutherAI "Transformer Math 101").
import type { GgufFormat, KvCachePrecision, Optimizer, TrainingPrecision, WeightQuantization } from "./types";
import { BITS_PER_BYTE } from "./units";

export function bytesPerValue(p: TrainingPrecision | KvCachePrecision): number {
  switch (p) {
    case "fp32":
    case "tf32":
      return 4;
    case "bf16":
    case "fp16":
      return 2;
    case "fp8":
    case "int8":
      return 1;
  }
}

export function isGguf(q: WeightQuantization): q is GgufFormat {
  return q.startsWith("gguf-");
}

/** Bits per weight of the formats that carry block scales beside their 4-bit values. */
export interface BlockScaledFormats {
  int4OverheadBitsPerWeight: number;
  nvfp4BitsPerWeight: number;
  ggufBitsPerWeight: Record<GgufFormat, number>;
}

/**
 * Weight bytes when serving; int4 adds its group-scale overhead (e.g. 16 bits per 128 weights), NVFP4
 * its FP8 scale per 16 values; a GGUF format stores the bits per weight llama.cpp publishes for it
 * (its block scales and mixed tensor types included).
 */
export function bytesPerWeight(q: WeightQuantization, f: BlockScaledFormats): number {
  if (q === "int4") return (4 + f.int4OverheadBitsPerWeight) / BITS_PER_BYTE;
  if (q === "nvfp4") return f.nvfp4BitsPerWeight / BITS_PER_BYTE;
  if (isGguf(q)) return f.ggufBitsPerWeight[q] / BITS_PER_BYTE;
  return bytesPerValue(q);
}

/**
 * Training weight bytes per parameter: 16-bit for mixed precision (FP8 training keeps 16-bit weights
 * and casts to FP8 for the matmuls, Micikevicius et al. 2022), 4 bytes for fp32/tf32.
 */
export function trainingWeightBytes(p: TrainingPrecision): number {
  return p === "fp32" || p === "tf32" ? 4 : 2;
}

/** Gradient bytes per trainable parameter: same width as the weights (Transformer Math 101). */
export function gradientBytes(p: TrainingPrecision): number {
  return trainingWeightBytes(p);
}

/**
 * Optimizer state bytes per trainable parameter (Transformer Math 101): AdamW keeps momentum and
 * variance (8 bytes), SGD with momentum 4, Adafactor factored second moments (≈0 per parameter,
 * Shazeer & Stern 2018); mixed precision adds a 4-byte fp32 master copy of the weights.
 */
export function optimizerBytes(opt: Optimizer, p: TrainingPrecision): number {
  const states = opt === "adamw" ? 8 : opt === "sgd" ? 4 : 0;
  const masterCopy = p === "fp32" || p === "tf32" ? 0 : 4;
  return states + masterCopy;
}
