// Representative requests whose complete answers are pinned in answers.json (test/pinned.test.ts):
// the bench cases, the three new-user questions of docs/estimates.md, every published validation case
// with defaults only, and the branches of the computation (tensor-parallel search, latency targets,
// per-sample models, overrides, models that do not fit, input errors). Performance work must leave
// every figure, warning and assumption of these answers exactly as it was.
//
// Regenerate (only when a change of figures is intended, and say why in the commit):
//   npx tsx packages/estimator/scripts/pin-answers.ts
import { isEstimatorInputError } from "../../src/errors";
import { estimateInferenceUncited } from "../../src/inference/estimate";
import { estimateTrainingUncited } from "../../src/training/estimate";
import type { InferenceInput, TrainingInput } from "../../src/types";
import { publishedCases } from "../../validation/published";
import { servingCaseInput, trainingCaseInput } from "../../validation/run";

export type PinnedRequest = { id: string; kind: "training"; input: TrainingInput } | { id: string; kind: "inference"; input: InferenceInput };

const llama7b: InferenceInput = { model: { preset: "llama-2-7b" }, hardware: "a100-80gb", workload: { inputTokens: 512, outputTokens: 256, requestsPerSecondPeak: 10 } };
const seventy: InferenceInput = { model: { preset: "llama-3-70b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 20 }, latency: { ttftMs: 500 } };
const customDecoder = { family: "decoder", layers: 24, hidden: 2048, heads: 16, kvHeads: 4, ffn: 5632, ffnType: "gated", vocab: 32000, contextLength: 4096 } as const;
const measuredGpu = {
  id: "lab-gpu",
  name: "lab GPU",
  peakFlopsPerS: { bf16: 400e12, fp16: 400e12 },
  memoryBytes: 48e9,
  memoryBandwidthBytesPerS: 1.2e12,
  tdpW: 350,
  interconnectBandwidthBytesPerS: 200e9,
  utilisation: { compute: { low: 0.3, expected: 0.4, high: 0.5, source: "lab runs" }, memoryBandwidth: { low: 0.6, expected: 0.7, high: 0.8, source: "lab runs" } },
  source: "lab measurements",
};

const training: Record<string, TrainingInput> = {
  // scripts/bench.ts
  "bench llama-3-70b, GPUs omitted": { model: { preset: "llama-3-70b" }, tokens: 2e12, hardware: "h100-sxm" },
  "bench gpt-3-175b, deadline 30 days": { model: { preset: "gpt-3-175b" }, tokens: 3e11, hardware: "a100-80gb", tensorParallel: 8, deadlineDays: 30 },
  "bench resnet-50, 90 epochs": { model: { preset: "resnet-50" }, samples: 1_281_167, epochs: 90, hardware: "a100-40gb" },
  "bench custom decoder, QLoRA": { model: { architecture: customDecoder }, tokens: 5e8, hardware: "l4", method: "qlora" },
  // docs/estimates.md, three questions a new user asks
  "question 1: fine-tune a 7B on 2B tokens on 8 A100s": { model: { parameters: 7e9 }, method: "full-fine-tune", tokens: 2e9, hardware: "a100-80gb", gpus: 8 },
  "question 3: pre-train a 7B on 2T tokens": { model: { parameters: 7e9 }, tokens: 2e12, hardware: "a100-80gb" },
  "question 3 on 2,048 GPUs": { model: { parameters: 7e9 }, tokens: 2e12, hardware: "a100-80gb", gpus: 2048 },
  // branches
  "gpt-3 from its parameter count on 1,024 A100": { model: { parameters: 174.6e9, contextLength: 2048 }, tokens: 300e9, hardware: "a100-80gb", gpus: 1024 },
  "llama-3.1-405b on 16,384 H100": { model: { preset: "llama-3.1-405b" }, tokens: 15.6e12, hardware: "h100-sxm", gpus: 16384 },
  "training llama-3.1-405b on one T4 (does not fit)": { model: { preset: "llama-3.1-405b" }, tokens: 1e9, hardware: "t4", precision: "fp16", gpus: 1 },
  "llama-2-7b lora on a10g": { model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a10g", gpus: 1, method: "lora", lora: { rank: 16, targets: "all-linear" } },
  "llama-2-7b qlora on a10g": { model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a10g", gpus: 1, method: "qlora" },
  "llama-2-7b full recomputation": { model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a100-80gb", gpus: 8, activationRecomputation: "full" },
  "llama-2-7b ZeRO 0 on one GPU": { model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 1, zeroStage: 0, method: "full-fine-tune" },
  "llama-2-7b deadline 7 days on H100": { model: { preset: "llama-2-7b" }, tokens: 1e11, hardware: "h100-sxm", deadlineDays: 7 },
  "llama-3-8b fp8 on H100, micro-batch 4": { model: { preset: "llama-3-8b" }, tokens: 1e11, hardware: "h100-sxm", precision: "fp8", microBatchSize: 4, gpus: 64 },
  "mixtral-8x7b on MI300X, tensor and pipeline parallel": { model: { preset: "mixtral-8x7b" }, tokens: 1e11, hardware: "mi300x", tensorParallel: 2, pipelineParallel: 2, gpus: 64 },
  "overrides: utilisation band, goodput, price, energy": { model: { preset: "llama-2-13b" }, tokens: 1e10, hardware: "a100-40gb", gpus: 32, utilisation: { low: 0.3, expected: 0.4, high: 0.5 }, goodput: 0.9, pricePerGpuHourUsd: 2, pue: 1.2, gridKgCo2PerKwh: 0.4, powerDrawFraction: 0.8 },
  "provider gcp": { model: { preset: "llama-2-7b" }, tokens: 1e10, hardware: "a100-40gb", provider: "gcp", gpus: 16 },
  "measured accelerator": { model: { preset: "mistral-7b" }, tokens: 1e10, hardware: measuredGpu, gpus: 16 },
  "bert-base samples": { model: { preset: "bert-base" }, samples: 1000, sequenceLength: 128, hardware: "t4", precision: "fp16" },
  "whisper-small samples": { model: { preset: "whisper-small" }, samples: 1000, hardware: "a100-80gb" },
  "vit-l-16 samples on L4": { model: { preset: "vit-l-16" }, samples: 1_281_167, epochs: 10, hardware: "l4" },
  "mlp": { model: { architecture: { family: "mlp", inputs: 784, hiddenLayers: [512, 256], outputs: 10 } }, samples: 60_000, epochs: 20, hardware: "t4", precision: "fp32" },
  "lstm": { model: { architecture: { family: "lstm", vocab: 20_000, embeddingDim: 128, hidden: 256, layers: 2, sequenceLength: 200, outputs: 2 } }, samples: 25_000, epochs: 5, hardware: "t4", precision: "fp16" },
  "parameters only 70B with overrides on H200": { model: { parameters: 70e9, kvHeads: 8, contextLength: 32_768 }, tokens: 1e12, hardware: "h200", deadlineDays: 60 },
  "parameters only 1T on B200": { model: { parameters: 1e12 }, tokens: 1e13, hardware: "b200", deadlineDays: 120 },
  "gpt-2 on a CPU": { model: { preset: "gpt-2" }, tokens: 1e8, hardware: "cpu-epyc-9654", precision: "fp32" },
};

const inference: Record<string, InferenceInput> = {
  // scripts/bench.ts
  "bench llama-3-8b, batch from memory": { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { inputTokens: 1000, outputTokens: 300, requestsPerDay: 2_000_000 } },
  "bench llama-3-70b, latency targets": { model: { preset: "llama-3-70b" }, hardware: "a100-80gb", workload: { inputTokens: 2000, outputTokens: 500, requestsPerSecondPeak: 20 }, latency: { ttftMs: 1000, tpotMs: 50 } },
  "bench mixtral-8x7b int4": { model: { preset: "mixtral-8x7b" }, hardware: "l4", quantization: "int4", workload: { inputTokens: 500, outputTokens: 200, requestsPerSecondPeak: 2 } },
  "bench resnet-50 per image": { model: { preset: "resnet-50" }, hardware: "t4", quantization: "fp16", workload: { requestsPerSecondPeak: 500 }, latency: { requestMs: 50 } },
  // docs/estimates.md, serving: the support bot, and with a cached system prompt
  "support bot llama-3.1-8b, H100 PCIe": { model: { preset: "llama-3.1-8b" }, hardware: "h100-pcie", workload: { inputTokens: 1200, outputTokens: 150, requestsPerSecondPeak: 12 } },
  "support bot with 1,000 cached prompt tokens": { model: { preset: "llama-3.1-8b" }, hardware: "h100-pcie", workload: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 150, requestsPerSecondPeak: 12 } },
  // docs/estimates.md, question 2 and its gpusPerReplica variants
  "question 2: serve Llama-3-70B at 20 req/s, TTFT 500 ms, H100": seventy,
  "question 2 with gpusPerReplica 1": { ...seventy, gpusPerReplica: 1 },
  "question 2 with gpusPerReplica 2": { ...seventy, gpusPerReplica: 2 },
  "question 2 with gpusPerReplica 4": { ...seventy, gpusPerReplica: 4 },
  "question 2 with gpusPerReplica 8": { ...seventy, gpusPerReplica: 8 },
  "question 2 without a latency target": { ...seventy, latency: undefined },
  // branches
  "llama-2-7b defaults": llama7b,
  "llama-2-7b batch 1": { ...llama7b, batchSize: 1 },
  "llama-2-7b batch 64 on 1 GPU, price given": { ...llama7b, batchSize: 64, gpusPerReplica: 1, pricePerGpuHourUsd: 2 },
  "llama-2-7b batch too large": { ...llama7b, gpusPerReplica: 1, batchSize: 5000 },
  "llama-2-7b TPOT 20 ms": { ...llama7b, latency: { tpotMs: 20 } },
  "llama-2-7b TPOT 1 ms (never met)": { ...llama7b, latency: { tpotMs: 1 } },
  "llama-2-7b request 4 s": { ...llama7b, latency: { requestMs: 4000 } },
  "llama-2-7b concurrency cap 100,000": { ...llama7b, maxConcurrentSequences: 100_000 },
  "llama-2-7b int4": { ...llama7b, quantization: "int4" },
  "llama-2-7b int8, fp8 KV cache on H100": { ...llama7b, hardware: "h100-sxm", quantization: "int8", kvCachePrecision: "fp8" },
  "llama-2-7b requests per day": { ...llama7b, workload: { inputTokens: 512, outputTokens: 256, requestsPerDay: 864_000, peakToAverage: 2 } },
  "llama-2-7b overrides: utilisation, MBU": { ...llama7b, utilisation: 0.5, bandwidthUtilisation: { low: 0.6, expected: 0.75, high: 0.85 } },
  "llama-2-7b provider": { ...llama7b, provider: "aws" },
  "llama-3.1-405b on A100 defaults": { model: { preset: "llama-3.1-405b" }, hardware: "a100-80gb", workload: { requestsPerSecondPeak: 1 } },
  "llama-3.1-405b on one T4 (does not fit)": { model: { preset: "llama-3.1-405b" }, hardware: "t4", quantization: "fp16", gpusPerReplica: 1, workload: { requestsPerSecondPeak: 1 } },
  "llama-3.1-405b on T4 defaults (across nodes)": { model: { preset: "llama-3.1-405b" }, hardware: "t4", quantization: "fp16", workload: { requestsPerSecondPeak: 1 } },
  "mixtral-8x7b tp2 batch 1 MBU 1": { model: { preset: "mixtral-8x7b" }, hardware: "h100-sxm", gpusPerReplica: 2, workload: { inputTokens: 1, outputTokens: 1, requestsPerSecondPeak: 1 }, batchSize: 1, bandwidthUtilisation: 1 },
  "mixtral-8x22b fp8 H200 long prompts": { model: { preset: "mixtral-8x22b" }, hardware: "h200", quantization: "fp8", workload: { inputTokens: 8000, outputTokens: 1000, requestsPerSecondPeak: 5 }, latency: { ttftMs: 2000, tpotMs: 40 } },
  "llama-3.2-1b on A100": { model: { preset: "llama-3.2-1b" }, hardware: "a100-80gb", workload: { inputTokens: 64, outputTokens: 512, requestsPerSecondPeak: 1 } },
  "gemma-2-9b on L4": { model: { preset: "gemma-2-9b" }, hardware: "l4", workload: { inputTokens: 1500, outputTokens: 300, requestsPerSecondPeak: 3 } },
  "qwen2.5-7b on MI300X": { model: { preset: "qwen2.5-7b" }, hardware: "mi300x", workload: { inputTokens: 256, outputTokens: 1024, requestsPerSecondPeak: 40 } },
  "phi-3-mini on T4 fp16": { model: { preset: "phi-3-mini" }, hardware: "t4", quantization: "fp16", workload: { inputTokens: 200, outputTokens: 200, requestsPerSecondPeak: 1 } },
  "parameters only 7B on L4": { model: { parameters: 7e9 }, hardware: "l4", workload: { inputTokens: 100, outputTokens: 100, requestsPerSecondPeak: 1 } },
  "parameters only with overrides": { model: { parameters: 7e9, kvHeads: 32, layers: 32, hidden: 4096, heads: 32, contextLength: 4096 }, hardware: "a100-80gb", workload: { inputTokens: 100, outputTokens: 100, requestsPerSecondPeak: 1 } },
  "parameters only 8B on H200 2048/2048": { model: { parameters: 8e9 }, hardware: "h200", gpusPerReplica: 1, workload: { inputTokens: 2048, outputTokens: 2048, requestsPerSecondPeak: 1 } },
  "parameters only 400B on B200": { model: { parameters: 400e9 }, hardware: "b200", quantization: "fp8", workload: { requestsPerSecondPeak: 3 } },
  "custom decoder on measured accelerator": { model: { architecture: customDecoder }, hardware: measuredGpu, workload: { inputTokens: 300, outputTokens: 300, requestsPerSecondPeak: 50 } },
  "resnet-50 batch 1": { model: { preset: "resnet-50" }, quantization: "fp16", hardware: "t4", workload: { requestsPerSecondPeak: 100 }, batchSize: 1 },
  "whisper-small on L4": { model: { preset: "whisper-small" }, hardware: "l4", quantization: "fp16", workload: { audioSeconds: 60, outputTokens: 200, requestsPerDay: 10_000 } },
  "whisper-large-v2 on A10G with request target": { model: { preset: "whisper-large-v2" }, hardware: "a10g", quantization: "fp16", workload: { outputTokens: 100, requestsPerSecondPeak: 4 }, latency: { requestMs: 3000 } },
  "bert-large with inputTokens": { model: { preset: "bert-large" }, hardware: "t4", quantization: "fp16", workload: { inputTokens: 256, samplesPerRequest: 8, requestsPerSecondPeak: 200 } },
  "vit-b-16 int8": { model: { preset: "vit-b-16" }, hardware: "l4", quantization: "int8", workload: { requestsPerSecondPeak: 300 }, latency: { requestMs: 30 } },
  "mlp per sample": { model: { architecture: { family: "mlp", inputs: 784, hiddenLayers: [512, 256], outputs: 10 } }, hardware: "cpu-epyc-9654", quantization: "fp32", workload: { requestsPerSecondPeak: 1000 } },
  "llama-3-8b gguf-q4_k_m on llama.cpp, H100 PCIe": { model: { preset: "llama-3-8b" }, hardware: "h100-pcie", quantization: "gguf-q4_k_m", engine: "llama.cpp", workload: { inputTokens: 300, outputTokens: 1024, requestsPerSecondPeak: 2 }, maxConcurrentSequences: 4 },
  "llama-3-70b gguf-q8_0 on continuous batching, A100": { model: { preset: "llama-3-70b" }, hardware: "a100-80gb", quantization: "gguf-q8_0", workload: { requestsPerSecondPeak: 5 }, latency: { tpotMs: 60 } },
  "gpt-2 on CPU": { model: { preset: "gpt-2" }, hardware: "cpu-epyc-9654", quantization: "fp32", workload: { inputTokens: 100, outputTokens: 50, requestsPerSecondPeak: 1 } },
};

/** Inputs the estimator must refuse, with their error path and message pinned. */
const errors: PinnedRequest[] = [
  { id: "error: unknown preset", kind: "inference", input: { model: { preset: "no-such-model" }, hardware: "h100-sxm", workload: {} } },
  { id: "error: heads do not divide hidden", kind: "training", input: { model: { architecture: { family: "decoder", layers: 2, hidden: 100, heads: 3, ffn: 64, vocab: 10, contextLength: 16 } }, tokens: 1e6, hardware: "a100-80gb" } },
  { id: "error: deadline too short", kind: "training", input: { model: { preset: "llama-3-8b" }, tokens: 1e13, hardware: "h100-sxm", deadlineDays: 0.01 } },
  { id: "error: llama.cpp for a CNN", kind: "inference", input: { model: { preset: "resnet-50" }, hardware: "t4", quantization: "fp16", engine: "llama.cpp", workload: { requestsPerSecondPeak: 1 } } },
  { id: "error: TTFT for a per-sample model", kind: "inference", input: { model: { preset: "resnet-50" }, hardware: "t4", quantization: "fp16", workload: { requestsPerSecondPeak: 1 }, latency: { ttftMs: 10 } } },
  { id: "error: more cached tokens than the prompt", kind: "inference", input: { model: { preset: "llama-3.1-8b" }, hardware: "h100-pcie", workload: { inputTokens: 100, cachedInputTokens: 101, requestsPerSecondPeak: 1 } } },
];

export function pinnedRequests(): PinnedRequest[] {
  const { training: runs, serving } = publishedCases();
  return [
    ...Object.entries(training).map(([id, input]): PinnedRequest => ({ id, kind: "training", input })),
    ...Object.entries(inference).map(([id, input]): PinnedRequest => ({ id, kind: "inference", input })),
    ...runs.map((c): PinnedRequest => ({ id: `validation ${c.id}`, kind: "training", input: trainingCaseInput(c) })),
    ...serving.map((c): PinnedRequest => ({ id: `validation ${c.id}`, kind: "inference", input: servingCaseInput(c) })),
    ...errors,
  ];
}

/** The complete answer to a pinned request (without the track-record line, which the validation cases set), or its input error. */
export function pinnedAnswer(req: PinnedRequest): unknown {
  try {
    const e = req.kind === "training" ? estimateTrainingUncited(req.input) : estimateInferenceUncited(req.input);
    return JSON.parse(JSON.stringify(e));
  } catch (err) {
    if (isEstimatorInputError(err)) return { error: { path: err.path, message: err.message } };
    throw err;
  }
}
