/**
 * The reference model families (the seed essays' code samples, made to run), their size knobs,
 * defaults and limits. Pure: no I/O, no TensorFlow.js.
 */
import { BenchInputError } from "./errors";

export const MODEL_FAMILIES = ["mlp", "text-classifier", "lstm-lm", "cnn", "gan", "gpt"] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

/** Dense MLP classifier: Dense(h1, relu) … Dense(hn, relu) → Dense(classes) logits. */
export type MlpConfig = {
  inputDim: number;
  hiddenUnits: number[];
  classes: number;
};

/** Embedding → GlobalAveragePooling1D → Dense(h, relu)… → Dense(classes) logits. */
export type TextClassifierConfig = {
  vocabSize: number;
  seqLen: number;
  embedDim: number;
  hiddenUnits: number[];
  classes: number;
};

/** Embedding → LSTM(units) × layers (last returns its final state) → Dense(vocab) next-token logits. */
/** seqLen ≥ 2: tfjs-layers 4.22 cannot train an RNN over a single time step (Unpack gradient error). */
export type LstmLmConfig = {
  vocabSize: number;
  seqLen: number;
  embedDim: number;
  units: number;
  layers: number;
};

/**
 * CNN image classifier: per entry of `filters`, Conv2D(f, k×k, same, relu) → MaxPool(2×2, stride 2);
 * then Flatten → Dense(denseUnits, relu) → Dense(classes) logits.
 */
export type CnnConfig = {
  imageSize: number;
  channels: number;
  filters: number[];
  kernelSize: number;
  denseUnits: number;
  classes: number;
};

/**
 * DCGAN-style GAN for imageSize = 4·s (s ≥ 1):
 * generator Dense(s·s·gf, relu) → Reshape → Conv2DTranspose(gf/2, k, stride 2, same, relu)
 *   → Conv2DTranspose(channels, k, stride 2, same, tanh);
 * discriminator Conv2D(df, k, stride 2, same) → LeakyReLU(0.2) → Conv2D(2df, k, stride 2, same)
 *   → LeakyReLU(0.2) → Flatten → Dense(1) logit.
 */
export type GanConfig = {
  latentDim: number;
  imageSize: number;
  channels: number;
  generatorFilters: number;
  discriminatorFilters: number;
  kernelSize: number;
};

/**
 * Small GPT-style decoder: token Embedding + learned position embedding, `layers` pre-LN blocks of
 * causal multi-head self-attention (softmax(QKᵀ/√d_k)V, one fused QKV projection and an output
 * projection) and a feed-forward Dense(ffnMult·d, gelu) → Dense(d), residuals, final LayerNorm,
 * Dense(vocab) logits at every position.
 */
export type GptConfig = {
  vocabSize: number;
  seqLen: number;
  dModel: number;
  heads: number;
  layers: number;
  ffnMult: number;
};

export interface FamilyConfigMap {
  mlp: MlpConfig;
  "text-classifier": TextClassifierConfig;
  "lstm-lm": LstmLmConfig;
  cnn: CnnConfig;
  gan: GanConfig;
  gpt: GptConfig;
}

export type ModelSpec = { [F in ModelFamily]: { family: F; config: FamilyConfigMap[F] } }[ModelFamily];

/** Default sizes: small enough that every phase of every family runs in about a second on one core. */
export const DEFAULT_CONFIGS: FamilyConfigMap = {
  mlp: { inputDim: 256, hiddenUnits: [512, 512], classes: 10 },
  "text-classifier": { vocabSize: 5000, seqLen: 64, embedDim: 64, hiddenUnits: [64], classes: 4 },
  "lstm-lm": { vocabSize: 1000, seqLen: 32, embedDim: 64, units: 128, layers: 1 },
  cnn: { imageSize: 28, channels: 1, filters: [16, 32], kernelSize: 3, denseUnits: 64, classes: 10 },
  gan: { latentDim: 64, imageSize: 28, channels: 1, generatorFilters: 64, discriminatorFilters: 32, kernelSize: 4 },
  gpt: { vocabSize: 1000, seqLen: 64, dModel: 128, heads: 4, layers: 2, ffnMult: 4 },
};

type IntSpec = { kind: "int"; min: number; max: number };
type IntListSpec = { kind: "intList"; min: number; max: number; minLength: number; maxLength: number };
type FieldSpec = IntSpec | IntListSpec;

