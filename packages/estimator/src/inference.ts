// Serving estimate: memory, prefill and decode latency (roofline), throughput, batch, replicas,
// cost, and the hosted-API alternatives with their break-even traffic.
import { AssumptionLog } from "./assumptions";
import { combineBands, divideByBand, mapBand, scaleBand } from "./band";
import { CATALOG_VERSION, getDefaults, listHostedModels } from "./catalog";
import { EstimatorInputError } from "./errors";
import {
  bandwidthUtilisation,
  computeUtilisation,
  hardwareSummary,
  logHardware,
  peakFlopsPerS,
  resolveHardware,
  type ResolvedAccelerator,
  type SourcedNumber,
} from "./hardware";
import { assertFiniteFigures } from "./finite";
import { enumField, intField, numberField, requireObject, withDefault } from "./inputs";
import {
  forwardFlopsPerSample,
  forwardFlopsPerToken,
  inferenceWorkingBytesPerSample,
  kvBytesPerSequenceFixed,
  trainingActivationBytes,
  kvBytesPerToken,
  modelSummary,
  prefillFlops,
  resolveModel,
  type ResolvedModel,
} from "./model/resolve";
import { ffnWeightParams } from "./model/transformer";
import { LIMITS } from "./model/validate";
import { bytesPerValue, bytesPerWeight } from "./precision";
import { hostedCostPerRequestUsd } from "./hosted";
import { resolveTraffic, type Traffic } from "./traffic";
import { resolvePricing } from "./pricing";
import type {
  Band,
  HostedAlternative,
  InferenceEstimate,
  InferenceInput,
  KvCachePrecision,
  Precision,
  SourcedBand,
  WeightQuantization,
} from "./types";
import { bytesToGb, MS_PER_SECOND, SECONDS_PER_DAY, TOKENS_PER_MILLION } from "./units";

const QUANTIZATIONS: readonly WeightQuantization[] = ["fp32", "fp16", "bf16", "fp8", "int8", "int4"];
const KV_PRECISIONS: readonly KvCachePrecision[] = ["fp32", "fp16", "bf16", "fp8", "int8"];
const MAX_TOKENS_PER_REQUEST = 1e8;
const MAX_TENSOR_PARALLEL = 1024;

interface Rates {
  peak: SourcedNumber;
  bandwidth: number;
  mfu: SourcedBand;
  mbu: SourcedBand;
  /** GPUs per replica (tensor parallel); communication time is not modelled */
  tp: number;
}

// ---------------------------------------------------------------- inputs

/**
 * Matmul precision for a weight format: fp8 runs FP8 tensor cores; int8 is W8A8 on INT8 tensor
 * cores (SmoothQuant, Xiao et al. 2023); int4 is weight-only (W4A16, AWQ: Lin et al. 2023) and
 * computes in 16-bit.
 */
function computePrecision(q: WeightQuantization, acc: ResolvedAccelerator): Precision {
  if (q === "int4") return acc.peakFlopsPerS.bf16 ? "bf16" : "fp16";
  return q;
}

// ---------------------------------------------------------------- roofline pieces

/** Time of a step that moves `bytes` and computes `flops`: the larger of the two (Williams et al. 2009, roofline). */
function rooflineSeconds(bytes: number, flops: number, r: Rates): { time: Band; memory: Band; compute: Band } {
  const memory = divideByBand(bytes / (r.tp * r.bandwidth), r.mbu);
  const compute = divideByBand(flops / (r.tp * r.peak.value), r.mfu);
  return { time: combineBands(memory, compute, Math.max), memory, compute };
}

/**
 * Weight bytes a decode step reads. Dense: all weights. MoE: non-expert weights plus the experts
 * the batch touches; with uniform routing of B tokens to k of E experts, the expected number of
 * distinct experts per layer is E·(1 − (1 − k/E)^B).
 */
function weightBytesReadPerStep(m: ResolvedModel, weightsBytes: number, batch: number, bytesPerW: number): number {
  if (m.family !== "decoder" || !m.shape.moe) return weightsBytes;
  const { experts, activeExperts } = m.shape.moe;
  const expertBytes = m.layers * ffnWeightParams(m.shape) * bytesPerW;
  const touched = experts * (1 - (1 - activeExperts / experts) ** batch);
  return weightsBytes - experts * expertBytes + touched * expertBytes;
}

