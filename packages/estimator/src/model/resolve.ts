// Turns a model input (preset, architecture or bare parameter count) into the counts the
// estimators need: parameters, FLOPs per token or sample, KV cache and activation memory.
import { getPreset, listPresets } from "../catalog";
import { EstimatorInputError } from "../errors";
import type {
  Architecture,
  ArchitectureFamily,
  EmbeddingClassifierArchitecture,
  LstmArchitecture,
  MlpArchitecture,
  ModelInput,
  ModelSummary,
} from "../types";
import { countCnn } from "./cnn";
import {
  activationBytesPerLayer,
  attentionFlopsPerToken,
  attentionWidth,
  blockShape,
  decoderParams,
  encoderDecoderParams,
  encoderParams,
  encoderSequenceLength,
  kvCacheBytesPerToken,
  matmulFlopsPerToken,
  type BlockShape,
  type EncoderDecoderParamCount,
  type EncoderParamCount,
  type DecoderParamCount,
} from "./transformer";
import { inferDecoderArchitecture, type ArchitectureOverrides, type InferredArchitecture } from "./infer-architecture";
import { LIMITS, requirePositiveInteger, requirePositiveNumber, validateArchitecture } from "./validate";

/** Decoder-only models, whether their shape was given or inferred from a parameter count. */
export type DecoderLikeModel = Extract<ResolvedModel, { family: "decoder" | "parameters-only" }>;

export function isDecoderLike(m: ResolvedModel): m is DecoderLikeModel {
  return m.family === "decoder" || m.family === "parameters-only";
}

/** Counts of the small families: forward multiply-accumulates and stored activation elements. */
export interface DenseCounts {
  parameters: number;
  forwardMacsPerSample: number;
  /** extra non-matmul FLOPs per sample (pooling sums) */
  otherFlopsPerSample: number;
  activationElementsPerSample: number;
  peakLayerElementsPerSample: number;
}

interface Base {
  id: string | null;
  name: string;
  parameters: number;
  activeParameters: number;
  publishedParameters: number | null;
  parameterCountSource: "architecture" | "given";
}

interface DecoderFields {
  mode: "tokens";
  layers: number;
  shape: BlockShape;
  counts: DecoderParamCount;
  contextLength: number;
}

export type ResolvedModel =
  /** only a parameter count was given: the shape is inferred (inferArchitecture) and says so */
  | (Base & DecoderFields & { family: "parameters-only"; inferred: InferredArchitecture })
  | (Base & DecoderFields & { family: "decoder" })
  | (Base & { family: "encoder-decoder"; mode: "tokens"; shape: BlockShape; counts: EncoderDecoderParamCount; decoderLayers: number; encoderLayers: number; contextLength: number })
  | (Base & { family: "encoder"; mode: "samples"; layers: number; shape: BlockShape; counts: EncoderParamCount; sequenceLength: number; patches: boolean })
  | (Base & { family: "cnn" | "mlp" | "lstm" | "embedding-classifier"; mode: "samples"; dense: DenseCounts });

// ---------------------------------------------------------------- small families

function layerChain(sizes: number[]): { parameters: number; macs: number; activations: number; peak: number } {
  let parameters = 0, macs = 0, activations = 0, peak = 0;
  for (let i = 1; i < sizes.length; i++) {
    parameters += sizes[i - 1] * sizes[i] + sizes[i];
    macs += sizes[i - 1] * sizes[i];
    activations += sizes[i];
    peak = Math.max(peak, sizes[i - 1] + sizes[i]);
  }
  return { parameters, macs, activations, peak };
}

export function mlpCounts(a: MlpArchitecture): DenseCounts {
  const c = layerChain([a.inputs, ...a.hiddenLayers, a.outputs]);
  return { parameters: c.parameters, forwardMacsPerSample: c.macs, otherFlopsPerSample: 0, activationElementsPerSample: c.activations, peakLayerElementsPerSample: c.peak };
}

/**
 * LSTM with one bias per gate (Keras/TF.js convention): 4·(h·(x + h) + h) parameters per layer
 * (Hochreiter & Schmidhuber 1997 gates i, f, g, o); 4·h·(x + h) MACs per timestep per layer.
 */
