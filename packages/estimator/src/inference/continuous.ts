// Decoder serving as continuous-batching engines (vLLM, TensorRT-LLM) run it at saturation: the
// concurrency comes from the KV-cache pool, and every engine step is a mixed batch of one decode token
// per running sequence plus the prefill tokens of the requests that replace finished ones.
import { divideByBand, scaleBand } from "../band";
import { getDefaults } from "../catalog";
import { kvBytesPerToken, type DecoderLikeModel } from "../model/resolve";
import { attentionFlopsPerToken, attentionWidth, ffnWeightParams, matmulFlopsPerToken } from "../model/transformer";
import type { Band } from "../types";
import { allReduceLink, allReduceOver, type AllReduceLink } from "./communication";
import type { ResolvedInferenceInput, TokenShape } from "./parse";

export interface ReplicaMemory {
  tp: number;
  /** weights and one full sequence fit */
  fits: boolean;
  usableBytes: number;
  /** usable memory left for the KV cache after weights, the step's activation workspace and the shared cached prefix */
  kvPoolBytes: number;
  /** KV cache of one sequence at input + output tokens */
  kvBytesPerFullSequence: number;
  /** KV cache a running sequence holds of its own on average (uncached input + half the output + half a block) */
  kvBytesPerAverageSequence: number;
  /** concurrency the KV-cache pool allows at the fill factor */
  memoryConcurrency: number;
  /** concurrency the step token budget allows: B decodes + B·I'/O prefill tokens per step ≤ budget (I': uncached input) */
  budgetConcurrency: number;
  maxConcurrency: number;
  limitedBy: "kv-cache" | "step-token-budget" | "concurrency-cap";
}

/**
 * KV-cache bytes one token holds across a replica of `tp` GPUs. Each GPU keeps its share of the KV heads;
 * where there are fewer KV heads than GPUs, each GPU keeps a whole copy of the head its query heads use
 * (vLLM replicates them: vllm/model_executor/models/llama.py), so the replica holds tp ÷ kvHeads copies.
 */
export function replicaKvBytesPerToken(r: ResolvedInferenceInput, m: DecoderLikeModel, tp: number): number {
  return kvBytesPerToken(m, r.kvBytesPerValue) * Math.max(1, tp / m.shape.kvHeads);
}

/**
 * Memory of a tensor-parallel replica. Activation workspace: the engine profiles a forward pass of a
 * full step budget (vLLM's profile run), ≈ budget × (4·hidden + FFN width / tp) × 2 bytes. A prompt
 * prefix served from the prefix cache is held once per replica; each sequence holds the rest.
 */
export function replicaMemory(r: ResolvedInferenceInput, m: DecoderLikeModel, t: TokenShape, tp: number): ReplicaMemory {
  const s = getDefaults().inference.serving;
  const kvPerToken = replicaKvBytesPerToken(r, m, tp);
  const usableBytes = tp * r.acc.memoryBytes.value * r.usableMemoryFraction;
  const ffnWidth = m.shape.ffn * (m.shape.gated ? 2 : 1);
  const workspace = r.stepTokenBudget * (4 * m.shape.hidden + ffnWidth / tp) * 2;
  const uncached = t.inputTokens - t.prefixCachedTokens;
  const kvPoolBytes = Math.max(0, usableBytes - r.weightsBytes - workspace - kvPerToken * t.prefixCachedTokens);
  const kvBytesPerFullSequence = kvPerToken * (t.inputTokens + t.outputTokens);
  const kvBytesPerAverageSequence = kvPerToken * (uncached + t.outputTokens / 2 + s.kvBlockTokens.value / 2);
  const fits = kvPoolBytes >= kvPerToken * (uncached + t.outputTokens) && kvPoolBytes > 0;
  const memoryConcurrency = fits ? Math.max(1, Math.floor((kvPoolBytes * s.kvCacheFillFactor.value) / kvBytesPerAverageSequence)) : 0;
  const budgetConcurrency = Math.max(1, Math.floor(r.stepTokenBudget / (1 + uncached / t.outputTokens)));
  const maxConcurrency = Math.min(memoryConcurrency, budgetConcurrency, r.maxConcurrentSequences);
  const limitedBy = maxConcurrency === memoryConcurrency ? "kv-cache" : maxConcurrency === budgetConcurrency ? "step-token-budget" : "concurrency-cap";
  return { tp, fits, usableBytes, kvPoolBytes, kvBytesPerFullSequence, kvBytesPerAverageSequence, memoryConcurrency, budgetConcurrency, maxConcurrency, limitedBy };
}