interface TokenShape {
  inputTokens: number;
  outputTokens: number;
  /** encoder windows per request (audio encoder-decoders), else 1 */
  windows: number;
}

function decodeStep(m: ResolvedModel, t: TokenShape, batch: number, weightsBytes: number, bytesPerW: number, kvBytes: number, r: Rates) {
  const context = t.inputTokens + t.outputTokens / 2; // average position during generation
  const kvRead = batch * (kvBytesPerToken(m, kvBytes) * context + kvBytesPerSequenceFixed(m, kvBytes) * t.windows);
  const bytes = weightBytesReadPerStep(m, weightsBytes, batch, bytesPerW) + kvRead;
  const flops = batch * forwardFlopsPerToken(m, context);
  return rooflineSeconds(bytes, flops, r);
}

/** Prefill of one request: compute-bound on the prompt FLOPs, never faster than reading the weights once. */
function prefillStep(m: ResolvedModel, t: TokenShape, weightsBytes: number, r: Rates) {
  const flops = m.family === "encoder-decoder" ? t.windows * prefillFlops(m, 1) : prefillFlops(m, t.inputTokens);
  return rooflineSeconds(weightsBytes, flops, r);
}

/**
 * Activation bytes a per-sample forward pass moves through memory: every layer output written once
 * and read once (transformer encoders: the Korthikanti et al. 2022 per-layer activations).
 */
function activationTrafficBytesPerSample(m: ResolvedModel, bytesPerActivation: number, sequenceLength: number | undefined): number {
  if (m.family === "encoder") return 2 * trainingActivationBytes(m, sequenceLength ?? null, 1, "selective", 1, bytesPerActivation);
  if ("dense" in m) return 2 * m.dense.activationElementsPerSample * bytesPerActivation;
  return 0;
}

// ---------------------------------------------------------------- batch choice