export function lstmCounts(a: LstmArchitecture): DenseCounts {
  const inputWidth = a.vocab !== undefined ? a.embeddingDim ?? 0 : a.inputFeatures ?? 0;
  let parameters = a.vocab !== undefined ? a.vocab * inputWidth : 0;
  let macsPerStep = 0;
  for (let l = 0; l < a.layers; l++) {
    const x = l === 0 ? inputWidth : a.hidden;
    parameters += 4 * (a.hidden * (x + a.hidden) + a.hidden);
    macsPerStep += 4 * a.hidden * (x + a.hidden);
  }
  parameters += a.hidden * a.outputs + a.outputs;
  const perStepActivations = a.layers * 6 * a.hidden; // 4 gate outputs + cell and hidden state
  return {
    parameters,
    forwardMacsPerSample: a.sequenceLength * macsPerStep + a.hidden * a.outputs,
    otherFlopsPerSample: 0,
    activationElementsPerSample: a.sequenceLength * (inputWidth + perStepActivations) + a.outputs,
    peakLayerElementsPerSample: a.sequenceLength * (inputWidth + a.hidden) + a.outputs,
  };
}

/** Embedding → global average pooling → dense layers → softmax (the essays' text classifier). */
export function embeddingClassifierCounts(a: EmbeddingClassifierArchitecture): DenseCounts {
  const c = layerChain([a.embeddingDim, ...(a.hiddenLayers ?? []), a.classes]);
  const embedded = a.sequenceLength * a.embeddingDim;
  return {
    parameters: a.vocab * a.embeddingDim + c.parameters,
    forwardMacsPerSample: c.macs,
    otherFlopsPerSample: embedded, // the pooling sum
    activationElementsPerSample: embedded + a.embeddingDim + c.activations,
    peakLayerElementsPerSample: Math.max(embedded + a.embeddingDim, c.peak),
  };
}

// ---------------------------------------------------------------- resolution

// Each case writes its object out in full: `{ ...base, more fields }` costs about a microsecond per
// field after the spread in V8 (the object is grown on the runtime's slow path), and models are
// resolved on every estimate.
function fromArchitecture(a: Architecture, b: Omit<Base, "parameters" | "activeParameters">, path: string[]): ResolvedModel {
  validateArchitecture(a, path);
  const { id, name, publishedParameters, parameterCountSource } = b;
  switch (a.family) {
    case "decoder": {
      const counts = decoderParams(a);
      return { id, name, publishedParameters, parameterCountSource, family: "decoder", mode: "tokens", parameters: counts.total, activeParameters: counts.activePerToken, layers: a.layers, shape: blockShape(a), counts, contextLength: a.contextLength ?? 0 };
    }
    case "encoder-decoder": {
      const counts = encoderDecoderParams(a);
      return { id, name, publishedParameters, parameterCountSource, family: "encoder-decoder", mode: "tokens", parameters: counts.total, activeParameters: counts.activePerToken, shape: blockShape(a), counts, decoderLayers: a.decoderLayers, encoderLayers: a.encoderLayers, contextLength: a.contextLength ?? 0 };
    }
    case "encoder": {
      const counts = encoderParams(a);
      return { id, name, publishedParameters, parameterCountSource, family: "encoder", mode: "samples", parameters: counts.total, activeParameters: counts.activePerToken, layers: a.layers, shape: blockShape(a), counts, sequenceLength: encoderSequenceLength(a), patches: a.input?.kind === "patches" };
    }
    case "cnn": {
      const c = countCnn(a, path);
      const dense: DenseCounts = { parameters: c.parameters, forwardMacsPerSample: c.forwardMacsPerSample, otherFlopsPerSample: 0, activationElementsPerSample: c.activationElementsPerSample, peakLayerElementsPerSample: c.peakLayerElementsPerSample };
      return { id, name, publishedParameters, parameterCountSource, family: "cnn", mode: "samples", parameters: c.parameters, activeParameters: c.parameters, dense };
    }
    case "mlp":
    case "lstm":
    case "embedding-classifier": {
      const dense = a.family === "mlp" ? mlpCounts(a) : a.family === "lstm" ? lstmCounts(a) : embeddingClassifierCounts(a);
      return { id, name, publishedParameters, parameterCountSource, family: a.family, mode: "samples", parameters: dense.parameters, activeParameters: dense.parameters, dense };
    }
  }
}

