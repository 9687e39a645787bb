// Decoder serving as continuous-batching engines (vLLM, TensorRT-LLM) run it at saturation: the
// concurrency comes from the KV-cache pool, and every engine step is a mixed batch of one decode token
// per running sequence plus the prefill tokens of the requests that replace finished ones.
import { divideByBand, scaleBand } from "../band";
import { getDefaults } from "../catalog";
import { kvBytesPerToken, type DecoderLikeModel } from "../model/resolve";
import { attentionFlopsPerToken, attentionWidth, ffnWeightParams, matmulFlopsPerToken } from "../model/transformer";
import type { Band } from "../types";
import { allReduceSeconds } from "./communication";
import type { ResolvedInferenceInput, TokenShape } from "./parse";

export interface ReplicaMemory {
  tp: number;
  /** weights and one full sequence fit */
  fits: boolean;
  usableBytes: number;
  /** usable memory left for the KV cache after weights and the step's activation workspace */
  kvPoolBytes: number;
  /** KV cache of one sequence at input + output tokens */
  kvBytesPerFullSequence: number;
  /** KV cache a running sequence holds on average (input + half the output + half a block) */
  kvBytesPerAverageSequence: number;
  /** concurrency the KV-cache pool allows at the fill factor */
  memoryConcurrency: number;
  /** concurrency the step token budget allows: B decodes + B·I/O prefill tokens per step ≤ budget */
  budgetConcurrency: number;
  maxConcurrency: number;
  limitedBy: "kv-cache" | "step-token-budget" | "concurrency-cap";
}

/**
 * Memory of a tensor-parallel replica. Activation workspace: the engine profiles a forward pass of a
 * full step budget (vLLM's profile run), ≈ budget × (4·hidden + FFN width / tp) × 2 bytes.
 */
export function replicaMemory(r: ResolvedInferenceInput, m: DecoderLikeModel, t: TokenShape, tp: number): ReplicaMemory {
  const s = getDefaults().inference.serving;
  const kvPerToken = kvBytesPerToken(m, r.kvBytesPerValue);
  const usableBytes = tp * r.acc.memoryBytes.value * r.usableMemoryFraction;
  const ffnWidth = m.shape.ffn * (m.shape.gated ? 2 : 1);
  const workspace = r.stepTokenBudget * (4 * m.shape.hidden + ffnWidth / tp) * 2;
  const kvPoolBytes = Math.max(0, usableBytes - r.weightsBytes - workspace);
  const kvBytesPerFullSequence = kvPerToken * (t.inputTokens + t.outputTokens);
  const kvBytesPerAverageSequence = kvPerToken * (t.inputTokens + t.outputTokens / 2 + s.kvBlockTokens.value / 2);
  const fits = kvPoolBytes >= kvBytesPerFullSequence && kvPoolBytes > 0;
  const memoryConcurrency = fits ? Math.max(1, Math.floor((kvPoolBytes * s.kvCacheFillFactor.value) / kvBytesPerAverageSequence)) : 0;
  const budgetConcurrency = Math.max(1, Math.floor(r.stepTokenBudget / (1 + t.inputTokens / t.outputTokens)));
  const maxConcurrency = Math.min(memoryConcurrency, budgetConcurrency, r.maxConcurrentSequences);
  const limitedBy = maxConcurrency === memoryConcurrency ? "kv-cache" : maxConcurrency === budgetConcurrency ? "step-token-budget" : "concurrency-cap";
  return { tp, fits, usableBytes, kvPoolBytes, kvBytesPerFullSequence, kvBytesPerAverageSequence, memoryConcurrency, budgetConcurrency, maxConcurrency, limitedBy };
}

/**
 * Weight bytes a step reads. Dense: all weights. MoE: non-expert weights plus the experts the batch
 * touches; with uniform routing of n tokens to k of E experts, E·(1 − (1 − k/E)^n) experts per layer.
 */
function weightBytesRead(r: ResolvedInferenceInput, m: DecoderLikeModel, tokensInStep: number): number {
  if (!m.shape.moe) return r.weightsBytes;
  const { experts, activeExperts } = m.shape.moe;
  const expertBytes = m.layers * ffnWeightParams(m.shape) * r.bytesPerWeight;
  const touched = experts * (1 - (1 - activeExperts / experts) ** tokensInStep);
  return r.weightsBytes - experts * expertBytes + touched * expertBytes;
}

export interface StepTime {
  time: Band;
  /** time the step's operators spend bound by memory traffic (weights, KV cache) */
  memory: Band;
  /** time the step's operators spend bound by arithmetic */
  compute: Band;
  /** tensor-parallel all-reduce time of the step (no band: link figures are point values) */
  communicationSeconds: number;
}

/**
 * Adds one operator on the roofline to a step: the larger of its memory and arithmetic time (Williams
 * et al. 2009), counted as memory-bound time when its memory time is the larger at the expected
 * efficiencies. Runs many times per estimate (the concurrency and tensor-parallel searches), so it
 * adds into the step's two bands in place instead of building bands of its own.
 */
function addOperator(r: ResolvedInferenceInput, tp: number, bytes: number, flops: number, memoryBound: Band, computeBound: Band): void {
  const memorySeconds = bytes / (tp * r.acc.memoryBandwidthBytesPerS.value);
  const computeSeconds = flops / (tp * r.peak.value);
  const mbu = r.bandwidthUtilisation, eff = r.computeEfficiency;
  // the low time comes from the high efficiency
  const memLow = memorySeconds / mbu.high, memExpected = memorySeconds / mbu.expected, memHigh = memorySeconds / mbu.low;
  const cmpLow = computeSeconds / eff.high, cmpExpected = computeSeconds / eff.expected, cmpHigh = computeSeconds / eff.low;
  const into = memExpected >= cmpExpected ? memoryBound : computeBound;
  into.low += Math.max(memLow, cmpLow);
  into.expected += Math.max(memExpected, cmpExpected);
  into.high += Math.max(memHigh, cmpHigh);
}

