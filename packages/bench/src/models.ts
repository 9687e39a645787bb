/**
 * TensorFlow.js builders of the reference models, their synthetic data and the two timed steps
 * (inference forward pass, one training step with Adam). The same code runs on every backend.
 */
import * as tf from "@tensorflow/tfjs";
import type {
  CnnConfig,
  GanConfig,
  GptConfig,
  LstmLmConfig,
  MlpConfig,
  ModelSpec,
  TextClassifierConfig,
} from "./families";

/** Inputs and targets of one batch, created once outside the timed region. */
export interface Batch {
  batchSize: number;
  inputs: tf.Tensor;
  targets: tf.Tensor;
  dispose(): void;
}

export interface BuiltModel {
  spec: ModelSpec;
  /** The tfjs-layers models the family is made of (GAN: generator, discriminator). */
  models: tf.LayersModel[];
  /** Sum of `countParams()` over `models`. */
  countParams(): number;
  makeBatch(batchSize: number, seed?: number): Batch;
  /** Forward pass in inference mode; returns the output (the caller forces completion and disposes). */
  inferStep(batch: Batch): tf.Tensor;
  /** One optimiser step (GAN: one discriminator step then one generator step); returns the loss. */
  trainStep(batch: Batch): tf.Scalar;
  /** The variable written last by `trainStep` (reading it forces an asynchronous backend to finish). */
  lastUpdatedVariable(): tf.Variable;
  dispose(): void;
}

const LEARNING_RATE = 1e-3;

function trainableVars(models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}

function makeBatchOf(batchSize: number, inputs: tf.Tensor, targets: tf.Tensor): Batch {
  return {
    batchSize,
    inputs,
    targets,
    dispose() {
      inputs.dispose();
      targets.dispose();
    },
  };
}

function randomTokens(shape: number[], vocab: number, seed: number): tf.Tensor {
  return tf.tidy(() => tf.randomUniform(shape, 0, vocab, "int32", seed));
}

function randomOneHot(batch: number, classes: number, seed: number): tf.Tensor {
  return tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, classes, "int32", seed) as tf.Tensor1D, classes).toFloat());
}

/**
 * A single classifier-style model trained with softmax cross-entropy on one-hot targets.
 * `targetsFor` builds the targets of a batch.
 */