/** Presets are immutable catalog data, so their resolution is computed once. */
const presetCache = new Map<string, ResolvedModel>();

export function resolveModel(input: ModelInput, path: string[] = ["model"]): ResolvedModel {
  if (typeof input !== "object" || input === null) throw new EstimatorInputError(path, "model must be an object with preset, architecture or parameters");
  const given = (["preset", "architecture", "parameters"] as const).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  if (given.length !== 1) {
    throw new EstimatorInputError(path, `give exactly one of model.preset, model.architecture or model.parameters (got ${given.length === 0 ? "none" : given.join(" and ")})`);
  }
  if ("preset" in input && input.preset !== undefined) {
    const preset = typeof input.preset === "string" ? getPreset(input.preset) : undefined;
    if (!preset) {
      throw new EstimatorInputError([...path, "preset"], `unknown preset ${JSON.stringify(input.preset)}; known: ${listPresets().map((p) => p.id).join(", ")}`);
    }
    const cached = presetCache.get(preset.id);
    if (cached) return cached;
    const resolved = fromArchitecture(preset.architecture, { id: preset.id, name: preset.name, publishedParameters: preset.publishedParameters.value, parameterCountSource: "architecture" }, [...path, "preset"]);
    presetCache.set(preset.id, Object.freeze(resolved) as ResolvedModel);
    return resolved;
  }
  if ("architecture" in input && input.architecture !== undefined) {
    return fromArchitecture(input.architecture, { id: null, name: input.name ?? `custom ${input.architecture.family}`, publishedParameters: null, parameterCountSource: "architecture" }, [...path, "architecture"]);
  }
  return fromParameterCount(input as Record<string, unknown>, path);
}

const OVERRIDE_FIELDS = ["contextLength", "kvHeads", "layers", "hidden", "heads", "vocab"] as const;
const OVERRIDE_LIMITS: Record<(typeof OVERRIDE_FIELDS)[number], number> = {
  contextLength: LIMITS.contextLength,
  kvHeads: LIMITS.heads,
  layers: LIMITS.layers,
  hidden: LIMITS.hidden,
  heads: LIMITS.heads,
  vocab: LIMITS.vocab,
};

/** A bare parameter count: infer the decoder shape (overridable field by field) and keep the given counts. */
function fromParameterCount(p: Record<string, unknown>, path: string[]): ResolvedModel {
  const parameters = requirePositiveNumber(p.parameters, [...path, "parameters"], LIMITS.parameters, 1);
  const active = p.activeParameters === undefined ? parameters : requirePositiveNumber(p.activeParameters, [...path, "activeParameters"], parameters);
  const overrides: ArchitectureOverrides = {};
  for (const k of OVERRIDE_FIELDS) {
    if (p[k] !== undefined) overrides[k] = requirePositiveInteger(p[k], [...path, k], OVERRIDE_LIMITS[k]);
  }
  if (overrides.heads !== undefined && overrides.hidden !== undefined && overrides.heads > overrides.hidden) {
    throw new EstimatorInputError([...path, "heads"], `heads ${overrides.heads} cannot exceed hidden ${overrides.hidden}`);
  }
  const { inferred, counts, shape } = inferredShape(active, overrides, path);
  const a = inferred.architecture;
  const name = typeof p.name === "string" ? p.name : "model given by parameter count";
  return {
    id: null,
    name,
    family: "parameters-only",
    mode: "tokens",
    parameters,
    activeParameters: active,
    publishedParameters: null,
    parameterCountSource: "given",
    layers: a.layers,
    shape,
    counts,
    contextLength: a.contextLength ?? 0,
    inferred,
  };
}

interface InferredShape {
  inferred: InferredArchitecture;
  counts: DecoderParamCount;
  shape: BlockShape;
}

