// Reads a serving request once: fields checked, defaults chosen and logged. The computation
// (estimate.ts, continuous.ts, per-request.ts) works on the complete ResolvedInferenceInput.
import { AssumptionLog } from "../assumptions";
import { withSource } from "../band";
import { getDefaults, listAccelerators } from "../catalog";
import { EstimatorInputError } from "../errors";
import { bandwidthUtilisation, computeOverride, logBand, logHardware, peakFlopsPerS, resolveHardware, sixteenBitDefault, type ResolvedAccelerator, type SourcedNumber } from "../hardware";
import { CACHED_INPUT_PRICING } from "../hosted";
import { cachedInputTokensField, enumField, intField, numberField, requireObject, withDefault } from "../inputs";
import { isDecoderLike, resolveModel, type ResolvedModel } from "../model/resolve";
import { requireHeadSplittingDegree } from "../model/tensor-parallel";
import { LIMITS } from "../model/validate";
import { bytesPerValue, bytesPerWeight, isGguf } from "../precision";
import { resolvePricing } from "../pricing";
import { resolveTraffic, type Traffic } from "../traffic";
import { kernelBoundarySecondsPerLayer as kernelBoundarySecondsPerLayer_ } from "./fixed-costs";
import { SERVING_ENGINES, WEIGHT_QUANTIZATIONS, type InferenceInput, type KvCachePrecision, type Precision, type PriceQuote, type ServingEngine, type SourcedBand, type WeightQuantization } from "../types";

export const KV_PRECISIONS = ["fp32", "fp16", "bf16", "fp8", "int8"] as const satisfies readonly KvCachePrecision[];
const MAX_TOKENS_PER_REQUEST = 1e8;
export const MAX_TENSOR_PARALLEL = 1024;

export interface TokenShape {
  inputTokens: number;
  /** of the input tokens, those a prefix cache serves (workload.cachedInputTokens; priced so for hosted APIs) */
  cachedInputTokens: number;
  /** of those, the ones the serving engine skips the prefill of (its prefix cache; 0 for engines without one) */
  prefixCachedTokens: number;
  outputTokens: number;
  /** encoder windows per request (audio encoder-decoders), else 1 */
  windows: number;
}

export interface LatencyTargetsMs {
  ttftMs?: number;
  tpotMs?: number;
  requestMs?: number;
}

export interface ResolvedInferenceInput {
  model: ResolvedModel;
  acc: ResolvedAccelerator;
  quantization: WeightQuantization;
  engine: ServingEngine;
  /** matmul precision of this weight format */
  precision: Precision;
  peak: SourcedNumber;
  bytesPerWeight: number;
  weightsBytes: number;
  kvBytesPerValue: number;
  usableMemoryFraction: number;
  hoursPerMonth: number;
  traffic: Traffic;
  /** token models: request shape; null for per-sample models */
  tokens: TokenShape | null;
  samplesPerRequest: number;
  /** encoder text models: positions per sample when the workload gives inputTokens */
  sequenceLength: number | undefined;
  gpusPerReplica: number | undefined;
  latency: LatencyTargetsMs;
  batchSize: number | undefined;
  /** cap on concurrent sequences per replica (request, else the vLLM default for this device) */
  maxConcurrentSequences: number;
  /** tokens one engine step may process (vLLM max_num_batched_tokens default for this device) */
  stepTokenBudget: number;
  /** share of the 16-bit weight-streaming bandwidth this engine's kernels reach on this weight format (1: no dequantisation cost) */
  weightKernelEfficiency: number;
  /** seconds each decoder layer loses at kernel boundaries per engine step (0 where the engine's measured band holds it) */
  kernelBoundarySecondsPerLayer: number;
  /** the request's fixed all-reduce latency, s (undefined: NCCL's model per degree and link) */
  allReduceLatencySeconds: number | undefined;
  /** serving matmul efficiency: fraction of peak */
  computeEfficiency: SourcedBand;
  /** the attention products' (Q·Kᵀ, P·V) peak and efficiency: at the KV cache's precision where the accelerator has its peak, else 16-bit */
  attentionPeak: SourcedNumber;
  attentionComputeEfficiency: SourcedBand;
  bandwidthUtilisation: SourcedBand;
  pricing: PriceQuote | null;
  log: AssumptionLog;
  warnings: string[];
}