export interface StepTime {
  time: Band;
  /** time the step's operators spend bound by memory traffic (weights, KV cache) */
  memory: Band;
  /** time the step's operators spend bound by arithmetic */
  compute: Band;
  /** tensor-parallel all-reduce time of the step (no band: link figures are point values) */
  communicationSeconds: number;
  /** time lost between the step's kernels (launch, ramp-up, tail), all layers */
  kernelBoundarySeconds: number;
}

/**
 * What every engine step of one replica shares: the model, the request shape and the tensor-parallel
 * degree, with the per-token figures derived from them. Built once per degree, so that the
 * concurrency search's many steps are arithmetic only.
 */
export interface ReplicaSteps {
  r: ResolvedInferenceInput;
  m: DecoderLikeModel;
  t: TokenShape;
  tp: number;
  /** KV-cache bytes per token across the replica, KV heads replicated where fewer than its GPUs (replicaKvBytesPerToken) */
  kvBytesPerToken: number;
  /** average context a decode attends: the prompt and half the output */
  decodeContext: number;
  bandwidthBytesPerS: number;
  /** the linear layers' rate (the weight format's matmul precision) and the attention products' (the KV cache's) */
  matmul: OperatorRate;
  attention: OperatorRate;
  matmulFlopsPerToken: number;
  decodeAttentionFlopsPerToken: number;
  /** a prompt chunk attends on average the cached prefix and half the rest of the prompt */
  prefillAttentionFlopsPerToken: number;
  /** weight bytes a step streams: every weight but the lookup-only tables (embeddings), of which it reads a row per token */
  streamedWeightBytes: number;
  /** MoE: bytes of one expert across the layers (0 for dense models) */
  expertBytes: number;
  /** MoE: matmul FLOPs of the routed experts per token, all layers (0 for dense models) */
  expertFlopsPerToken: number;
  allReduce: AllReduceLink | null;
  /** seconds every step loses at kernel boundaries (all layers) */
  kernelBoundarySeconds: number;
}

/** Where an operator's arithmetic runs: the replica's peak FLOP/s at a precision, and the efficiency band reached there. */
export interface OperatorRate {
  peakFlopsPerS: number;
  efficiency: Band;
}

export function replicaSteps(r: ResolvedInferenceInput, m: DecoderLikeModel, t: TokenShape, tp: number): ReplicaSteps {
  const decodeContext = t.inputTokens + t.outputTokens / 2;
  const width = attentionWidth(m.shape);
  return {
    r,
    m,
    t,
    tp,
    kvBytesPerToken: replicaKvBytesPerToken(r, m, tp),
    decodeContext,
    bandwidthBytesPerS: tp * r.acc.memoryBandwidthBytesPerS.value,
    matmul: { peakFlopsPerS: tp * r.peak.value, efficiency: r.computeEfficiency },
    attention: { peakFlopsPerS: tp * r.attentionPeak.value, efficiency: r.attentionComputeEfficiency },
    matmulFlopsPerToken: matmulFlopsPerToken(m.counts.matmulPerToken),
    decodeAttentionFlopsPerToken: attentionFlopsPerToken(m.layers, decodeContext, width),
    prefillAttentionFlopsPerToken: attentionFlopsPerToken(m.layers, t.prefixCachedTokens + (t.inputTokens - t.prefixCachedTokens + 1) / 2, width),
    streamedWeightBytes: r.weightsBytes - m.counts.lookupOnly * r.bytesPerWeight,
    expertBytes: m.shape.moe ? m.layers * ffnWeightParams(m.shape) * r.bytesPerWeight : 0,
    expertFlopsPerToken: m.shape.moe ? matmulFlopsPerToken(m.layers * m.shape.moe.activeExperts * ffnWeightParams(m.shape)) : 0,
    allReduce: tp > 1 ? allReduceLink(r.acc, tp, r.allReduceLatencySeconds) : null,
    kernelBoundarySeconds: m.layers * r.kernelBoundarySecondsPerLayer,
  };
}