/**
 * One engine step with `decodes` decode tokens and `prefillTokens` prompt tokens: the operators run one
 * after another, each on its own roofline (Williams et al. 2009; per-operator, as LLM-Viewer, Yuan et
 * al. 2024, arXiv 2402.16363): the linear layers stream the weights once for all tokens of the step;
 * decode attention streams each sequence's KV cache; prefill attention is arithmetic on the prompt.
 * Mixed batches stay at the weights' memory time until they turn compute-bound (Agrawal et al. 2024,
 * Sarathi-Serve §3.1 Fig. 6). Tensor parallelism adds two all-reduces per layer (Shoeybi et al. 2019 §3).
 */
export function stepTime(r: ResolvedInferenceInput, m: DecoderLikeModel, t: TokenShape, tp: number, decodes: number, prefillTokens: number): StepTime {
  const kvPerToken = kvBytesPerToken(m, r.kvBytesPerValue);
  const context = t.inputTokens + t.outputTokens / 2;
  const tokensInStep = decodes + prefillTokens;
  const width = attentionWidth(m.shape);
  const memory: Band = { low: 0, expected: 0, high: 0 };
  const compute: Band = { low: 0, expected: 0, high: 0 };
  // linear layers, decode attention, then prefill attention (a prompt chunk attends on average half the prompt, and writes its K/V)
  addOperator(r, tp, weightBytesRead(r, m, tokensInStep), tokensInStep * matmulFlopsPerToken(m.counts.matmulPerToken), memory, compute);
  addOperator(r, tp, decodes * kvPerToken * context, decodes * attentionFlopsPerToken(m.layers, context, width), memory, compute);
  addOperator(r, tp, prefillTokens * kvPerToken, prefillTokens * attentionFlopsPerToken(m.layers, (t.inputTokens + 1) / 2, width), memory, compute);
  const communicationSeconds = tp > 1 ? 2 * m.layers * allReduceSeconds(r.acc, tp, tokensInStep * m.shape.hidden * 2) : 0;
  const time: Band = {
    low: memory.low + compute.low + communicationSeconds,
    expected: memory.expected + compute.expected + communicationSeconds,
    high: memory.high + compute.high + communicationSeconds,
  };
  return { time, memory, compute, communicationSeconds };
}

export interface ServingAtConcurrency {
  batch: number;
  /** mixed step at steady state: the time between a sequence's output tokens (TPOT) */
  step: StepTime;
  /** a decode-only step at this batch (what TPOT would be without prefill chunks) */
  decode: StepTime;
  /** one request's prompt processed alone on the replica */
  prefillAloneSeconds: Band;
  ttftSeconds: Band;
  requestSeconds: Band;
  outputTokensPerSecPerReplica: Band;
  requestsPerSecPerReplica: Band;
}

/** The latencies at `batch` concurrent sequences (what the latency targets are checked against). */
export function latencyAt(r: ResolvedInferenceInput, m: DecoderLikeModel, t: TokenShape, tp: number, batch: number): { step: StepTime; ttftSeconds: Band; requestSeconds: Band } {
  const prefillPerStep = (batch * t.inputTokens) / t.outputTokens;
  const step = stepTime(r, m, t, tp, batch, prefillPerStep);
  // TTFT: the prompt runs in chunks of what the step budget leaves beside the decodes, after waiting
  // half a step on average for admission
  const chunk = Math.max(1, r.stepTokenBudget - batch);
  const chunks = Math.ceil(t.inputTokens / chunk);
  const chunkStep = stepTime(r, m, t, tp, Math.max(0, batch - 1), Math.min(t.inputTokens, chunk));
  const c = chunkStep.time, s = step.time;
  const ttftSeconds: Band = { low: chunks * c.low + 0.5 * s.low, expected: chunks * c.expected + 0.5 * s.expected, high: chunks * c.high + 0.5 * s.high };
  const outputSteps = Math.max(0, t.outputTokens - 1);
  const requestSeconds: Band = { low: ttftSeconds.low + outputSteps * s.low, expected: ttftSeconds.expected + outputSteps * s.expected, high: ttftSeconds.high + outputSteps * s.high };
  return { step, ttftSeconds, requestSeconds };
}

/** Steady state at `batch` concurrent sequences: every step, batch/O sequences finish and as many prompts are prefilled. */
export function servingAt(r: ResolvedInferenceInput, m: DecoderLikeModel, t: TokenShape, tp: number, batch: number): ServingAtConcurrency {
  const { step, ttftSeconds, requestSeconds } = latencyAt(r, m, t, tp, batch);
  const decode = stepTime(r, m, t, tp, batch, 0);
  const outputTokensPerSecPerReplica = divideByBand(batch, step.time);
  const prefillAloneSeconds = stepTime(r, m, t, tp, 0, t.inputTokens).time;
  return { batch, step, decode, prefillAloneSeconds, ttftSeconds, requestSeconds, outputTokensPerSecPerReplica, requestsPerSecPerReplica: scaleBand(outputTokensPerSecPerReplica, 1 / t.outputTokens) };
}
