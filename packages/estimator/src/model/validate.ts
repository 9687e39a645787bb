// Semantic validation of model inputs. Errors name the field as the API request spells it.
import { EstimatorInputError } from "../errors";
import type {
  Architecture,
  CnnArchitecture,
  EmbeddingClassifierArchitecture,
  EncoderArchitecture,
  EncoderDecoderArchitecture,
  LstmArchitecture,
  MlpArchitecture,
  TransformerFields,
} from "../types";

/** Upper limits beyond which a size is treated as a mistake rather than a model. */
export const LIMITS = {
  /** smallest utilisation accepted (0.01% of peak) */
  minUtilisation: 1e-4,
  /** smallest explicit peak FLOP/s, memory bytes and bandwidth accepted */
  minHardwareFigure: 1e6,
  minRequestsPerSecond: 1e-6,
  minRequestsPerDay: 1e-3,
  minDeadlineDays: 1e-3,
  minPriceUsd: 1e-6,
  minLatencyMs: 1e-3,
  parameters: 1e15,
  layers: 2_000,
  hidden: 1_000_000,
  heads: 100_000,
  ffn: 10_000_000,
  vocab: 10_000_000,
  contextLength: 100_000_000,
  experts: 10_000,
  imageSide: 100_000,
  channels: 100_000,
  kernel: 1_000,
  units: 100_000_000,
  cnnLayers: 10_000,
  repeat: 1_000,
  /** micro-steps per optimizer step of a training run */
  gradientAccumulationSteps: 65_536,
} as const;

type Path = string[];

export function requirePositiveInteger(value: unknown, path: Path, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new EstimatorInputError(path, `${path.at(-1)} must be a number`);
  if (!Number.isInteger(value) || value < 1) throw new EstimatorInputError(path, `${path.at(-1)} must be a positive integer (got ${value})`);
  if (value > max) throw new EstimatorInputError(path, `${path.at(-1)} = ${value} is beyond the plausible maximum ${max}`);
  return value;
}

/** A finite number in (0, max], or in [min, max] when `min` is given (to keep outputs finite). */
export function requirePositiveNumber(value: unknown, path: Path, max: number, min?: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new EstimatorInputError(path, `${path.at(-1)} must be a number`);
  if (value <= 0) throw new EstimatorInputError(path, `${path.at(-1)} must be positive (got ${value})`);
  if (min !== undefined && value < min) throw new EstimatorInputError(path, `${path.at(-1)} = ${value} is below the plausible minimum ${min}`);
  if (value > max) throw new EstimatorInputError(path, `${path.at(-1)} = ${value} is beyond the plausible maximum ${max}`);
  return value;
}

function optionalPositiveInteger(value: unknown, path: Path, max: number): void {
  if (value !== undefined) requirePositiveInteger(value, path, max);
}

function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], path: Path): void {
  if (value !== undefined && !allowed.includes(value as T)) {
    throw new EstimatorInputError(path, `${path.at(-1)} must be one of ${allowed.join(", ")} (got ${String(value)})`);
  }
}

function validateTransformerFields(a: TransformerFields, path: Path, needsVocab: boolean, needsContext: boolean): void {
  requirePositiveInteger(a.hidden, [...path, "hidden"], LIMITS.hidden);
  requirePositiveInteger(a.heads, [...path, "heads"], LIMITS.heads);
  requirePositiveInteger(a.ffn, [...path, "ffn"], LIMITS.ffn);
  optionalPositiveInteger(a.kvHeads, [...path, "kvHeads"], LIMITS.heads);
  optionalPositiveInteger(a.headDim, [...path, "headDim"], LIMITS.hidden);
  optionalPositiveInteger(a.normsPerLayer, [...path, "normsPerLayer"], 16);
  if (needsVocab || a.vocab !== undefined) requirePositiveInteger(a.vocab, [...path, "vocab"], LIMITS.vocab);
  if (needsContext || a.contextLength !== undefined) requirePositiveInteger(a.contextLength, [...path, "contextLength"], LIMITS.contextLength);
  if (a.headDim === undefined && a.hidden % a.heads !== 0) {
    throw new EstimatorInputError([...path, "heads"], `hidden size ${a.hidden} is not divisible by heads ${a.heads} (give headDim when heads × headDim ≠ hidden)`);
  }
  const kv = a.kvHeads ?? a.heads;
  if (kv > a.heads) throw new EstimatorInputError([...path, "kvHeads"], `kvHeads ${kv} exceeds heads ${a.heads}`);
  if (a.heads % kv !== 0) throw new EstimatorInputError([...path, "kvHeads"], `kvHeads ${kv} does not divide heads ${a.heads} (grouped-query attention needs equal groups)`);
  requireOneOf(a.ffnType, ["gated", "plain"], [...path, "ffnType"]);
  requireOneOf(a.norm, ["layernorm", "rmsnorm"], [...path, "norm"]);
  requireOneOf(a.bias, ["none", "qkv", "all"], [...path, "bias"]);
  requireOneOf(a.positionEmbedding, ["learned", "rotary", "sinusoidal", "alibi", "relative"], [...path, "positionEmbedding"]);
  if (a.moe !== undefined) {
    requirePositiveInteger(a.moe.experts, [...path, "moe", "experts"], LIMITS.experts);
    requirePositiveInteger(a.moe.activeExperts, [...path, "moe", "activeExperts"], LIMITS.experts);
    if (a.moe.activeExperts > a.moe.experts) {
      throw new EstimatorInputError([...path, "moe", "activeExperts"], `activeExperts ${a.moe.activeExperts} exceeds experts ${a.moe.experts}`);
    }
  }
}