/**
 * Matmul precision for a weight format: fp8 runs FP8 tensor cores; int8 is W8A8 on INT8 tensor
 * cores (SmoothQuant, Xiao et al. 2023); nvfp4 is W4A4 on FP4 tensor cores (Blackwell: an accelerator
 * without a published FP4 peak refuses it); int4 is weight-only (W4A16, AWQ: Lin et al. 2023) and
 * computes in 16-bit, as do the GGUF formats here (counted at the 16-bit peak: dequantised weights) —
 * BF16, else FP16, else FP32 on a CPU that publishes no 16-bit peak.
 */
function computePrecision(q: WeightQuantization, engine: ServingEngine, acc: ResolvedAccelerator): Precision {
  if (q === "int4" || isGguf(q) || (q === "int8" && engine === "torch-compile")) return sixteenBitCompute(acc);
  return q === "nvfp4" ? "fp4" : q;
}

/** BF16, else FP16, else FP32 on a CPU that publishes no 16-bit peak. */
function sixteenBitCompute(acc: ResolvedAccelerator): Precision {
  const p = acc.peakFlopsPerS;
  return p.bf16 ? "bf16" : p.fp16 || !p.fp32 ? "fp16" : "fp32";
}

/**
 * Attention's products run in the KV cache's format, not the weights': FlashAttention's kernels take Q, K
 * and V in the cache's type (16-bit; FP8 where the cache is FP8 and the accelerator has FP8 tensor cores:
 * FlashAttention-3, Shah et al. 2024, arXiv 2407.08608 §3.3; TensorRT-LLM's FP8 context FMHA). A cache the
 * accelerator has no peak for (FP8 on an A100), or an INT8 cache, is dequantised to 16-bit (the matmul
 * precision where an explicit accelerator publishes no 16-bit peak).
 */
function attentionPrecisionFor(kv: KvCachePrecision, acc: ResolvedAccelerator, matmul: Precision): Precision {
  if (kv !== "int8" && acc.peakFlopsPerS[kv]) return kv;
  const sixteen = sixteenBitCompute(acc);
  // an explicit accelerator may publish only the matmul precision's peak: attention runs there then
  return acc.peakFlopsPerS[sixteen] ? sixteen : matmul;
}

/**
 * The attention operators' peak and efficiency band (the matmuls' own where the two precisions share a
 * peak), listed in the assumptions for decoder LLMs where they differ from the matmuls'.
 */
function attentionRate(
  acc: ResolvedAccelerator,
  kv: KvCachePrecision,
  matmul: { precision: Precision; peak: SourcedNumber; efficiency: SourcedBand },
  override: InferenceInput["utilisation"],
  decoder: boolean,
  log: AssumptionLog,
): { attentionPeak: SourcedNumber; attentionComputeEfficiency: SourcedBand } {
  const precision = attentionPrecisionFor(kv, acc, matmul.precision);
  const attentionPeak = peakFlopsPerS(acc, precision, ["kvCachePrecision"]);
  const attentionComputeEfficiency = precision === matmul.precision ? matmul.efficiency : servingComputeEfficiency(acc, precision, override);
  if (decoder && attentionPeak.value !== matmul.peak.value) {
    const format = precision === kv ? `the ${kv} KV cache's format` : `the ${kv} KV cache dequantised`;
    log.add("attention compute", `${precision} attention (${format}) beside ${matmul.precision} matmuls`, "rule", "FlashAttention's kernels take Q, K and V in the KV cache's type: 16-bit, or FP8 where the cache is FP8 and the accelerator has FP8 tensor cores (FlashAttention-3, Shah et al. 2024, arXiv 2407.08608); an INT8 cache, or one the accelerator has no peak for, is dequantised to 16-bit");
    log.add(`${acc.id} peak ${precision} FLOP/s (dense)`, attentionPeak.value, "FLOP/s", attentionPeak.source);
    logBand(log, "attention compute efficiency", attentionComputeEfficiency);
  }
  return { attentionPeak, attentionComputeEfficiency };
}