function classifier(
  spec: ModelSpec,
  model: tf.LayersModel,
  makeInputs: (batch: number, seed: number) => tf.Tensor,
  makeTargets: (batch: number, seed: number) => tf.Tensor,
): BuiltModel {
  const optimizer = tf.train.adam(LEARNING_RATE);
  const vars = trainableVars([model]);
  return {
    spec,
    models: [model],
    countParams: () => model.countParams(),
    makeBatch(batchSize, seed = 1) {
      return makeBatchOf(batchSize, makeInputs(batchSize, seed), makeTargets(batchSize, seed + 1));
    },
    inferStep(batch) {
      return tf.tidy(() => model.predict(batch.inputs) as tf.Tensor);
    },
    trainStep(batch) {
      return tf.tidy(
        () =>
          optimizer.minimize(
            () => {
              const logits = model.apply(batch.inputs, { training: true }) as tf.Tensor;
              return tf.losses.softmaxCrossEntropy(batch.targets, logits) as tf.Scalar;
            },
            true,
            vars,
          ) as tf.Scalar,
      );
    },
    lastUpdatedVariable: () => vars[vars.length - 1],
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}

function buildMlp(spec: ModelSpec & { family: "mlp" }): BuiltModel {
  const c: MlpConfig = spec.config;
  const input = tf.input({ shape: [c.inputDim] });
  let x: tf.SymbolicTensor = input;
  for (const units of c.hiddenUnits) x = tf.layers.dense({ units, activation: "relu" }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: c.classes }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  return classifier(
    spec,
    model,
    (b, seed) => tf.randomNormal([b, c.inputDim], 0, 1, "float32", seed),
    (b, seed) => randomOneHot(b, c.classes, seed),
  );
}

function buildTextClassifier(spec: ModelSpec & { family: "text-classifier" }): BuiltModel {
  const c: TextClassifierConfig = spec.config;
  const input = tf.input({ shape: [c.seqLen], dtype: "int32" });
  let x = tf.layers.embedding({ inputDim: c.vocabSize, outputDim: c.embedDim }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling1d().apply(x) as tf.SymbolicTensor;
  for (const units of c.hiddenUnits) x = tf.layers.dense({ units, activation: "relu" }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: c.classes }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  return classifier(
    spec,
    model,
    (b, seed) => randomTokens([b, c.seqLen], c.vocabSize, seed),
    (b, seed) => randomOneHot(b, c.classes, seed),
  );
}

function buildLstmLm(spec: ModelSpec & { family: "lstm-lm" }): BuiltModel {
  const c: LstmLmConfig = spec.config;
  const input = tf.input({ shape: [c.seqLen], dtype: "int32" });
  let x = tf.layers.embedding({ inputDim: c.vocabSize, outputDim: c.embedDim }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < c.layers; i++) {
    // Glorot instead of Keras's orthogonal recurrent initialiser: tfjs computes the orthogonal one by
    // a QR decomposition in JS (seconds at these sizes) and step time does not depend on the values.
    x = tf.layers
      .lstm({ units: c.units, returnSequences: i < c.layers - 1, recurrentInitializer: "glorotUniform" })
      .apply(x) as tf.SymbolicTensor;
  }
  const logits = tf.layers.dense({ units: c.vocabSize }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  return classifier(
    spec,
    model,
    (b, seed) => randomTokens([b, c.seqLen], c.vocabSize, seed),
    (b, seed) => randomOneHot(b, c.vocabSize, seed),
  );
}

function buildCnn(spec: ModelSpec & { family: "cnn" }): BuiltModel {
  const c: CnnConfig = spec.config;
  const input = tf.input({ shape: [c.imageSize, c.imageSize, c.channels] });
  let x: tf.SymbolicTensor = input;
  for (const filters of c.filters) {
    x = tf.layers.conv2d({ filters, kernelSize: c.kernelSize, padding: "same", activation: "relu" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: c.denseUnits, activation: "relu" }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: c.classes }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  return classifier(
    spec,
    model,
    (b, seed) => tf.randomUniform([b, c.imageSize, c.imageSize, c.channels], 0, 1, "float32", seed),
    (b, seed) => randomOneHot(b, c.classes, seed),
  );
}

function buildGan(spec: ModelSpec & { family: "gan" }): BuiltModel {
  const c: GanConfig = spec.config;
  const s = c.imageSize / 4;
  const z = tf.input({ shape: [c.latentDim] });
  let g = tf.layers.dense({ units: s * s * c.generatorFilters, activation: "relu" }).apply(z) as tf.SymbolicTensor;
  g = tf.layers.reshape({ targetShape: [s, s, c.generatorFilters] }).apply(g) as tf.SymbolicTensor;
  g = tf.layers
    .conv2dTranspose({ filters: c.generatorFilters / 2, kernelSize: c.kernelSize, strides: 2, padding: "same", activation: "relu" })
    .apply(g) as tf.SymbolicTensor;
  const image = tf.layers
    .conv2dTranspose({ filters: c.channels, kernelSize: c.kernelSize, strides: 2, padding: "same", activation: "tanh" })
    .apply(g) as tf.SymbolicTensor;
  const generator = tf.model({ inputs: z, outputs: image });

  const img = tf.input({ shape: [c.imageSize, c.imageSize, c.channels] });
  let d = tf.layers.conv2d({ filters: c.discriminatorFilters, kernelSize: c.kernelSize, strides: 2, padding: "same" }).apply(img) as tf.SymbolicTensor;
  d = tf.layers.leakyReLU({ alpha: 0.2 }).apply(d) as tf.SymbolicTensor;
  d = tf.layers.conv2d({ filters: 2 * c.discriminatorFilters, kernelSize: c.kernelSize, strides: 2, padding: "same" }).apply(d) as tf.SymbolicTensor;
  d = tf.layers.leakyReLU({ alpha: 0.2 }).apply(d) as tf.SymbolicTensor;
  d = tf.layers.flatten().apply(d) as tf.SymbolicTensor;
  const logit = tf.layers.dense({ units: 1 }).apply(d) as tf.SymbolicTensor;
  const discriminator = tf.model({ inputs: img, outputs: logit });

  const gVars = trainableVars([generator]);
  const dVars = trainableVars([discriminator]);
  const gOpt = tf.train.adam(2e-4, 0.5);
  const dOpt = tf.train.adam(2e-4, 0.5);

  return {
    spec,
    models: [generator, discriminator],
    countParams: () => generator.countParams() + discriminator.countParams(),
    // inputs: latent vectors; targets: "real" images.
    makeBatch(batchSize, seed = 1) {
      return makeBatchOf(
        batchSize,
        tf.randomNormal([batchSize, c.latentDim], 0, 1, "float32", seed),
        tf.randomUniform([batchSize, c.imageSize, c.imageSize, c.channels], -1, 1, "float32", seed + 1),
      );
    },
    inferStep(batch) {
      return tf.tidy(() => generator.predict(batch.inputs) as tf.Tensor);
    },
    trainStep(batch) {
      return tf.tidy(() => {
        const n = batch.batchSize;
        // Discriminator step: real images labelled 1, generated images labelled 0; generator frozen.
        const fake = generator.apply(batch.inputs, { training: false }) as tf.Tensor;
        const both = tf.concat([batch.targets, fake], 0);
        const labels = tf.concat([tf.ones([n, 1]), tf.zeros([n, 1])], 0);
        const dLoss = dOpt.minimize(
          () => tf.losses.sigmoidCrossEntropy(labels, discriminator.apply(both, { training: true }) as tf.Tensor) as tf.Scalar,
          true,
          dVars,
        ) as tf.Scalar;
        // Generator step: make the discriminator call generated images real; discriminator frozen.
        const ones = tf.ones([n, 1]);
        const gLoss = gOpt.minimize(
          () => {
            const generated = generator.apply(batch.inputs, { training: true }) as tf.Tensor;
            return tf.losses.sigmoidCrossEntropy(ones, discriminator.apply(generated, { training: true }) as tf.Tensor) as tf.Scalar;
          },
          true,
          gVars,
        ) as tf.Scalar;
        return tf.add(dLoss, gLoss) as tf.Scalar;
      });
    },
    lastUpdatedVariable: () => gVars[gVars.length - 1],
    dispose() {
      generator.dispose();
      discriminator.dispose();
      gOpt.dispose();
      dOpt.dispose();
    },
  };
}

// ---- GPT building blocks (tfjs-layers has no attention or position-embedding layer) ----

/**
 * LayerNorm over the last axis: (x − mean)/√(var + ε)·γ + β, γ and β of size d — the same weights as
 * tf.layers.layerNormalization, written with broadcasting ops because that layer tiles γ, β, mean and
 * variance, and tfjs's Tile gradient issues one Slice and one Add per tile (O(batch·seqLen) kernels:
 * 44,771 kernels and 18 s per training step for the default GPT on wasm).
 */
class LayerNorm extends tf.layers.Layer {
  static className = "ModelplanLayerNorm";
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  constructor(private readonly epsilon = 1e-5) {
    super({});
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const d = shape[shape.length - 1] as number;
    this.gamma = this.addWeight("gamma", [d], "float32", tf.initializers.ones());
    this.beta = this.addWeight("beta", [d], "float32", tf.initializers.zeros());
    this.built = true;
  }
  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return inputShape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const centered = tf.sub(x, tf.mean(x, -1, true));
      const variance = tf.mean(tf.square(centered), -1, true);
      const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gamma.read()), this.beta.read());
    });
  }
}