function validateEncoder(a: EncoderArchitecture, path: Path): void {
  requirePositiveInteger(a.layers, [...path, "layers"], LIMITS.layers);
  const patches = a.input?.kind === "patches";
  validateTransformerFields(a, path, !patches, !patches);
  if (a.input?.kind === "patches") {
    const p = [...path, "input"];
    requirePositiveInteger(a.input.imageSize, [...p, "imageSize"], LIMITS.imageSide);
    requirePositiveInteger(a.input.patchSize, [...p, "patchSize"], LIMITS.imageSide);
    requirePositiveInteger(a.input.channels, [...p, "channels"], LIMITS.channels);
    if (a.input.imageSize % a.input.patchSize !== 0) {
      throw new EstimatorInputError([...p, "patchSize"], `imageSize ${a.input.imageSize} is not divisible by patchSize ${a.input.patchSize}`);
    }
  } else if (a.input !== undefined && a.input.kind !== "tokens") {
    throw new EstimatorInputError([...path, "input", "kind"], "input.kind must be tokens or patches");
  } else if (a.input?.typeVocab !== undefined) {
    requirePositiveInteger(a.input.typeVocab, [...path, "input", "typeVocab"], LIMITS.vocab);
  }
  if (a.classes !== undefined && a.classes !== 0) requirePositiveInteger(a.classes, [...path, "classes"], LIMITS.units);
}

function validateEncoderDecoder(a: EncoderDecoderArchitecture, path: Path): void {
  requirePositiveInteger(a.encoderLayers, [...path, "encoderLayers"], LIMITS.layers);
  requirePositiveInteger(a.decoderLayers, [...path, "decoderLayers"], LIMITS.layers);
  validateTransformerFields(a, path, true, true);
  if (a.input?.kind === "audio") {
    requirePositiveInteger(a.input.melBins, [...path, "input", "melBins"], LIMITS.channels);
    requirePositiveInteger(a.input.frames, [...path, "input", "frames"], LIMITS.contextLength);
  } else if (a.input !== undefined && a.input.kind !== "tokens") {
    throw new EstimatorInputError([...path, "input", "kind"], "input.kind must be tokens or audio");
  } else if (a.input?.contextLength !== undefined) {
    requirePositiveInteger(a.input.contextLength, [...path, "input", "contextLength"], LIMITS.contextLength);
  }
}