const STATIC_BATCHING_SOURCE =
  "modelplan choice for models other than decoder LLMs (encoders, vision models, Whisper): a replica runs a batch of requests together and starts the next when it ends; the continuous-batching engine (vLLM, TensorRT-LLM) is modelled for decoder LLMs";

/**
 * The serving engine: the request's, else the continuous-batching default; llama.cpp and torch-compile run
 * decoder LLMs only. Other models are served in static batches, which the answer says instead of an engine.
 */
function parseEngine(input: InferenceInput, model: ResolvedModel, log: AssumptionLog): ServingEngine {
  const e = getDefaults().inference.serving.engines;
  const given = enumField(input.engine, SERVING_ENGINES, ["engine"]);
  if ((given === "llama.cpp" || given === "torch-compile") && !isDecoderLike(model)) throw new EstimatorInputError(["engine"], `${given} is modelled for decoder LLMs only; leave engine out for this model`);
  if (!isDecoderLike(model)) {
    log.add("serving model", "static batches of requests", "rule", STATIC_BATCHING_SOURCE);
    return given ?? "continuous-batching";
  }
  if (given !== undefined) log.add("serving engine", given, "engine", "request");
  const engine = withDefault(given, e.default as { value: ServingEngine; source: string }, "serving engine", log, "engine");
  if (engine === "llama.cpp") log.add("llama.cpp concurrency", "llama-server slots", "rule", e.llamaCpp.concurrency);
  if (engine === "torch-compile") log.add("torch-compile weight formats", "weight-only int8 / int4", "rule", e.torchCompile.weightFormats);
  return engine;
}

/**
 * The engine's fixed and dequantisation costs of a decoder step: kernel boundaries per layer (llama.cpp's
 * fitted to its own published rows, every other engine's from the Hazy Research reference), and the bandwidth share of torch-compile's
 * weight-only kernels (continuous-batching servers run Marlin-class kernels, counted at full share).
 */
function engineCosts(input: InferenceInput, engine: ServingEngine, quantization: WeightQuantization, model: ResolvedModel, log: AssumptionLog): { weightKernelEfficiency: number; kernelBoundarySecondsPerLayer: number; allReduceLatencySeconds: number | undefined } {
  const givenBoundaryUs = nonNegativeField(input.kernelBoundaryMicrosecondsPerLayer, ["kernelBoundaryMicrosecondsPerLayer"], 10_000);
  const givenAllReduceUs = nonNegativeField(input.allReduceLatencyMicroseconds, ["allReduceLatencyMicroseconds"], 100_000);
  const givenEfficiency = numberField(input.weightKernelEfficiency, ["weightKernelEfficiency"], 1, 0.01);
  const allReduceLatencySeconds = givenAllReduceUs === undefined ? undefined : givenAllReduceUs * 1e-6;
  if (!isDecoderLike(model)) return { weightKernelEfficiency: 1, kernelBoundarySecondsPerLayer: 0, allReduceLatencySeconds };
  const s = getDefaults().inference.serving;
  let kernelBoundarySecondsPerLayer = 0;
  if (givenBoundaryUs !== undefined) {
    kernelBoundarySecondsPerLayer = givenBoundaryUs * 1e-6;
    log.add("kernel boundaries", kernelBoundarySecondsPerLayer, s.kernelBoundaries.unit, "request");
  } else if (engine === "llama.cpp") {
    const k = s.engines.llamaCpp.kernelBoundaries;
    kernelBoundarySecondsPerLayer = k.secondsPerLayer;
    log.add("kernel boundaries", kernelBoundarySecondsPerLayer, s.kernelBoundaries.unit, `${k.source} [${k.date}]`);
  } else {
    kernelBoundarySecondsPerLayer = kernelBoundarySecondsPerLayer_();
    log.add("kernel boundaries", kernelBoundarySecondsPerLayer, s.kernelBoundaries.unit, `${s.kernelBoundaries.source} [${s.kernelBoundaries.date}]`);
  }
  let weightKernelEfficiency = 1;
  const k = s.engines.torchCompile.weightOnlyKernelEfficiency;
  if (givenEfficiency !== undefined) {
    weightKernelEfficiency = givenEfficiency;
    log.add("weight kernel bandwidth share", weightKernelEfficiency, "fraction of the 16-bit streaming bandwidth", "request");
  } else if (engine === "torch-compile" && (quantization === "int8" || quantization === "int4")) {
    weightKernelEfficiency = k[quantization];
    log.add(`${quantization} weight-only kernel bandwidth share`, weightKernelEfficiency, "fraction of the 16-bit streaming bandwidth", `${k.source} [${k.date}]`);
  }
  return { weightKernelEfficiency, kernelBoundarySecondsPerLayer, allReduceLatencySeconds };
}