/**
 * Routed-expert bytes a step reads (0 for dense models): the experts its tokens touch; with uniform
 * routing of n tokens to k of E experts, E·(1 − (1 − k/E)^n) experts per layer. The other weights —
 * every one but the embedding table, of which a step reads one row per token (the LM head, when it
 * has its own matrix, is read whole) — are read once per step.
 */
function expertBytesRead(s: ReplicaSteps, tokensInStep: number): number {
  const moe = s.m.shape.moe;
  if (!moe) return 0;
  const { experts, activeExperts } = moe;
  return experts * (1 - (1 - activeExperts / experts) ** tokensInStep) * s.expertBytes;
}

/**
 * Adds one operator on the roofline to a step: the larger of its memory and arithmetic time (Williams
 * et al. 2009), counted as memory-bound time when its memory time is the larger at the expected
 * efficiencies. Runs many times per estimate (the concurrency and tensor-parallel searches), so it
 * adds into the step's two bands in place instead of building bands of its own.
 */
function addOperator(s: ReplicaSteps, rate: OperatorRate, bytes: number, flops: number, memoryBound: Band, computeBound: Band): void {
  const memorySeconds = bytes / s.bandwidthBytesPerS;
  const computeSeconds = flops / rate.peakFlopsPerS;
  const mbu = s.r.bandwidthUtilisation, eff = rate.efficiency;
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
 * al. 2024, arXiv 2402.16363): the linear layers stream the weights once for all tokens of the step
 * (an MoE's routed experts are an operator of their own: the experts the tokens touch, each computing
 * the tokens routed to it, memory-bound while those are few); decode attention streams each sequence's
 * KV cache; prefill attention is arithmetic on the prompt.
 * Mixed batches stay at the weights' memory time until they turn compute-bound (Agrawal et al. 2024,
 * Sarathi-Serve §3.1 Fig. 6). Tensor parallelism adds two all-reduces per layer (Shoeybi et al. 2019 §3),
 * each at NCCL's fixed latency plus its transfer; every layer adds its kernel-boundary cost (Hazy Research
 * 2025, "Look Ma, No Bubbles!").
 */
export function stepTime(s: ReplicaSteps, decodes: number, prefillTokens: number): StepTime {
  const tokensInStep = decodes + prefillTokens;
  const memory: Band = { low: 0, expected: 0, high: 0 };
  const compute: Band = { low: 0, expected: 0, high: 0 };
  // linear layers, decode attention, then prefill attention (which also writes the prompt's K/V)
  // weight-only kernels that dequantise as they read stream at a share of the 16-bit bandwidth
  const wke = s.r.weightKernelEfficiency;
  const moe = s.m.shape.moe;
  addOperator(s, s.matmul, (s.streamedWeightBytes - (moe ? moe.experts * s.expertBytes : 0)) / wke, tokensInStep * (s.matmulFlopsPerToken - s.expertFlopsPerToken), memory, compute);
  if (moe) addOperator(s, s.matmul, expertBytesRead(s, tokensInStep) / wke, tokensInStep * s.expertFlopsPerToken, memory, compute);
  addOperator(s, s.attention, decodes * s.kvBytesPerToken * s.decodeContext, decodes * s.decodeAttentionFlopsPerToken, memory, compute);
  addOperator(s, s.attention, prefillTokens * s.kvBytesPerToken, prefillTokens * s.prefillAttentionFlopsPerToken, memory, compute);
  const communicationSeconds = s.allReduce ? 2 * s.m.layers * allReduceOver(s.allReduce, tokensInStep * s.m.shape.hidden * 2) : 0;
  const fixed = communicationSeconds + s.kernelBoundarySeconds;
  const time: Band = {
    low: memory.low + compute.low + fixed,
    expected: memory.expected + compute.expected + fixed,
    high: memory.high + compute.high + fixed,
  };
  return { time, memory, compute, communicationSeconds, kernelBoundarySeconds: s.kernelBoundarySeconds };
}

