// Adapter from @modelplan/estimator to the PlannerCatalog the planner needs. It maps use-case request
// profiles onto the estimator's serving workload (tokens, samples or audio), and the estimator's
// catalogs onto the planner's price and model lists. Pure: the catalogs are static JSON imports.
import {
  CATALOG_VERSION,
  CATALOG_VERSIONS,
  estimateInference,
  estimateTraining,
  getPreset,
  isDecoderLike,
  isEstimatorInputError,
  listCloudPrices,
  listAccelerators,
  listHostedModels,
  listPresets,
  resolveModel,
  type Architecture,
  type Assumption as EstimatorAssumption,
  type InferenceEstimate,
  type InferenceInput,
  type ModelInput,
} from "@modelplan/estimator";
import type { AcceleratorPrice, HostedModelPrice, ModelInfo, ModelRef, PlannerCatalog, ServingCapacity, ServingQuery, ServingRefusal, ServingRefusalField, TrainingCost, TrainingQuery } from "./catalog";
import { fmtNum } from "./format";
import { mlpWithParameters, RECOMMENDATION_SCORER_INPUTS } from "./generic-model";
import { qualityCatalog } from "./quality";
import type { Assumption, Modality } from "./types";

/** Presets whose weights are not published, so they cannot be self-hosted. */
const CLOSED_WEIGHTS: Record<string, string> = {
  "gpt-3-175b": "OpenAI has not released GPT-3's weights (served only through its API)",
};

/**
 * Spoken English runs at about 150 words per minute (the rate the use-case catalog uses for narration)
 * and a word is about 1.33 tokens (OpenAI's rule of thumb "1 token ≈ ¾ of a word"): ~3.3 transcript
 * tokens per second of audio.
 */
export const TRANSCRIPT_TOKENS_PER_AUDIO_SECOND = (150 / 60) * (4 / 3);

type Family = ReturnType<typeof resolveModel>["family"];

function familiesOf(arch: Architecture | null, family: Family): { families: string[]; modality: Modality } {
  switch (family) {
    case "decoder":
    case "parameters-only":
      return { families: ["decoder-llm"], modality: "text" };
    case "encoder": {
      const patches = arch && arch.family === "encoder" && arch.input?.kind === "patches";
      return patches ? { families: ["vit"], modality: "image" } : { families: ["encoder-transformer"], modality: "text" };
    }
    case "encoder-decoder": {
      const audio = arch && arch.family === "encoder-decoder" && arch.input?.kind === "audio";
      return audio ? { families: ["speech-encoder-decoder"], modality: "audio" } : { families: ["encoder-decoder-transformer"], modality: "text" };
    }
    case "cnn":
      return { families: ["cnn"], modality: "image" };
    case "mlp":
      return { families: ["mlp"], modality: "tabular" };
    case "lstm":
      return { families: ["lstm"], modality: arch && arch.family === "lstm" && arch.vocab ? "text" : "tabular" };
    case "embedding-classifier":
      return { families: ["embedding-classifier"], modality: "text" };
  }
}

function toModelInput(ref: ModelRef): ModelInput {
  if ("preset" in ref) return { preset: ref.preset };
  if ("parameters" in ref) return { parameters: ref.parameters };
  return { architecture: ref.architecture as unknown as Architecture };
}

function architectureOf(ref: ModelRef): Architecture | null {
  if ("preset" in ref) return getPreset(ref.preset)?.architecture ?? null;
  if ("architecture" in ref) return ref.architecture as unknown as Architecture;
  return null;
}

/** Native input pixels of an image model (CNN input or ViT image size), null when unknown. */
function nativePixels(arch: Architecture | null): number | null {
  if (!arch) return null;
  if (arch.family === "cnn") return arch.input.height * arch.input.width;
  if (arch.family === "encoder" && arch.input?.kind === "patches") return arch.input.imageSize * arch.input.imageSize;
  return null;
}

function describe(ref: ModelRef): ModelInfo | null {
  try {
    const m = resolveModel(toModelInput(ref));
    const arch = architectureOf(ref);
    const { families, modality } = familiesOf(arch, m.family);
    const id = "preset" in ref ? ref.preset : m.id ?? ("parameters" in ref ? `parameters-${ref.parameters}` : `architecture-${m.family}-${m.parameters}`);
    return {
      id,
      label: "preset" in ref ? (getPreset(ref.preset)?.name ?? ref.preset) : m.name,
      parameters: m.parameters,
      families,
      modality,
      openWeights: !("preset" in ref && CLOSED_WEIGHTS[ref.preset] !== undefined),
    };
  } catch (e) {
    if (isEstimatorInputError(e)) return null;
    throw e;
  }
}