/** Adds a learned position embedding [seqLen, d] to its input [batch, seqLen, d]. */
class PositionEmbedding extends tf.layers.Layer {
  static className = "ModelplanPositionEmbedding";
  private table!: tf.LayerVariable;
  constructor(private readonly seqLen: number, private readonly dModel: number) {
    super({});
  }
  override build(): void {
    this.table = this.addWeight("positions", [this.seqLen, this.dModel], "float32", tf.initializers.randomNormal({ stddev: 0.02 }));
    this.built = true;
  }
  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return inputShape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.add(x, this.table.read());
  }
}

/**
 * Causal multi-head self-attention: QKV = x·W_qkv + b_qkv (one [d, 3d] projection), per head
 * softmax(Q Kᵀ/√d_k + mask) V, then the output projection [d, d].
 */
class CausalSelfAttention extends tf.layers.Layer {
  static className = "ModelplanCausalSelfAttention";
  private wQkv!: tf.LayerVariable;
  private bQkv!: tf.LayerVariable;
  private wOut!: tf.LayerVariable;
  private bOut!: tf.LayerVariable;
  private mask: tf.Tensor | null = null;
  constructor(private readonly seqLen: number, private readonly dModel: number, private readonly heads: number) {
    super({});
  }
  override build(): void {
    const init = tf.initializers.glorotUniform({});
    this.wQkv = this.addWeight("qkv_kernel", [this.dModel, 3 * this.dModel], "float32", init);
    this.bQkv = this.addWeight("qkv_bias", [3 * this.dModel], "float32", tf.initializers.zeros());
    this.wOut = this.addWeight("out_kernel", [this.dModel, this.dModel], "float32", init);
    this.bOut = this.addWeight("out_bias", [this.dModel], "float32", tf.initializers.zeros());
    // Additive causal mask: 0 on and below the diagonal, -1e9 above.
    this.mask = tf.tidy(() => {
      const lower = tf.linalg.bandPart(tf.ones([this.seqLen, this.seqLen]), -1, 0);
      return tf.mul(tf.sub(1, lower), -1e9);
    });
    tf.keep(this.mask);
    this.built = true;
  }
  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return inputShape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, t, d] = x.shape as [number, number, number];
      const h = this.heads;
      const dk = d / h;
      const qkv = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [b * t, d]), this.wQkv.read()), this.bQkv.read()), [b, t, 3 * d]);
      // Split, then [b, t, h, dk] → [b, h, t, dk] (4-D transposes: the wasm 5-D transpose is ~300× slower).
      const heads = (z: tf.Tensor) => tf.transpose(tf.reshape(z, [b, t, h, dk]), [0, 2, 1, 3]);
      const [q, k, v] = tf.split(qkv, 3, 2).map(heads);
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dk)), this.mask!);
      const attended = tf.matMul(tf.softmax(scores, -1), v); // [b, h, t, dk]
      const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [b * t, d]);
      const out = tf.add(tf.matMul(merged, this.wOut.read()), this.bOut.read());
      return tf.reshape(out, [b, t, d]);
    });
  }
  override dispose(): tf.serialization.ConfigDict & { refCountAfterDispose: number; numDisposedVariables: number } {
    this.mask?.dispose();
    this.mask = null;
    return super.dispose() as tf.serialization.ConfigDict & { refCountAfterDispose: number; numDisposedVariables: number };
  }
}