/** A number ≥ 0 (0 switches a cost off), or undefined. */
function nonNegativeField(value: unknown, path: string[], max: number): number | undefined {
  if (value === 0) return 0;
  return numberField(value, path, max);
}

/** vLLM's defaults by device: larger batches and step budgets on devices of ≥ 70 GiB other than A100. */
function isLargeServingDevice(acc: ResolvedAccelerator): boolean {
  const rule = getDefaults().inference.serving.maxConcurrentSequences;
  return acc.memoryBytes.value >= rule.largeDeviceMinBytes && !rule.excludedAccelerators.includes(acc.id);
}

/** Serving matmul efficiency: override or measured profile, else MAMF × the serving fraction, else the fallback band. */
function servingComputeEfficiency(acc: ResolvedAccelerator, precision: Precision, override: InferenceInput["utilisation"]): SourcedBand {
  const given = computeOverride(acc, override);
  if (given) return given;
  const s = getDefaults().inference.serving;
  const rule = s.mamf.find((r) => r.accelerators.includes(acc.id) && r.precisions.includes(precision));
  if (!rule) {
    const f = s.fallbackComputeEfficiency;
    return withSource(f, `${f.source} (no MAMF figure for ${acc.id} ${precision})`);
  }
  const f = s.computeEfficiencyOfMamf;
  return withSource(
    { low: rule.mamfEfficiency * f.low, expected: rule.mamfEfficiency * f.expected, high: rule.mamfEfficiency * f.high },
    `MAMF ${rule.mamfEfficiency} of peak (${rule.source} [${rule.date}]) × ${f.low}/${f.expected}/${f.high}: ${f.source}`,
  );
}

/** The KV cache's format: the request's, else 16-bit; said in the assumptions only for models that keep a KV cache (decoders, encoder-decoders). */
function kvCachePrecision(input: InferenceInput, model: ResolvedModel, acc: ResolvedAccelerator, log: AssumptionLog): KvCachePrecision {
  const given = enumField(input.kvCachePrecision, KV_PRECISIONS, ["kvCachePrecision"]);
  const fallback = sixteenBitDefault(acc, getDefaults().inference.kvCachePrecision as { value: KvCachePrecision; source: string });
  if (model.mode !== "tokens") return given ?? fallback.value;
  return withDefault(given, fallback, "KV cache precision", log, "format");
}

/**
 * The cap on concurrent sequences per replica: the request's, else vLLM's max_num_seqs for the device. Models
 * served in static batches take it as the largest batch of requests, and the answer says so.
 */
function concurrencyCap(input: InferenceInput, model: ResolvedModel, acc: ResolvedAccelerator, log: AssumptionLog): number {
  const rule = getDefaults().inference.serving.maxConcurrentSequences;
  const given = intField(input.maxConcurrentSequences, ["maxConcurrentSequences"], 1_000_000);
  const value = isLargeServingDevice(acc) ? rule.largeDevice : rule.otherDevice;
  if (isDecoderLike(model)) return withDefault(given, { value, source: rule.source }, "concurrent sequences cap per replica", log, "sequences");
  const source = `modelplan choice: the continuous-batching engines' concurrency cap taken as the largest static batch (${rule.source})`;
  return withDefault(given, { value, source }, "requests per batch cap per replica", log, "requests");
}