function validateCnn(a: CnnArchitecture, path: Path): void {
  if (typeof a.input !== "object" || a.input === null) throw new EstimatorInputError([...path, "input"], "input {height, width, channels} is required");
  requirePositiveInteger(a.input.height, [...path, "input", "height"], LIMITS.imageSide);
  requirePositiveInteger(a.input.width, [...path, "input", "width"], LIMITS.imageSide);
  requirePositiveInteger(a.input.channels, [...path, "input", "channels"], LIMITS.channels);
  if (!Array.isArray(a.layers) || a.layers.length === 0) throw new EstimatorInputError([...path, "layers"], "layers must be a non-empty list");
  if (a.layers.length > LIMITS.cnnLayers) throw new EstimatorInputError([...path, "layers"], `more than ${LIMITS.cnnLayers} layers`);
  a.layers.forEach((layer, i) => {
    const p = [...path, "layers", String(i)];
    switch (layer.type) {
      case "conv2d":
        requirePositiveInteger(layer.filters, [...p, "filters"], LIMITS.units);
        requirePositiveInteger(layer.kernel, [...p, "kernel"], LIMITS.kernel);
        optionalPositiveInteger(layer.stride, [...p, "stride"], LIMITS.kernel);
        if (typeof layer.padding === "number" && (!Number.isInteger(layer.padding) || layer.padding < 0 || layer.padding > LIMITS.kernel)) {
          throw new EstimatorInputError([...p, "padding"], "padding must be a non-negative integer, 'same' or 'valid'");
        }
        if (layer.padding !== undefined && typeof layer.padding !== "number") requireOneOf(layer.padding, ["same", "valid"], [...p, "padding"]);
        break;
      case "maxpool":
      case "avgpool":
        requirePositiveInteger(layer.pool, [...p, "pool"], LIMITS.kernel);
        optionalPositiveInteger(layer.stride, [...p, "stride"], LIMITS.kernel);
        if (layer.padding !== undefined && (!Number.isInteger(layer.padding) || layer.padding < 0)) {
          throw new EstimatorInputError([...p, "padding"], "padding must be a non-negative integer");
        }
        break;
      case "dense":
        requirePositiveInteger(layer.units, [...p, "units"], LIMITS.units);
        break;
      case "bottleneck":
      case "basicblock":
        requirePositiveInteger(layer.filters, [...p, "filters"], LIMITS.units);
        optionalPositiveInteger(layer.stride, [...p, "stride"], LIMITS.kernel);
        optionalPositiveInteger(layer.repeat, [...p, "repeat"], LIMITS.repeat);
        if (layer.type === "bottleneck") optionalPositiveInteger(layer.expansion, [...p, "expansion"], 64);
        break;
      case "batchnorm":
      case "activation":
      case "globalavgpool":
      case "flatten":
        break;
      default:
        throw new EstimatorInputError([...p, "type"], `unknown layer type ${String((layer as { type?: unknown }).type)}`);
    }
  });
}

function validateLayerSizes(sizes: unknown, path: Path): void {
  if (!Array.isArray(sizes)) throw new EstimatorInputError(path, "must be a list of layer widths");
  if (sizes.length > LIMITS.layers) throw new EstimatorInputError(path, `more than ${LIMITS.layers} layers`);
  sizes.forEach((n, i) => requirePositiveInteger(n, [...path, String(i)], LIMITS.units));
}

function validateMlp(a: MlpArchitecture, path: Path): void {
  requirePositiveInteger(a.inputs, [...path, "inputs"], LIMITS.units);
  validateLayerSizes(a.hiddenLayers, [...path, "hiddenLayers"]);
  requirePositiveInteger(a.outputs, [...path, "outputs"], LIMITS.units);
}

function validateLstm(a: LstmArchitecture, path: Path): void {
  if (a.vocab !== undefined) {
    requirePositiveInteger(a.vocab, [...path, "vocab"], LIMITS.vocab);
    requirePositiveInteger(a.embeddingDim, [...path, "embeddingDim"], LIMITS.hidden);
  } else {
    requirePositiveInteger(a.inputFeatures, [...path, "inputFeatures"], LIMITS.units);
  }
  requirePositiveInteger(a.hidden, [...path, "hidden"], LIMITS.hidden);
  requirePositiveInteger(a.layers, [...path, "layers"], LIMITS.layers);
  requirePositiveInteger(a.sequenceLength, [...path, "sequenceLength"], LIMITS.contextLength);
  requirePositiveInteger(a.outputs, [...path, "outputs"], LIMITS.units);
}

function validateEmbeddingClassifier(a: EmbeddingClassifierArchitecture, path: Path): void {
  requirePositiveInteger(a.vocab, [...path, "vocab"], LIMITS.vocab);
  requirePositiveInteger(a.embeddingDim, [...path, "embeddingDim"], LIMITS.hidden);
  requirePositiveInteger(a.sequenceLength, [...path, "sequenceLength"], LIMITS.contextLength);
  if (a.hiddenLayers !== undefined) validateLayerSizes(a.hiddenLayers, [...path, "hiddenLayers"]);
  requirePositiveInteger(a.classes, [...path, "classes"], LIMITS.units);
}

export const FAMILIES = ["decoder", "encoder", "encoder-decoder", "cnn", "mlp", "lstm", "embedding-classifier"] as const;

export function validateArchitecture(a: Architecture, path: Path): void {
  if (typeof a !== "object" || a === null) throw new EstimatorInputError(path, "architecture must be an object");
  switch (a.family) {
    case "decoder":
      requirePositiveInteger(a.layers, [...path, "layers"], LIMITS.layers);
      validateTransformerFields(a, path, true, true);
      return;
    case "encoder":
      return validateEncoder(a, path);
    case "encoder-decoder":
      return validateEncoderDecoder(a, path);
    case "cnn":
      return validateCnn(a, path);
    case "mlp":
      return validateMlp(a, path);
    case "lstm":
      return validateLstm(a, path);
    case "embedding-classifier":
      return validateEmbeddingClassifier(a, path);
    default:
      throw new EstimatorInputError([...path, "family"], `family must be one of ${FAMILIES.join(", ")}`);
  }
}