/**
 * The shape inferred for a parameter count and overrides, checked and counted; it depends on nothing
 * else, so the last few hundred are kept (a what-if sweep sends the same model with other workloads).
 */
const inferredShapes = new Map<string, InferredShape>();
const MAX_INFERRED_SHAPES = 256;

function inferredShape(active: number, overrides: ArchitectureOverrides, path: string[]): InferredShape {
  const key = `${active}|${overrides.contextLength}|${overrides.kvHeads}|${overrides.layers}|${overrides.hidden}|${overrides.heads}|${overrides.vocab}`;
  const cached = inferredShapes.get(key);
  if (cached) return cached;
  const inferred = inferDecoderArchitecture(active, overrides);
  const a = inferred.architecture;
  if (overrides.kvHeads !== undefined && a.heads % overrides.kvHeads !== 0) {
    throw new EstimatorInputError([...path, "kvHeads"], `kvHeads ${overrides.kvHeads} must divide the ${a.heads} attention heads (${overrides.heads ? "given" : `inferred: hidden ${a.hidden} / head size ${a.hidden / a.heads}`}); give heads too`);
  }
  validateArchitecture(a, path);
  const result = { inferred, counts: decoderParams(a), shape: blockShape(a) };
  if (inferredShapes.size >= MAX_INFERRED_SHAPES) inferredShapes.clear();
  inferredShapes.set(key, result);
  return result;
}

/** The model part of an estimate; training estimates add the trainable parameters (last, as a field of its own). */
export function modelSummary(m: ResolvedModel): ModelSummary;
export function modelSummary(m: ResolvedModel, trainableParameters: number): ModelSummary & { trainableParameters: number };
export function modelSummary(m: ResolvedModel, trainableParameters?: number): ModelSummary | (ModelSummary & { trainableParameters: number }) {
  const summary: ModelSummary & { trainableParameters?: number } = {
    id: m.id,
    name: m.name,
    family: m.family as ArchitectureFamily | "parameters-only",
    parameters: m.parameters,
    activeParameters: m.activeParameters,
    parameterCountSource: m.parameterCountSource,
    publishedParameters: m.publishedParameters,
    architectureSource: m.family === "parameters-only" ? "inferred-from-parameter-count" : m.id !== null ? "preset" : "given",
    inferredArchitecture:
      m.family === "parameters-only"
        ? {
            layers: m.layers,
            hidden: m.shape.hidden,
            heads: m.shape.heads,
            kvHeads: m.shape.kvHeads,
            headDim: m.shape.headDim,
            ffn: m.shape.ffn,
            vocab: m.inferred.architecture.vocab ?? 0,
            contextLength: m.contextLength,
            parametersOfShape: m.counts.activePerToken,
            method: m.inferred.method,
            fittedOn: m.inferred.fittedOn,
          }
        : null,
  };
  if (trainableParameters !== undefined) summary.trainableParameters = trainableParameters;
  return summary;
}

// ---------------------------------------------------------------- FLOPs

/** Forward FLOPs for one token that attends `contextPositions` earlier positions (token models). */
export function forwardFlopsPerToken(m: ResolvedModel, contextPositions: number): number {
  switch (m.family) {
    case "parameters-only":
    case "decoder":
      return matmulFlopsPerToken(m.counts.matmulPerToken) + attentionFlopsPerToken(m.layers, contextPositions, attentionWidth(m.shape));
    case "encoder-decoder":
      return (
        matmulFlopsPerToken(m.counts.decoderMatmulPerToken) +
        attentionFlopsPerToken(m.decoderLayers, contextPositions, attentionWidth(m.shape)) +
        attentionFlopsPerToken(m.decoderLayers, m.counts.encoderPositions, attentionWidth(m.shape))
      );
    default:
      throw new Error(`forwardFlopsPerToken: ${m.family} is a per-sample model`);
  }
}

/** Encoder pass of an encoder-decoder model for one input window (front end + bidirectional encoder + cross K/V). */
export function encoderForwardFlops(m: Extract<ResolvedModel, { family: "encoder-decoder" }>): number {
  const positions = m.counts.encoderPositions;
  return (
    2 * m.counts.frontendMacsPerSample +
    positions * matmulFlopsPerToken(m.counts.encoderMatmulPerPosition) +
    positions * attentionFlopsPerToken(m.encoderLayers, positions, attentionWidth(m.shape))
  );
}