function inferenceInput(q: ServingQuery, batchSize?: number): { input: InferenceInput; capacityDivisor: number; notes: string[]; extra: Assumption[] } {
  const notes: string[] = [];
  const extra: Assumption[] = [];
  let model = toModelInput(q.model);
  const resolved = resolveModel(model);
  const arch = architectureOf(q.model);
  const p = q.profile;
  // the plan's highest peak, so that the estimator picks GPUs per replica for the traffic (its sizing rule)
  const workload: InferenceInput["workload"] = { requestsPerSecondPeak: q.peakRequestsPerSec && q.peakRequestsPerSec > 0 ? q.peakRequestsPerSec : 1 };
  let capacityDivisor = 1;

  // A bare parameter count serving a non-text modality: the estimator treats parameter counts as token
  // models, so serve it per sample as a dense MLP of that size (2·N FLOPs per sample).
  if (resolved.family === "parameters-only" && q.modality !== "text") {
    const inputs = q.modality === "tabular" ? (p.featuresPerRequest ?? RECOMMENDATION_SCORER_INPUTS) : RECOMMENDATION_SCORER_INPUTS;
    model = { architecture: mlpWithParameters(inputs, resolved.parameters) };
    notes.push(`Only a parameter count was given: served per sample as a dense MLP of ${resolved.parameters.toPrecision(3)} parameters (2·N FLOPs per sample).`);
  }
  const mode = resolveModel(model).mode;

  if (mode === "tokens") {
    if (q.modality === "audio") {
      const seconds = p.audioSeconds ?? 1;
      workload.audioSeconds = seconds;
      workload.outputTokens = Math.max(1, Math.ceil(seconds * TRANSCRIPT_TOKENS_PER_AUDIO_SECOND));
      extra.push({ name: "transcriptTokensPerAudioSecond", value: TRANSCRIPT_TOKENS_PER_AUDIO_SECOND, unit: "tokens/s", source: "~150 spoken words per minute × ~1.33 tokens per word (OpenAI: 1 token ≈ ¾ word)" });
    } else {
      workload.inputTokens = Math.max(1, Math.round(p.inputTokens ?? 1));
      // a prompt prefix served from the prefix cache: decoder LLMs only (an encoder reads its whole input)
      if (p.cachedInputTokens && isDecoderLike(resolveModel(model))) workload.cachedInputTokens = Math.min(workload.inputTokens, Math.round(p.cachedInputTokens));
      workload.outputTokens = Math.max(1, Math.round(p.outputTokens ?? 1));
    }
  } else {
    switch (q.modality) {
      case "image": {
        workload.samplesPerRequest = Math.max(1, Math.round(p.imagesPerRequest ?? 1));
        const native = nativePixels(arch);
        const pixels = (p.imageWidth ?? 0) * (p.imageHeight ?? 0);
        if (native && pixels > 0 && pixels !== native) {
          // Convolutions and patch embeddings run once per position: work grows with the pixel count.
          capacityDivisor = pixels / native;
          extra.push({ name: "pixelScale", value: capacityDivisor, unit: "× the model's native input", source: `${p.imageWidth}×${p.imageHeight} images vs the preset's native ${Math.round(Math.sqrt(native))}² input; CNN/ViT FLOPs scale with the number of positions (attention's quadratic term ignored)` });
        }
        break;
      }
      case "recommendation":
        workload.samplesPerRequest = Math.max(1, Math.round(p.candidatesScored ?? 1));
        break;
      case "text":
        workload.samplesPerRequest = 1;
        if (resolved.family === "encoder") {
          const seq = (resolved as { sequenceLength: number }).sequenceLength;
          workload.inputTokens = Math.max(1, Math.min(seq, Math.round(p.inputTokens ?? seq)));
          if ((p.inputTokens ?? 0) > seq) notes.push(`Input truncated to the encoder's ${seq} positions.`);
        }
        break;
      default:
        workload.samplesPerRequest = 1;
    }
  }
  const input: InferenceInput = {
    model,
    hardware: q.accelerator ?? q.acceleratorId,
    quantization: q.quantization,
    // A measured box serves in its own precision throughout (the KV cache too).
    ...(q.accelerator && (q.quantization === "fp32" || q.quantization === "fp16") ? { kvCachePrecision: q.quantization } : {}),
    workload,
    ...(q.gpusPerReplica ? { gpusPerReplica: q.gpusPerReplica } : {}),
    ...(batchSize ? { batchSize } : { latency: { requestMs: q.latencyTargetMs } }),
  };
  return { input, capacityDivisor, notes, extra };
}

function servingCapacity(q: ServingQuery): ServingCapacity | null {
  let est: InferenceEstimate;
  let built: ReturnType<typeof inferenceInput>;
  try {
    built = inferenceInput(q);
    est = estimateInference(built.input);
    if (!est.memory.fits || !est.latencyTargets.met) return null;
    if (q.batchFactor !== 1) {
      const batch = Math.min(Math.max(1, Math.ceil(est.batchSize * q.batchFactor)), est.memory.maxBatchThatFits);
      built = inferenceInput(q, batch);
      est = estimateInference(built.input);
      if (!est.memory.fits) return null;
    }
  } catch (e) {
    if (isEstimatorInputError(e)) return null;
    throw e;
  }
  const d = built.capacityDivisor;
  const r = est.requestsPerSecPerReplica;
  return {
    requestsPerSecPerReplica: { low: r.low / d, expected: r.expected / d, high: r.high / d },
    gpusPerReplica: est.gpusPerReplica,
    batchSize: est.batchSize,
    requestLatencyMs: est.requestLatencyMs.expected * d,
    fits: est.memory.fits,
    assumptions: [
      { name: "batchSize", value: est.batchSize, unit: "requests in flight per replica", source: `estimator (${est.batchChosenBy})` },
      { name: "requestLatencyMs", value: est.requestLatencyMs.expected * d, unit: "ms", source: "estimator roofline (expected band)" },
      ...built.extra,
      ...est.assumptions.map(planAssumption),
    ],
    notes: [...built.notes, ...est.warnings],
  };
}