export interface ServingAtConcurrency {
  batch: number;
  /** mixed step at steady state as one sequence sees it: the time between its output tokens (TPOT) */
  step: StepTime;
  /** the average engine step: every slot's prompt once per output length (what the throughput divides by) */
  average: StepTime;
  /** a decode-only step at this batch (what TPOT would be without prefill chunks) */
  decode: StepTime;
  /** one request's prompt processed alone on the replica */
  prefillAloneSeconds: Band;
  ttftSeconds: Band;
  requestSeconds: Band;
  outputTokensPerSecPerReplica: Band;
  requestsPerSecPerReplica: Band;
}

/**
 * Prompt tokens prefilled per engine step at steady state by `slots` running sequences: each slot's
 * request finishes every O steps and the one replacing it prefills its uncached prompt (chunked
 * prefill spreads it over the steps).
 */
function prefillTokensPerStep(s: ReplicaSteps, slots: number): number {
  const t = s.t;
  return (Math.max(0, slots) * (t.inputTokens - t.prefixCachedTokens)) / t.outputTokens;
}

/**
 * The average engine step at `batch` concurrent sequences: `batch` decodes and every slot's next prompt
 * once per output length. Throughput is `batch` output tokens per average step.
 */
export function averageStepAt(s: ReplicaSteps, batch: number): StepTime {
  return stepTime(s, batch, prefillTokensPerStep(s, batch));
}

/**
 * The latencies at `batch` concurrent sequences (what the latency targets are checked against). The
 * steps between one sequence's output tokens carry the prompts of the other batch − 1 slots' new
 * requests; its own prompt is prefilled before its first token (the TTFT), so it is not charged again
 * to its decode steps: at batch 1 a sequence's TPOT is a decode-only step.
 */
export function latencyAt(s: ReplicaSteps, batch: number): { step: StepTime; ttftSeconds: Band; requestSeconds: Band } {
  const { r, t } = s;
  // the prompt tokens a request prefills: those its prefix cache does not serve
  const prompt = t.inputTokens - t.prefixCachedTokens;
  const step = stepTime(s, batch, prefillTokensPerStep(s, batch - 1));
  // TTFT: the prompt runs in chunks of what the step budget leaves beside the other batch − 1 sequences'
  // decodes (one step at least, which gives the first token), after waiting half a step on average for admission
  const chunk = Math.max(1, r.stepTokenBudget - (batch - 1));
  const chunks = Math.max(1, Math.ceil(prompt / chunk));
  const chunkStep = stepTime(s, Math.max(0, batch - 1), Math.min(prompt, chunk));
  const c = chunkStep.time, st = step.time;
  const ttftSeconds: Band = { low: chunks * c.low + 0.5 * st.low, expected: chunks * c.expected + 0.5 * st.expected, high: chunks * c.high + 0.5 * st.high };
  const outputSteps = Math.max(0, t.outputTokens - 1);
  const requestSeconds: Band = { low: ttftSeconds.low + outputSteps * st.low, expected: ttftSeconds.expected + outputSteps * st.expected, high: ttftSeconds.high + outputSteps * st.high };
  return { step, ttftSeconds, requestSeconds };
}

/** Steady state at `batch` concurrent sequences: every step, batch/O sequences finish and as many prompts are prefilled. */
export function servingAt(s: ReplicaSteps, batch: number): ServingAtConcurrency {
  const t = s.t;
  const { step, ttftSeconds, requestSeconds } = latencyAt(s, batch);
  const decode = stepTime(s, batch, 0);
  const average = averageStepAt(s, batch);
  const outputTokensPerSecPerReplica = divideByBand(batch, average.time);
  const prefillAloneSeconds = stepTime(s, 0, t.inputTokens - t.prefixCachedTokens).time;
  return { batch, step, average, decode, prefillAloneSeconds, ttftSeconds, requestSeconds, outputTokensPerSecPerReplica, requestsPerSecPerReplica: scaleBand(outputTokensPerSecPerReplica, 1 / t.outputTokens) };
}