/**
 * Prefill FLOPs of a prompt of p tokens with causal attention: Σ_{i=1..p} forward(i)
 * = 2·N·p + 4·L·d_attn·p(p+1)/2. For encoder-decoders the prompt is the encoder input window.
 */
export function prefillFlops(m: ResolvedModel, promptTokens: number): number {
  switch (m.family) {
    case "parameters-only":
    case "decoder":
      return (
        matmulFlopsPerToken(m.counts.matmulPerToken) * promptTokens +
        (attentionFlopsPerToken(m.layers, 1, attentionWidth(m.shape)) * promptTokens * (promptTokens + 1)) / 2
      );
    case "encoder-decoder":
      return encoderForwardFlops(m) + forwardFlopsPerToken(m, 1);
    default:
      throw new Error(`prefillFlops: ${m.family} is a per-sample model`);
  }
}

/** Forward FLOPs of one sample (per-sample families); `sequenceLength` overrides an encoder's. */
export function forwardFlopsPerSample(m: ResolvedModel, sequenceLength?: number): number {
  switch (m.family) {
    case "encoder": {
      const s = m.patches ? m.sequenceLength : sequenceLength ?? m.sequenceLength;
      const patchEmbedding = m.patches ? (s - 1) * matmulFlopsPerToken(m.counts.patchEmbeddingMatmul) : 0;
      return (
        s * matmulFlopsPerToken(m.counts.matmulPerToken) +
        s * attentionFlopsPerToken(m.layers, s, attentionWidth(m.shape)) + // bidirectional: every position attends all s
        patchEmbedding +
        matmulFlopsPerToken(m.counts.perSampleHeadMatmul)
      );
    }
    case "cnn":
    case "mlp":
    case "lstm":
    case "embedding-classifier":
      return 2 * m.dense.forwardMacsPerSample + m.dense.otherFlopsPerSample;
    default:
      throw new Error(`forwardFlopsPerSample: ${m.family} is a token model`);
  }
}

/** Average forward FLOPs per training token over a causal sequence of length s (position s/2 on average). */
export function trainingForwardFlopsPerToken(m: ResolvedModel, sequenceLength: number): number {
  if (m.family === "encoder-decoder") {
    // one sample = one encoder window + `sequenceLength` decoder tokens; spread the encoder over the tokens
    return encoderForwardFlops(m) / sequenceLength + forwardFlopsPerToken(m, sequenceLength / 2);
  }
  return forwardFlopsPerToken(m, sequenceLength / 2);
}

/** Share of forward FLOPs spent in attention score/value products. */
export function attentionFraction(m: ResolvedModel, sequenceLength: number | null): number {
  if (sequenceLength === null) return 0;
  if (isDecoderLike(m)) {
    const attn = attentionFlopsPerToken(m.layers, sequenceLength / 2, attentionWidth(m.shape));
    return attn / forwardFlopsPerToken(m, sequenceLength / 2);
  }
  if (m.family === "encoder") {
    const s = m.patches ? m.sequenceLength : sequenceLength;
    return (s * attentionFlopsPerToken(m.layers, s, attentionWidth(m.shape))) / forwardFlopsPerSample(m, s);
  }
  if (m.family === "encoder-decoder") {
    const self = attentionFlopsPerToken(m.decoderLayers, sequenceLength / 2, attentionWidth(m.shape));
    const cross = attentionFlopsPerToken(m.decoderLayers, m.counts.encoderPositions, attentionWidth(m.shape));
    const enc = (m.counts.encoderPositions * attentionFlopsPerToken(m.encoderLayers, m.counts.encoderPositions, attentionWidth(m.shape))) / sequenceLength;
    return (self + cross + enc) / trainingForwardFlopsPerToken(m, sequenceLength);
  }
  return 0;
}

// ---------------------------------------------------------------- memory