/** Largest batch in [1, limit] meeting `ok`, assuming ok is monotone (true then false); 0 if none. */
function largestBatch(limit: number, ok: (batch: number) => boolean): number {
  if (limit < 1 || !ok(1)) return 0;
  let lo = 1, hi = limit;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Fewest tensor-parallel GPUs (powers of two) that hold the weights plus one sequence. */
function fewestTensorParallel(weightsBytes: number, perSequenceBytes: number, usablePerGpu: number): number | null {
  for (let tp = 1; tp <= MAX_TENSOR_PARALLEL; tp *= 2) {
    if (weightsBytes + perSequenceBytes <= tp * usablePerGpu) return tp;
  }
  return null;
}

// ---------------------------------------------------------------- estimate

export function estimateInference(input: InferenceInput): InferenceEstimate {
  requireObject(input, [], "the inference request");
  requireObject(input.workload, ["workload"], "workload");
  const log = new AssumptionLog();
  const warnings: string[] = [];
  const d = getDefaults();
  const model = resolveModel(input.model);
  const acc = resolveHardware(input.hardware);

  const quantization = withDefault(enumField(input.quantization, QUANTIZATIONS, ["quantization"]), d.inference.quantization as { value: WeightQuantization; source: string }, "weight precision", log, "format");
  const precision = computePrecision(quantization, acc);
  if (quantization === "int4") log.add("int4 compute", `${precision} matmuls on dequantised weights (W4A16)`, "rule", "AWQ (Lin et al. 2023) / GPTQ weight-only quantisation");
  if (quantization === "int8") log.add("int8 compute", "INT8 matmuls (W8A8)", "rule", "SmoothQuant (Xiao et al. 2023)");
  const peak = peakFlopsPerS(acc, precision, ["quantization"]);
  logHardware(acc, precision, peak, log);
  const int4Overhead = d.inference.int4GroupOverheadBitsPerWeight;
  if (quantization === "int4") log.add("int4 group-scale overhead", int4Overhead.value, "bits/weight", int4Overhead.source);
  const bytesPerW = bytesPerWeight(quantization, int4Overhead.value);
  const weightsBytes = model.parameters * bytesPerW;
  const kvPrecision = withDefault(enumField(input.kvCachePrecision, KV_PRECISIONS, ["kvCachePrecision"]), d.inference.kvCachePrecision as { value: KvCachePrecision; source: string }, "KV cache precision", log, "format");
  const kvBytes = bytesPerValue(kvPrecision);

  const usableFraction = d.usableMemoryFraction.value;
  log.add("usable memory fraction", usableFraction, "fraction", `${d.usableMemoryFraction.source} [${d.usableMemoryFraction.date}]`);
  const hoursPerMonth = d.hoursPerMonth.value;
  log.add("hours per month", hoursPerMonth, "h", d.hoursPerMonth.source);
  const traffic = resolveTraffic(input, log, hoursPerMonth);
  const mfu = computeUtilisation(acc, precision, input.utilisation, log);
  const mbu = bandwidthUtilisation(acc, input.bandwidthUtilisation, log);
  const cap = d.maxConcurrentSequences.value;

  const w = input.workload;
  let tokens: TokenShape | null = null;
  let samplesPerRequest = 1;
  let sequenceLength: number | undefined;
  if (model.mode === "tokens") {
    const outputTokens = withDefault(intField(w.outputTokens, ["workload", "outputTokens"], MAX_TOKENS_PER_REQUEST), d.inference.outputTokens, "output tokens per request", log, "tokens");
    let inputTokens = 0;
    let windows = 1;
    if (model.family === "encoder-decoder" && model.counts.frontendMacsPerSample > 0) {
      const seconds = numberField(w.audioSeconds, ["workload", "audioSeconds"], 1e6, 1e-3);
      const windowSeconds = d.inference.whisperWindowSeconds;
      windows = seconds === undefined ? 1 : Math.ceil(seconds / windowSeconds.value);
      log.add("audio window", windowSeconds.value, "s", windowSeconds.source);
      if (seconds === undefined) log.add("audio windows per request", 1, "windows", "one window unless workload.audioSeconds is given");
      inputTokens = 0;
    } else {
      inputTokens = withDefault(intField(w.inputTokens, ["workload", "inputTokens"], MAX_TOKENS_PER_REQUEST), d.inference.inputTokens, "input tokens per request", log, "tokens");
    }
    if ((model.family === "decoder" || model.family === "encoder-decoder") && model.contextLength > 0 && inputTokens + outputTokens > model.contextLength) {
      if (model.family === "decoder") warnings.push(`input + output tokens (${inputTokens + outputTokens}) exceed the model's context length ${model.contextLength}`);
      else if (outputTokens / windows > model.contextLength) warnings.push(`output tokens per window exceed the decoder context ${model.contextLength}`);
    }
    tokens = { inputTokens, outputTokens, windows };
    if (model.family === "parameters-only") {
      log.add("KV cache", "not modelled", "rule", "only a parameter count was given: KV cache size and attention FLOPs need the architecture");
    }
  } else {
    samplesPerRequest = withDefault(intField(w.samplesPerRequest, ["workload", "samplesPerRequest"], 1_000_000), { value: 1, source: "one sample per request unless samplesPerRequest is given" }, "samples per request", log, "samples");
    if (model.family === "encoder" && !model.patches && w.inputTokens !== undefined) {
      sequenceLength = intField(w.inputTokens, ["workload", "inputTokens"], LIMITS.contextLength);
      if ((sequenceLength as number) > model.sequenceLength) warnings.push(`inputTokens ${sequenceLength} exceed the encoder's ${model.sequenceLength} positions`);
    }
  }

  // memory per sequence (tokens) or per request (samples)
  const activationBytes = 2;
  const perSequenceBytes = tokens
    ? kvBytesPerToken(model, kvBytes) * (tokens.inputTokens + tokens.outputTokens) + kvBytesPerSequenceFixed(model, kvBytes) * tokens.windows
    : inferenceWorkingBytesPerSample(model, activationBytes, sequenceLength) * samplesPerRequest;
  const usablePerGpu = acc.memoryBytes.value * usableFraction;
  const fewestTp = fewestTensorParallel(weightsBytes, perSequenceBytes, usablePerGpu);
  let tp: number;
  const tpGiven = intField(input.gpusPerReplica, ["gpusPerReplica"], MAX_TENSOR_PARALLEL);
  if (tpGiven !== undefined) tp = tpGiven;
  else {
    tp = fewestTp ?? 1;
    log.add("GPUs per replica", `fewest power of two holding the weights and one ${tokens ? "sequence" : "request"}`, "rule", "modelplan choice (tensor-parallel degrees are powers of two in vLLM/TensorRT-LLM deployments); communication time not modelled");
  }
  const usablePerReplica = tp * usablePerGpu;
  const freeBytes = usablePerReplica - weightsBytes;
  const maxBatchThatFits = freeBytes <= 0 ? 0 : perSequenceBytes === 0 ? Number.POSITIVE_INFINITY : Math.floor(freeBytes / perSequenceBytes);
  const fits = maxBatchThatFits >= 1;
  if (!fits) warnings.push(fewestTp === null ? `the weights do not fit on ${MAX_TENSOR_PARALLEL} × ${acc.id}` : `does not fit on ${tp} × ${acc.id}; the fewest GPUs per replica that fit are ${fewestTp}`);
  const rates: Rates = { peak, bandwidth: acc.memoryBandwidthBytesPerS.value, mfu, mbu, tp };

  // per-batch timings
  const batchLimit = Math.max(1, Math.min(Number.isFinite(maxBatchThatFits) ? maxBatchThatFits : cap, cap));
  const timing = (batch: number) => {
    if (tokens) {
      const prefill = prefillStep(model, tokens, weightsBytes, rates);
      const decode = decodeStep(model, tokens, batch, weightsBytes, bytesPerW, kvBytes, rates);
      const request = combineBands(prefill.time, decode.time, (p, t) => p + (tokens as TokenShape).outputTokens * t);
      // B requests share the replica: their prefills run one after another, their decodes together
      const cycle = combineBands(prefill.time, decode.time, (p, t) => batch * p + (tokens as TokenShape).outputTokens * t);
      return { prefill: prefill.time, decode: decode.time, decodeBound: decode.memory.expected >= decode.compute.expected ? ("memory" as const) : ("compute" as const), request, cycle };
    }
    const samples = batch * samplesPerRequest;
    const bytes = weightsBytes + samples * activationTrafficBytesPerSample(model, activationBytes, sequenceLength);
    const step = rooflineSeconds(bytes, samples * forwardFlopsPerSample(model, sequenceLength), rates);
    return { prefill: null, decode: null, decodeBound: null, request: step.time, cycle: step.time };
  };

  // batch choice
  const latency = input.latency ?? {};
  const ttftMs = numberField(latency.ttftMs, ["latency", "ttftMs"], 3.6e6, LIMITS.minLatencyMs);
  const tpotMs = numberField(latency.tpotMs, ["latency", "tpotMs"], 3.6e6, LIMITS.minLatencyMs);
  const requestMs = numberField(latency.requestMs, ["latency", "requestMs"], 3.6e6, LIMITS.minLatencyMs);
  if (!tokens && (ttftMs !== undefined || tpotMs !== undefined)) throw new EstimatorInputError(["latency", ttftMs !== undefined ? "ttftMs" : "tpotMs"], "per-sample models take latency.requestMs");
  const meets = (batch: number) => {
    const t = timing(batch);
    return (
      (tpotMs === undefined || (t.decode as Band).expected * MS_PER_SECOND <= tpotMs) &&
      (requestMs === undefined || t.request.expected * MS_PER_SECOND <= requestMs) &&
      (ttftMs === undefined || (t.prefill as Band).expected * MS_PER_SECOND <= ttftMs)
    );
  };
  const hasTargets = ttftMs !== undefined || tpotMs !== undefined || requestMs !== undefined;
  const largestMeeting = hasTargets ? largestBatch(batchLimit, meets) : null;
  const batchGiven = intField(input.batchSize, ["batchSize"], 1_000_000);
  let batchSize: number;
  let batchChosenBy: InferenceEstimate["batchChosenBy"];
  if (batchGiven !== undefined) {
    batchSize = batchGiven;
    batchChosenBy = "requested";
    if (batchGiven > maxBatchThatFits) warnings.push(`batch ${batchGiven} does not fit in memory (largest that fits: ${Number.isFinite(maxBatchThatFits) ? maxBatchThatFits : "unbounded"})`);
  } else if (hasTargets) {
    batchSize = Math.max(1, largestMeeting ?? 0);
    batchChosenBy = "latency-targets";
  } else {
    batchSize = batchLimit;
    batchChosenBy = "memory-and-cap";
    log.add("batch cap", cap, "sequences per replica", `${d.maxConcurrentSequences.source} [${d.maxConcurrentSequences.date}]`);
  }
  const t = timing(batchSize);
  const targetsMet = !hasTargets || meets(batchSize);
  if (!targetsMet) warnings.push(largestMeeting === 0 ? "the latency targets are not met even at batch 1 on this hardware" : `batch ${batchSize} misses the latency targets (largest batch meeting them: ${largestMeeting})`);

  // throughput per replica and per GPU
  const requestsPerSecPerReplica = divideByBand(batchSize, t.cycle);
  const outputTokensPerRequest = tokens ? tokens.outputTokens : 0;
  const throughputTokensPerSecPerGpu = tokens ? scaleBand(requestsPerSecPerReplica, outputTokensPerRequest / tp) : null;
  const throughputSamplesPerSecPerGpu = tokens ? null : scaleBand(requestsPerSecPerReplica, samplesPerRequest / tp);
  if (tokens) log.add("throughput counts", "generated (output) tokens", "rule", "tokens/s per GPU counts output tokens; prompt tokens are processed in the prefill time");

  // replicas and GPUs for the peak
  const replicas = mapBand(divideByBand(traffic.peakRequestsPerSec, requestsPerSecPerReplica), (x) => Math.max(1, Math.ceil(x - 1e-9)));
  const gpusBand = scaleBand(replicas, tp);

  // money
  const pricing = resolvePricing(acc.id, input, log);
  if (!pricing) warnings.push(`no cloud price for ${acc.id} in the catalog: give pricePerGpuHourUsd for costs`);
  const monthlyCostUsd = pricing ? scaleBand(gpusBand, pricing.onDemandUsdPerGpuHour * hoursPerMonth) : null;
  if (pricing) log.add("provisioning", "replicas sized for the peak, running all month", "rule", "no autoscaling: the monthly cost is the peak fleet × hours per month");
  const tokensPerRequest = tokens ? tokens.inputTokens + tokens.outputTokens : 0;
  const tokensPerMonth = tokens ? traffic.requestsPerMonth * tokensPerRequest : null;
  const costPerRequestUsd = monthlyCostUsd ? scaleBand(monthlyCostUsd, 1 / traffic.requestsPerMonth) : null;
  const costPerMillionTokensUsd = monthlyCostUsd && tokensPerMonth ? scaleBand(monthlyCostUsd, TOKENS_PER_MILLION / tokensPerMonth) : null;

  const gpuHoursPerMonth = scaleBand(gpusBand, hoursPerMonth);
  const energy = monthlyEnergy(gpuHoursPerMonth, acc, log, warnings);

  const hostedAlternatives =
    tokens && (model.family === "decoder" || model.family === "parameters-only")
      ? hostedComparison(tokens, traffic, monthlyCostUsd, pricing ? tp * pricing.onDemandUsdPerGpuHour * hoursPerMonth : null, requestsPerSecPerReplica.expected, hoursPerMonth)
      : [];
  if (tokens && hostedAlternatives.length === 0) log.add("hosted alternatives", "none", "rule", "the hosted-model catalog prices text LLM APIs; they are compared with text decoders only");

  const perSeqGb = bytesToGb(perSequenceBytes);
  return assertFiniteFigures<InferenceEstimate>({
    kind: "inference",
    catalogVersion: CATALOG_VERSION,
    mode: model.mode,
    model: modelSummary(model),
    hardware: hardwareSummary(acc, precision, peak),
    quantization,
    computeUtilisation: mfu,
    bandwidthUtilisation: mbu,
    memory: {
      weightsGb: bytesToGb(weightsBytes),
      kvCachePerSequenceGb: perSeqGb,
      perReplicaCapacityGb: bytesToGb(tp * acc.memoryBytes.value),
      perReplicaUsableGb: bytesToGb(usablePerReplica),
      maxBatchThatFits: Number.isFinite(maxBatchThatFits) ? maxBatchThatFits : cap,
      fits,
    },
    gpusPerReplica: tp,
    fewestGpusPerReplicaToFit: fewestTp,
    batchSize,
    batchChosenBy,
    prefillMs: t.prefill ? scaleBand(t.prefill, MS_PER_SECOND) : null,
    decodeMsPerToken: t.decode ? scaleBand(t.decode, MS_PER_SECOND) : null,
    decodeBound: t.decodeBound,
    requestLatencyMs: scaleBand(t.request, MS_PER_SECOND),
    throughputTokensPerSecPerGpu,
    throughputSamplesPerSecPerGpu,
    requestsPerSecPerReplica,
    latencyTargets: { ttftMs: ttftMs ?? null, tpotMs: tpotMs ?? null, requestMs: requestMs ?? null, met: targetsMet, largestBatchMeetingTargets: largestMeeting },
    traffic: { ...traffic, tokensPerMonth },
    replicas,
    gpus: gpusBand.expected,
    gpusBand,
    pricing,
    monthlyCostUsd,
    costPerMillionTokensUsd,
    costPerRequestUsd,
    monthlyEnergyKwh: energy,
    hostedAlternatives,
    warnings,
    assumptions: log.list(),
  });
}

function monthlyEnergy(gpuHours: Band, acc: ResolvedAccelerator, log: AssumptionLog, warnings: string[]): Band | null {
  const d = getDefaults();
  if (!acc.tdpW) {
    warnings.push(`no TDP for ${acc.id}: energy is not estimated`);
    return null;
  }
  log.add("PUE", d.pue.value, d.pue.unit ?? "", `${d.pue.source} [${d.pue.date}]`);
  log.add("average power draw", d.powerDrawFraction.value, d.powerDrawFraction.unit ?? "", `${d.powerDrawFraction.source} [${d.powerDrawFraction.date}]`);
  return scaleBand(gpuHours, (acc.tdpW.value * d.powerDrawFraction.value * d.pue.value) / 1000);
}

/**
 * Hosted API cost of the same traffic, and the break-even traffic: one self-hosted replica costs
 * C per month and serves up to `capacity` requests a month at this peak-to-average ratio; a hosted
 * request costs h. Self-hosting is cheaper from C/h requests a month when h·capacity ≥ C
 * (replica rounding above one replica is ignored); otherwise hosted is cheaper at any traffic.
 */
function hostedComparison(
  t: TokenShape,
  traffic: Traffic,
  monthlyCostUsd: Band | null,
  replicaMonthlyUsd: number | null,
  replicaRps: number,
  hoursPerMonth: number,
): HostedAlternative[] {
  const daysPerMonth = hoursPerMonth / 24;
  const capacityPerMonth = (replicaRps / traffic.peakToAverage) * SECONDS_PER_DAY * daysPerMonth;
  return listHostedModels().map((h) => {
    const perRequest = hostedCostPerRequestUsd(h, t.inputTokens, t.outputTokens);
    const monthly = perRequest * traffic.requestsPerMonth;
    let breakEvenPerMonth: number | null = null;
    if (replicaMonthlyUsd !== null && perRequest > 0 && perRequest * capacityPerMonth >= replicaMonthlyUsd) breakEvenPerMonth = replicaMonthlyUsd / perRequest;
    const breakEvenRequestsPerDay = breakEvenPerMonth === null ? null : breakEvenPerMonth / daysPerMonth;
    return {
      id: h.id,
      provider: h.provider,
      name: h.name,
      inputUsdPerMillionTokens: h.inputUsdPerMillionTokens,
      outputUsdPerMillionTokens: h.outputUsdPerMillionTokens,
      monthlyCostUsd: monthly,
      costPerRequestUsd: perRequest,
      breakEvenRequestsPerDay,
      breakEvenPeakRequestsPerSec: breakEvenRequestsPerDay === null ? null : (breakEvenRequestsPerDay / SECONDS_PER_DAY) * traffic.peakToAverage,
      selfHostCheaperAtThisTraffic: monthlyCostUsd === null ? null : monthlyCostUsd.expected < monthly,
      source: h.source,
      date: h.date,
    };
  });
}