function parseTokens(model: ResolvedModel, engine: ServingEngine, w: InferenceInput["workload"], log: AssumptionLog, warnings: string[]): TokenShape {
  const d = getDefaults().inference;
  const outputTokens = withDefault(intField(w.outputTokens, ["workload", "outputTokens"], MAX_TOKENS_PER_REQUEST), d.outputTokens, "output tokens per request", log, "tokens");
  let inputTokens = 0;
  let windows = 1;
  if (model.family === "encoder-decoder" && model.counts.frontendMacsPerSample > 0) {
    const seconds = numberField(w.audioSeconds, ["workload", "audioSeconds"], 1e6, 1e-3);
    windows = seconds === undefined ? 1 : Math.ceil(seconds / d.whisperWindowSeconds.value);
    log.add("audio window", d.whisperWindowSeconds.value, "s", d.whisperWindowSeconds.source);
    if (seconds === undefined) log.add("audio windows per request", 1, "windows", "one window unless workload.audioSeconds is given");
  } else {
    inputTokens = withDefault(intField(w.inputTokens, ["workload", "inputTokens"], MAX_TOKENS_PER_REQUEST), d.inputTokens, "input tokens per request", log, "tokens");
  }
  if ((isDecoderLike(model) || model.family === "encoder-decoder") && model.contextLength > 0 && inputTokens + outputTokens > model.contextLength) {
    if (isDecoderLike(model)) warnings.push(`input + output tokens (${inputTokens + outputTokens}) exceed the model's context length ${model.contextLength}`);
    else if (outputTokens / windows > model.contextLength) warnings.push(`output tokens per window exceed the decoder context ${model.contextLength}`);
  }
  const cachedInputTokens = cachedInputTokensField(w.cachedInputTokens, inputTokens);
  const prefixCachedTokens = engine === "continuous-batching" ? cachedInputTokens : 0;
  if (cachedInputTokens > 0) {
    const s = getDefaults().inference.serving.prefixCaching;
    log.add(
      "prefix caching",
      prefixCachedTokens > 0 ? `${cachedInputTokens} of ${inputTokens} prompt tokens per request from the prefix cache` : `not modelled for ${engine}: the cached tokens are prefilled with the rest`,
      "rule",
      prefixCachedTokens > 0 ? `${s.source} [${s.date}]` : `${engine} keeps no prefix cache shared between requests in this model; the hosted alternatives still price the tokens as cached`,
    );
    log.add("cached input pricing", "hosted alternatives", "rule", CACHED_INPUT_PRICING);
  }
  return { inputTokens, cachedInputTokens, prefixCachedTokens, outputTokens, windows };
}