/** KV cache bytes per generated or prompt token (decoder self-attention); 0 only for models without a KV cache. */
export function kvBytesPerToken(m: ResolvedModel, bytesPerValue: number): number {
  if (isDecoderLike(m)) return kvCacheBytesPerToken(m.layers, m.shape, bytesPerValue);
  if (m.family === "encoder-decoder") return kvCacheBytesPerToken(m.decoderLayers, m.shape, bytesPerValue);
  return 0;
}

/** KV bytes per sequence that do not grow with tokens (cross-attention K/V over the encoder output). */
export function kvBytesPerSequenceFixed(m: ResolvedModel, bytesPerValue: number): number {
  if (m.family === "encoder-decoder") return kvCacheBytesPerToken(m.decoderLayers, m.shape, bytesPerValue) * m.counts.encoderPositions;
  return 0;
}

/**
 * Full recomputation keeps each layer's input and rebuilds one layer's activations at a time in the
 * backward pass (Korthikanti et al. 2022 §4.1): that one layer's activations, on top of the stored inputs.
 */
function rebuiltLayerBytes(shape: BlockShape, positions: number, microBatch: number, recomputation: "none" | "selective" | "full", tensorParallel: number): number {
  return recomputation === "full" ? activationBytesPerLayer(shape, positions, microBatch, "selective", tensorParallel) : 0;
}

/**
 * Activation bytes per GPU for one micro-batch during training. Transformers: Korthikanti et al.
 * 2022 per layer, scaled from 16-bit to `bytesPerActivation`; pipeline stages hold layers/p each
 * (1F1B keeps up to p micro-batches in flight on the first stage, so the total is the full model's
 * layers, Korthikanti et al. 2022 §4.2.3). Other families: every layer output kept once.
 */
export function trainingActivationBytes(
  m: ResolvedModel,
  sequenceLength: number | null,
  microBatch: number,
  recomputation: "none" | "selective" | "full",
  tensorParallel: number,
  bytesPerActivation: number,
): number {
  const scale = bytesPerActivation / 2;
  switch (m.family) {
    case "parameters-only":
    case "decoder": {
      const s = sequenceLength ?? m.contextLength;
      return (m.layers * activationBytesPerLayer(m.shape, s, microBatch, recomputation, tensorParallel) + rebuiltLayerBytes(m.shape, s, microBatch, recomputation, tensorParallel)) * scale;
    }
    case "encoder": {
      const s = m.patches ? m.sequenceLength : sequenceLength ?? m.sequenceLength;
      return (m.layers * activationBytesPerLayer(m.shape, s, microBatch, recomputation, tensorParallel) + rebuiltLayerBytes(m.shape, s, microBatch, recomputation, tensorParallel)) * scale;
    }
    case "encoder-decoder": {
      const e = m.counts.encoderPositions, s = sequenceLength ?? m.contextLength;
      const enc = m.encoderLayers * activationBytesPerLayer(m.shape, e, microBatch, recomputation, tensorParallel);
      const dec = m.decoderLayers * activationBytesPerLayer(m.shape, s, microBatch, recomputation, tensorParallel);
      const rebuilt = Math.max(rebuiltLayerBytes(m.shape, e, microBatch, recomputation, tensorParallel), rebuiltLayerBytes(m.shape, s, microBatch, recomputation, tensorParallel));
      return (enc + dec + rebuilt) * scale;
    }
    default: {
      const elements = recomputation === "full" ? m.dense.peakLayerElementsPerSample : m.dense.activationElementsPerSample;
      return elements * microBatch * bytesPerActivation;
    }
  }
}

/** Working memory per sample when serving a per-sample model (largest live layer input + output). */
export function inferenceWorkingBytesPerSample(m: ResolvedModel, bytesPerActivation: number, sequenceLength?: number): number {
  if (m.family === "encoder") {
    const s = m.patches ? m.sequenceLength : sequenceLength ?? m.sequenceLength;
    const ffnWidth = m.shape.ffn * (m.shape.gated ? 2 : 1);
    return (s * (2 * m.shape.hidden + ffnWidth) + m.shape.heads * s * s) * bytesPerActivation;
  }
  if (m.mode === "samples" && "dense" in m) return m.dense.peakLayerElementsPerSample * bytesPerActivation;
  return 0;
}