const int = (min: number, max: number): IntSpec => ({ kind: "int", min, max });
const intList = (min: number, max: number, minLength: number, maxLength: number): IntListSpec => ({
  kind: "intList",
  min,
  max,
  minLength,
  maxLength,
});

/** Per-field limits of each family's configuration (inclusive). */
export const CONFIG_LIMITS: { [F in ModelFamily]: Record<keyof FamilyConfigMap[F], FieldSpec> } = {
  mlp: { inputDim: int(1, 65_536), hiddenUnits: intList(1, 16_384, 0, 16), classes: int(2, 100_000) },
  "text-classifier": {
    vocabSize: int(2, 1_000_000),
    seqLen: int(1, 4096),
    embedDim: int(1, 4096),
    hiddenUnits: intList(1, 16_384, 0, 8),
    classes: int(2, 100_000),
  },
  "lstm-lm": { vocabSize: int(2, 200_000), seqLen: int(2, 1024), embedDim: int(1, 4096), units: int(1, 4096), layers: int(1, 8) },
  cnn: {
    imageSize: int(4, 512),
    channels: int(1, 64),
    filters: intList(1, 1024, 1, 6),
    kernelSize: int(1, 11),
    denseUnits: int(1, 16_384),
    classes: int(2, 100_000),
  },
  gan: {
    latentDim: int(1, 4096),
    imageSize: int(4, 256),
    channels: int(1, 4),
    generatorFilters: int(2, 1024),
    discriminatorFilters: int(1, 1024),
    kernelSize: int(1, 9),
  },
  gpt: { vocabSize: int(2, 200_000), seqLen: int(1, 2048), dModel: int(1, 4096), heads: int(1, 64), layers: int(1, 48), ffnMult: int(1, 8) },
};

/** What each family is and what each size field means (API documentation and README). */
export const FAMILY_DOCS: Record<ModelFamily, string> = {
  mlp: "Dense MLP classifier: Dense(relu) per hidden layer, then Dense(classes) logits; softmax cross-entropy, Adam.",
  "text-classifier": "Embedding → GlobalAveragePooling1D → Dense(relu)… → Dense(classes) logits; softmax cross-entropy, Adam.",
  "lstm-lm": "Embedding → LSTM × layers (the last returns its final state) → Dense(vocab) next-token logits; softmax cross-entropy, Adam.",
  cnn: "Per filter count: Conv2D(k×k, same, relu) → MaxPool 2×2; then Flatten → Dense(relu) → Dense(classes) logits.",
  gan: "DCGAN-style: Dense + two stride-2 Conv2DTranspose generator; two stride-2 Conv2D + LeakyReLU discriminator. A training step is one discriminator step and one generator step; inference generates images.",
  gpt: "GPT-style decoder: token + learned position embeddings, pre-LN blocks of causal multi-head self-attention and a GELU feed-forward network, final LayerNorm, Dense(vocab) logits at every position.",
};

export const FIELD_DOCS: Record<string, { description: string; example: number | number[] }> = {
  inputDim: { description: "Input features per sample.", example: 256 },
  hiddenUnits: { description: "Units of each hidden Dense layer, in order (may be empty).", example: [512, 512] },
  classes: { description: "Output classes.", example: 10 },
  vocabSize: { description: "Vocabulary size (embedding rows; output classes of the language models).", example: 1000 },
  seqLen: { description: "Tokens per sample.", example: 64 },
  embedDim: { description: "Embedding width.", example: 64 },
  units: { description: "LSTM units per layer.", example: 128 },
  layers: { description: "Stacked layers (LSTM layers or decoder blocks).", example: 2 },
  imageSize: { description: "Image height and width in pixels (a multiple of 4 for the GAN).", example: 28 },
  channels: { description: "Image channels.", example: 1 },
  filters: { description: "Filters of each convolution block, in order.", example: [16, 32] },
  kernelSize: { description: "Square convolution kernel size.", example: 3 },
  denseUnits: { description: "Units of the hidden Dense layer after flattening.", example: 64 },
  latentDim: { description: "Latent vector size of the generator's input.", example: 64 },
  generatorFilters: { description: "Filters of the generator's first block (the second has half; even).", example: 64 },
  discriminatorFilters: { description: "Filters of the discriminator's first convolution (the second has twice as many).", example: 32 },
  dModel: { description: "Model width d (divisible by heads).", example: 128 },
  heads: { description: "Attention heads.", example: 4 },
  ffnMult: { description: "Feed-forward width as a multiple of dModel.", example: 4 },
};