function buildGpt(spec: ModelSpec & { family: "gpt" }): BuiltModel {
  const c: GptConfig = spec.config;
  const input = tf.input({ shape: [c.seqLen], dtype: "int32" });
  let x = tf.layers.embedding({ inputDim: c.vocabSize, outputDim: c.dModel }).apply(input) as tf.SymbolicTensor;
  x = new PositionEmbedding(c.seqLen, c.dModel).apply(x) as tf.SymbolicTensor;
  for (let i = 0; i < c.layers; i++) {
    const a = new CausalSelfAttention(c.seqLen, c.dModel, c.heads).apply(
      new LayerNorm().apply(x) as tf.SymbolicTensor,
    ) as tf.SymbolicTensor;
    x = tf.layers.add().apply([x, a]) as tf.SymbolicTensor;
    let f = new LayerNorm().apply(x) as tf.SymbolicTensor;
    f = tf.layers.dense({ units: c.ffnMult * c.dModel, activation: "gelu" as "relu" }).apply(f) as tf.SymbolicTensor;
    f = tf.layers.dense({ units: c.dModel }).apply(f) as tf.SymbolicTensor;
    x = tf.layers.add().apply([x, f]) as tf.SymbolicTensor;
  }
  x = new LayerNorm().apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: c.vocabSize }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  return classifier(
    spec,
    model,
    (b, seed) => randomTokens([b, c.seqLen], c.vocabSize, seed),
    // Next-token targets at every position: [b, seqLen, vocab] one-hot.
    (b, seed) =>
      tf.tidy(() => tf.oneHot(tf.randomUniform([b, c.seqLen], 0, c.vocabSize, "int32", seed) as tf.Tensor2D, c.vocabSize).toFloat()),
  );
}

/** Build a reference model on the current TensorFlow.js backend. */
export function buildModel(spec: ModelSpec): BuiltModel {
  switch (spec.family) {
    case "mlp":
      return buildMlp(spec);
    case "text-classifier":
      return buildTextClassifier(spec);
    case "lstm-lm":
      return buildLstmLm(spec);
    case "cnn":
      return buildCnn(spec);
    case "gan":
      return buildGan(spec);
    case "gpt":
      return buildGpt(spec);
  }
}
