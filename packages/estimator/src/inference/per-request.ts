// Serving models that are not decoder-only LLMs: per-sample models (vision, encoders, tabular) and
// encoder-decoders (Whisper). A replica runs a batch of requests at a time: their encoder/prefill
// passes one after another, their decodes together (static batching).
import { combineBands, divideByBand } from "../band";
import { forwardFlopsPerSample, forwardFlopsPerToken, inferenceWorkingBytesPerSample, kvBytesPerSequenceFixed, kvBytesPerToken, prefillFlops, trainingActivationBytes, type ResolvedModel } from "../model/resolve";
import { splitsAttentionHeads } from "../model/tensor-parallel";
import type { Band } from "../types";
import type { ResolvedInferenceInput } from "./parse";

const ACTIVATION_BYTES = 2;

export interface PerRequestMemory {
  tp: number;
  perSequenceBytes: number;
  usableBytes: number;
  maxBatchThatFits: number;
  fits: boolean;
}

export function perRequestMemory(r: ResolvedInferenceInput, tp: number): PerRequestMemory {
  const m = r.model;
  const t = r.tokens;
  const perSequenceBytes = t
    ? kvBytesPerToken(m, r.kvBytesPerValue) * (t.inputTokens + t.outputTokens) + kvBytesPerSequenceFixed(m, r.kvBytesPerValue) * t.windows
    : inferenceWorkingBytesPerSample(m, ACTIVATION_BYTES, r.sequenceLength) * r.samplesPerRequest;
  const usableBytes = tp * r.acc.memoryBytes.value * r.usableMemoryFraction;
  const free = usableBytes - r.weightsBytes;
  const maxBatchThatFits = free <= 0 ? 0 : perSequenceBytes === 0 ? r.maxConcurrentSequences : Math.min(Math.floor(free / perSequenceBytes), 1e9);
  return { tp, perSequenceBytes, usableBytes, maxBatchThatFits, fits: maxBatchThatFits >= 1 };
}

/** Fewest tensor-parallel GPUs (powers of two that split the attention heads) that hold the weights plus one request. */
export function fewestPerRequestTensorParallel(r: ResolvedInferenceInput, max: number): number | null {
  for (let tp = 1; tp <= max; tp *= 2) if (splitsAttentionHeads(r.model, tp) && perRequestMemory(r, tp).fits) return tp;
  return null;
}

/** Time of a step that moves `bytes` and computes `flops`: the larger of the two (Williams et al. 2009, roofline). */
function roofline(r: ResolvedInferenceInput, tp: number, bytes: number, flops: number): { time: Band; memory: Band; compute: Band } {
  const memory = divideByBand(bytes / (tp * r.acc.memoryBandwidthBytesPerS.value), r.bandwidthUtilisation);
  const compute = divideByBand(flops / (tp * r.peak.value), r.computeEfficiency);
  return { time: combineBands(memory, compute, Math.max), memory, compute };
}

/**
 * Activation bytes a per-sample forward pass moves through memory: every layer output written once
 * and read once (transformer encoders: the Korthikanti et al. 2022 per-layer activations).
 */
function activationTrafficBytesPerSample(m: ResolvedModel, sequenceLength: number | undefined): number {
  if (m.family === "encoder") return 2 * trainingActivationBytes(m, sequenceLength ?? null, 1, "selective", 1, ACTIVATION_BYTES);
  if ("dense" in m) return 2 * m.dense.activationElementsPerSample * ACTIVATION_BYTES;
  return 0;
}

export interface PerRequestTiming {
  prefill: Band | null;
  decode: Band | null;
  decodeBound: "memory" | "compute" | null;
  request: Band;
  /** time for the replica to finish a batch of requests */
  cycle: Band;
}

export function perRequestTiming(r: ResolvedInferenceInput, tp: number, batch: number): PerRequestTiming {
  const m = r.model;
  const t = r.tokens;
  if (t) {
    const prefillWork = m.family === "encoder-decoder" ? t.windows * prefillFlops(m, 1) : prefillFlops(m, t.inputTokens);
    const prefill = roofline(r, tp, r.weightsBytes, prefillWork).time;
    const context = t.inputTokens + t.outputTokens / 2;
    const kvRead = batch * (kvBytesPerToken(m, r.kvBytesPerValue) * context + kvBytesPerSequenceFixed(m, r.kvBytesPerValue) * t.windows);
    const d = roofline(r, tp, r.weightsBytes + kvRead, batch * forwardFlopsPerToken(m, context));
    const request = combineBands(prefill, d.time, (p, s) => p + t.outputTokens * s);
    const cycle = combineBands(prefill, d.time, (p, s) => batch * p + t.outputTokens * s);
    return { prefill, decode: d.time, decodeBound: d.memory.expected >= d.compute.expected ? "memory" : "compute", request, cycle };
  }
  const samples = batch * r.samplesPerRequest;
  const bytes = r.weightsBytes + samples * activationTrafficBytesPerSample(m, r.sequenceLength);
  const step = roofline(r, tp, bytes, samples * forwardFlopsPerSample(m, r.sequenceLength)).time;
  return { prefill: null, decode: null, decodeBound: null, request: step, cycle: step };
}