export function isModelFamily(x: unknown): x is ModelFamily {
  return typeof x === "string" && (MODEL_FAMILIES as readonly string[]).includes(x);
}

function checkInt(value: unknown, spec: IntSpec, path: (string | number)[]): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new BenchInputError(path, `must be an integer`, { min: spec.min, max: spec.max });
  }
  if (value < spec.min || value > spec.max) {
    throw new BenchInputError(path, `${value} is outside the limit [${spec.min}, ${spec.max}]`, { min: spec.min, max: spec.max });
  }
  return value;
}

/**
 * Complete a partial configuration with the family's defaults and check every field against its limit
 * and the family's structural constraints. Throws BenchInputError naming the field.
 */
export function resolveModelSpec(
  family: unknown,
  partial: unknown,
  path: (string | number)[] = [],
): ModelSpec {
  if (!isModelFamily(family)) {
    throw new BenchInputError([...path, "family"], `unknown model family ${JSON.stringify(family)}; known: ${MODEL_FAMILIES.join(", ")}`);
  }
  if (partial !== undefined && (typeof partial !== "object" || partial === null || Array.isArray(partial))) {
    throw new BenchInputError([...path, "config"], "must be an object");
  }
  const limits = CONFIG_LIMITS[family] as Record<string, FieldSpec>;
  const given = (partial ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in limits)) {
      throw new BenchInputError([...path, "config", key], `unknown field for family ${family}; known: ${Object.keys(limits).join(", ")}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(limits)) {
    const value = key in given ? given[key] : (DEFAULT_CONFIGS[family] as unknown as Record<string, unknown>)[key];
    const fieldPath = [...path, "config", key];
    if (spec.kind === "int") {
      out[key] = checkInt(value, spec, fieldPath);
    } else {
      if (!Array.isArray(value)) throw new BenchInputError(fieldPath, "must be a list of integers");
      if (value.length < spec.minLength || value.length > spec.maxLength) {
        throw new BenchInputError(fieldPath, `length ${value.length} is outside the limit [${spec.minLength}, ${spec.maxLength}]`, {
          min: spec.minLength,
          max: spec.maxLength,
        });
      }
      out[key] = value.map((v, i) => checkInt(v, { kind: "int", min: spec.min, max: spec.max }, [...fieldPath, i]));
    }
  }
  const spec = { family, config: out } as unknown as ModelSpec;
  checkStructure(spec, [...path, "config"]);
  return spec;
}

function checkStructure(spec: ModelSpec, path: (string | number)[]): void {
  switch (spec.family) {
    case "gan": {
      const c = spec.config;
      if (c.imageSize % 4 !== 0) throw new BenchInputError([...path, "imageSize"], `${c.imageSize} must be a multiple of 4 (two stride-2 up-samplings)`);
      if (c.generatorFilters % 2 !== 0) throw new BenchInputError([...path, "generatorFilters"], `${c.generatorFilters} must be even (the second block has half the filters)`);
      return;
    }
    case "gpt": {
      const c = spec.config;
      if (c.dModel % c.heads !== 0) throw new BenchInputError([...path, "heads"], `dModel ${c.dModel} must be divisible by heads ${c.heads}`);
      return;
    }
    case "cnn": {
      const c = spec.config;
      // Each block halves the image (floor); the last block must leave at least a 1×1 map.
      if (c.imageSize >> c.filters.length < 1) {
        throw new BenchInputError([...path, "filters"], `${c.filters.length} pooling blocks shrink a ${c.imageSize}px image below 1px`, {
          max: Math.floor(Math.log2(c.imageSize)),
        });
      }
      return;
    }
    default:
      return;
  }
}

/** Tokens per sample for the sequence families (tokens/s is reported for them), else undefined. */
export function tokensPerSample(spec: ModelSpec): number | undefined {
  switch (spec.family) {
    case "text-classifier":
    case "lstm-lm":
    case "gpt":
      return spec.config.seqLen;
    default:
      return undefined;
  }
}

/** A stable, human-readable key for a model configuration. */
export function modelKey(spec: ModelSpec): string {
  const parts = Object.entries(spec.config).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("x") : v}`);
  return `${spec.family}(${parts.join(",")})`;
}