export function parseInferenceInput(input: InferenceInput): ResolvedInferenceInput {
  requireObject(input, [], "the inference request");
  requireObject(input.workload, ["workload"], "workload");
  const log = new AssumptionLog();
  const warnings: string[] = [];
  const d = getDefaults();
  const s = d.inference.serving;
  const model = resolveModel(input.model);
  const acc = resolveHardware(input.hardware);

  const quantization = withDefault(enumField(input.quantization, WEIGHT_QUANTIZATIONS, ["quantization"]), sixteenBitDefault(acc, d.inference.quantization as { value: WeightQuantization; source: string }), "weight precision", log, "format");
  const engine = parseEngine(input, model, log);
  const precision = computePrecision(quantization, engine, acc);
  if (quantization === "int4") log.add("int4 compute", `${precision} matmuls on dequantised weights (W4A16)`, "rule", "AWQ (Lin et al. 2023) / GPTQ weight-only quantisation");
  const nvfp4 = d.inference.nvfp4;
  if (quantization === "nvfp4") {
    if (engine !== "continuous-batching") throw new EstimatorInputError(["quantization"], `nvfp4 is modelled for continuous-batching servers (TensorRT-LLM, vLLM, SGLang), not ${engine}; leave engine out, or give a format ${engine} runs`);
    if (!acc.peakFlopsPerS.fp4) {
      const withFp4 = listAccelerators().filter((a) => a.peakFlopsPerS.fp4?.value).map((a) => a.id);
      // int4 is weight-only (16-bit matmuls): every accelerator that serves 16-bit weights runs it
      const instead = [...(["fp8", "int8"] as const).filter((p) => acc.peakFlopsPerS[p]), "int4"];
      throw new EstimatorInputError(["quantization"], `nvfp4 runs W4A4 on FP4 tensor cores, and ${acc.id} publishes no FP4 peak (the catalog's accelerators with one: ${withFp4.join(", ") || "none"}); give ${instead.join(", ").replace(/, ([^,]*)$/, " or $1")} for ${acc.id}`);
    }
    log.add("nvfp4 compute", "FP4 matmuls on FP4 weights and activations (W4A4)", "rule", `${nvfp4.source} [${nvfp4.date}]`);
    log.add("nvfp4 bits per weight", nvfp4.bitsPerWeight, nvfp4.unit, `${nvfp4.source} [${nvfp4.date}]`);
  }
  const gguf = d.inference.ggufBitsPerWeight;
  if (isGguf(quantization)) {
    log.add(`${quantization} bits per weight`, gguf.formats[quantization], "bits/weight", `${gguf.source} [${gguf.date}]`);
    log.add(`${quantization} compute`, `${precision} matmuls on dequantised weights`, "rule", "weight-only format: the arithmetic is counted at the accelerator's 16-bit peak, FP32 where it publishes no 16-bit one (modelplan choice: llama.cpp's integer dot-product kernels for quantised types are not modelled)");
  }
  if (quantization === "int8") {
    if (engine === "torch-compile") log.add("int8 compute", `${precision} matmuls on dequantised weights (W8A16)`, "rule", "torchao int8_weight_only / gpt-fast WeightOnlyInt8QuantHandler: weight-only int8");
    else log.add("int8 compute", "INT8 matmuls (W8A8)", "rule", "SmoothQuant (Xiao et al. 2023)");
  }
  const costs = engineCosts(input, engine, quantization, model, log);
  const peak = peakFlopsPerS(acc, precision, ["quantization"]);
  logHardware(acc, precision, peak, log);
  const int4Overhead = d.inference.int4GroupOverheadBitsPerWeight;
  if (quantization === "int4") log.add("int4 group-scale overhead", int4Overhead.value, "bits/weight", int4Overhead.source);
  const bytesPerW = bytesPerWeight(quantization, { int4OverheadBitsPerWeight: int4Overhead.value, nvfp4BitsPerWeight: nvfp4.bitsPerWeight, ggufBitsPerWeight: gguf.formats });
  const kvPrecision = kvCachePrecision(input, model, acc, log);

  const givenMemoryFraction = numberField(input.gpuMemoryUtilization, ["gpuMemoryUtilization"], 1, 0.05);
  if (givenMemoryFraction !== undefined) log.add("usable memory fraction", givenMemoryFraction, "fraction", "request (gpuMemoryUtilization)");
  const usableMemoryFraction = withDefault(
    givenMemoryFraction,
    { value: d.usableMemoryFraction.value, source: `${d.usableMemoryFraction.source} [${d.usableMemoryFraction.date}]; give gpuMemoryUtilization for your engine's (vLLM --gpu-memory-utilization)` },
    "usable memory fraction",
    log,
    "fraction",
  );
  const hoursPerMonth = d.hoursPerMonth.value;
  log.add("hours per month", hoursPerMonth, "h", d.hoursPerMonth.source);
  const traffic = resolveTraffic(input, log, hoursPerMonth);

  const w = input.workload;
  let tokens: TokenShape | null = null;
  let samplesPerRequest = 1;
  let sequenceLength: number | undefined;
  if (w.cachedInputTokens !== undefined && !isDecoderLike(model)) throw new EstimatorInputError(["workload", "cachedInputTokens"], "cachedInputTokens applies to decoder LLMs (a prompt prefix served from a prefix cache)");
  if (model.mode === "tokens") {
    tokens = parseTokens(model, engine, w, log, warnings);
  } else {
    samplesPerRequest = withDefault(intField(w.samplesPerRequest, ["workload", "samplesPerRequest"], 1_000_000), { value: 1, source: "one sample per request unless samplesPerRequest is given" }, "samples per request", log, "samples");
    if (model.family === "encoder" && !model.patches && w.inputTokens !== undefined) {
      sequenceLength = intField(w.inputTokens, ["workload", "inputTokens"], LIMITS.contextLength);
      if ((sequenceLength as number) > model.sequenceLength) warnings.push(`inputTokens ${sequenceLength} exceed the encoder's ${model.sequenceLength} positions`);
    }
  }
  if (model.family === "parameters-only") {
    log.add("architecture", "inferred from the parameter count", "rule", `${model.inferred.method}; fitted on ${model.inferred.fittedOn.join(", ")}. The KV cache, activations and attention FLOPs use this shape; give model.architecture (or contextLength, kvHeads, layers, hidden) for your own`);
  }

  const latencyIn = input.latency ?? {};
  const latency: LatencyTargetsMs = {
    ttftMs: numberField(latencyIn.ttftMs, ["latency", "ttftMs"], 3.6e6, LIMITS.minLatencyMs),
    tpotMs: numberField(latencyIn.tpotMs, ["latency", "tpotMs"], 3.6e6, LIMITS.minLatencyMs),
    requestMs: numberField(latencyIn.requestMs, ["latency", "requestMs"], 3.6e6, LIMITS.minLatencyMs),
  };
  if (!tokens && (latency.ttftMs !== undefined || latency.tpotMs !== undefined)) {
    throw new EstimatorInputError(["latency", latency.ttftMs !== undefined ? "ttftMs" : "tpotMs"], "per-sample models take latency.requestMs");
  }

  const maxConcurrentSequences = concurrencyCap(input, model, acc, log);
  const stepTokenBudget = isLargeServingDevice(acc) ? s.stepTokenBudget.largeDevice : s.stepTokenBudget.otherDevice;
  if (isDecoderLike(model)) log.add("engine step token budget", stepTokenBudget, "tokens per step", s.stepTokenBudget.source);

  const computeEfficiency = servingComputeEfficiency(acc, precision, input.utilisation);
  logBand(log, "serving compute efficiency", computeEfficiency);
  const attention = attentionRate(acc, kvPrecision, { precision, peak, efficiency: computeEfficiency }, input.utilisation, isDecoderLike(model), log);
  const engineMbu = engine === "llama.cpp" ? s.engines.llamaCpp.memoryBandwidthUtilisation : null;
  const mbu = bandwidthUtilisation(acc, input.bandwidthUtilisation, log, ["bandwidthUtilisation"], engineMbu ? withSource(engineMbu, `${engineMbu.source} [${engineMbu.date}]`) : null);
  const pricing = resolvePricing(acc.id, input, log);
  if (!pricing) warnings.push(`no cloud price for ${acc.id} in the catalog: give pricePerGpuHourUsd for costs`);
  const gpusPerReplica = intField(input.gpusPerReplica, ["gpusPerReplica"], MAX_TENSOR_PARALLEL);
  if (gpusPerReplica !== undefined) requireHeadSplittingDegree(model, gpusPerReplica, ["gpusPerReplica"], MAX_TENSOR_PARALLEL, "serving");

  return {
    model,
    acc,
    quantization,
    engine,
    precision,
    peak,
    bytesPerWeight: bytesPerW,
    weightsBytes: model.parameters * bytesPerW,
    kvBytesPerValue: bytesPerValue(kvPrecision),
    usableMemoryFraction,
    hoursPerMonth,
    traffic,
    tokens,
    samplesPerRequest,
    sequenceLength,
    gpusPerReplica,
    latency,
    batchSize: intField(input.batchSize, ["batchSize"], 1_000_000),
    maxConcurrentSequences,
    stepTokenBudget,
    computeEfficiency,
    ...attention,
    bandwidthUtilisation: mbu,
    ...costs,
    pricing,
    log,
    warnings,
  };
}