/** The scenario field an estimator input path is about (its first element names the inference input's field). */
function refusalField(path: string[]): ServingRefusalField {
  switch (path[0]) {
    case "quantization":
      return "quantization";
    case "hardware":
    case "precision":
      return "accelerator";
    case "gpusPerReplica":
      return "gpusPerReplica";
    case "workload":
      return "requestProfile";
    default:
      return "model";
  }
}

/**
 * The estimator's own refusal of a serving query (nvfp4 on an accelerator without FP4 tensor cores, say),
 * or null when it accepts the query. Only asked to explain why a scenario's hardware cannot serve its model.
 */
function servingRefusal(q: ServingQuery): ServingRefusal | null {
  try {
    estimateInference(inferenceInput(q).input);
    return null;
  } catch (e) {
    if (!isEstimatorInputError(e)) throw e;
    return { field: refusalField(e.path), message: e.message };
  }
}

/** An estimator assumption as a plan assumption; a band's ends go in front of its source. */
function planAssumption(a: EstimatorAssumption): Assumption {
  const source = a.band && typeof a.value === "number" ? `band ${fmtNum(a.band.low)}–${fmtNum(a.band.high)} around ${fmtNum(a.value)}; ${a.source}` : a.source;
  return { name: a.name, value: a.value, unit: a.unit, source };
}

function trainingCost(q: TrainingQuery): TrainingCost | null {
  try {
    const mode = resolveModel(toModelInput(q.model)).mode;
    const est = estimateTraining({
      model: toModelInput(q.model),
      hardware: q.measured?.accelerator ?? q.acceleratorId,
      method: q.method,
      ...(q.measured ? { precision: q.measured.precision, pricePerGpuHourUsd: q.measured.usdPerHour } : {}),
      ...(mode === "tokens" ? { tokens: q.tokens } : { samples: q.tokens, epochs: 1 }),
    });
    if (!est.costUsd || !est.fits) return null;
    return {
      costUsd: est.costUsd,
      gpuHours: est.gpuHours,
      gpus: est.gpus,
      wallClockDays: est.wallClockDays.expected,
      assumptions: est.assumptions.map(planAssumption),
    };
  } catch (e) {
    if (isEstimatorInputError(e)) return null;
    throw e;
  }
}

function hostedModels(): HostedModelPrice[] {
  return listHostedModels().map((h) => ({
    id: h.id,
    label: h.name,
    provider: h.provider,
    inputUsdPerMillionTokens: h.inputUsdPerMillionTokens,
    outputUsdPerMillionTokens: h.outputUsdPerMillionTokens,
    cachedInputUsdPerMillionTokens: h.cachedInputUsdPerMillionTokens,
    contextTokens: null,
    source: `${h.source} [${h.date}]${h.note ? ` (${h.note})` : ""}`,
  }));
}

function acceleratorPrices(): AcceleratorPrice[] {
  const names = new Map(listAccelerators().map((a) => [a.id, a.name]));
  return listCloudPrices().map((p) => {
    const rec = p as typeof p & { reservedUsdPerGpuHour?: number | null };
    return {
      acceleratorId: p.accelerator,
      acceleratorLabel: names.get(p.accelerator) ?? p.accelerator,
      provider: p.provider,
      onDemandUsdPerGpuHour: p.onDemandUsdPerGpuHour,
      spotUsdPerGpuHour: p.spotUsdPerGpuHour,
      reservedUsdPerGpuHour: rec.reservedUsdPerGpuHour ?? null,
      gpusPerInstance: p.gpusPerInstance ?? null,
      source: `${p.provider} ${p.sku}${p.region ? ` (${p.region})` : ""}: ${p.source} [${p.date}]`,
    };
  });
}

let cached: PlannerCatalog | null = null;

/** The planner's view of the estimator's catalogs and estimates (built once; the catalogs are static). */
export function estimatorCatalog(): PlannerCatalog {
  if (cached) return cached;
  const models = listPresets()
    .map((p) => describe({ preset: p.id }))
    .filter((m): m is ModelInfo => m !== null);
  cached = {
    versions: { estimator: CATALOG_VERSION, ...Object.fromEntries(Object.entries(CATALOG_VERSIONS).map(([k, v]) => [`estimator.${k}`, v])) },
    hostedModels: hostedModels(),
    acceleratorPrices: acceleratorPrices(),
    models,
    quality: qualityCatalog(),
    describeModel: describe,
    servingCapacity,
    servingRefusal,
    trainingCost,
  };
  return cached;
}

/** Preset ids of the estimator's model catalog. */
export function knownPresetIds(): Set<string> {
  return new Set(listPresets().map((p) => p.id));
}
