/**
 * Exact analytic work of the reference models. Pure.
 *
 * Convention (the MFU convention of PaLM, arXiv 2204.02311 App. B, and llm-foundry): FLOPs = 2 × the
 * multiply-accumulates (MACs) of the tensor contractions — dense layers, convolutions and transposed
 * convolutions, LSTM gate projections, attention products QKᵀ and AV. Elementwise work (activations,
 * bias adds, normalisation, softmax, pooling, embedding gathers and their scatter-add gradients, loss,
 * optimiser) is not counted; it shows up as lower achieved FLOP/s.
 * Convolution MACs = batch × (spatial size of the strided side) × kh × kw × C_in × C_out, counting
 * positions that read padding (what an im2col implementation executes); a transposed convolution and
 * the two backward kernels of a convolution are the transposes of the same linear map and count the same.
 *
 * Training counts what TensorFlow.js actually executes, which these formulas replicate exactly (and
 * the tests check against a kernel trace of tf.profile): the forward pass, the weight gradient (dW) of
 * every contraction whose weights are trained, and the input gradient (dX) of every contraction on the
 * path from a trained variable. Two tfjs behaviours decide dX/dW:
 *  (1) unfused ops (matMul, conv2d, conv2dTranspose; a Dense/Conv2D with relu in gradient mode) build
 *      lazy gradients that tfjs prunes, so the first layer fed by data computes no dX;
 *  (2) fused ops (a Dense/Conv2D with linear activation, LSTM gate projections, which tfjs-layers runs
 *      through tf.fused.matMul/conv2d with a custom gradient) compute dX AND dW eagerly whenever their
 *      node is on the gradient path — even dX of data inputs and dW of frozen weights.
 */
import type { GanConfig, ModelSpec } from "./families";

export type Phase = "inference" | "training";

/** A contraction of the forward pass, per sample. */
export interface Contraction {
  layer: string;
  macsPerSample: number;
  /** Backward kernels executed in a training step: input gradient, weight gradient. */
  backward: { dX: boolean; dW: boolean };
  /**
   * Its matrix-product shape: each kernel call multiplies [M, k] × [k, n] with M = rows × batch when
   * `batched` is false (the batch is folded into the rows: dense layers, convolutions as im2col) or
   * M = rows with batch × repeats separate calls when it is true (per-head attention products).
   * macsPerSample = rows · k · n · repeats.
   */
  shape: { rows: number; k: number; n: number; repeats: number; batched: boolean };
  /**
   * The weights reach the product kernel as a new tensor on every call, even in inference: GAN's
   * transposed convolutions (the input-gradient kernel transposes the filter first) and GPT's Dense
   * layers on [batch, seqLen, d] input (tfjs-layers dot() copies a 2-D kernel through an identity
   * Transpose). See packedWeightElementsPerStep.
   */
  freshWeights?: boolean;
}

const dense = (layer: string, k: number, n: number, backward: Contraction["backward"], rows = 1, repeats = 1): Contraction => ({
  layer,
  macsPerSample: rows * k * n * repeats,
  backward,
  shape: { rows, k, n, repeats, batched: false },
});

/** Forward contractions (per sample) and what their backward pass executes, in layer order. */
export function contractions(spec: ModelSpec): Contraction[] {
  switch (spec.family) {
    case "mlp": {
      const c = spec.config;
      const dims = [c.inputDim, ...c.hiddenUnits, c.classes];
      return dims.slice(1).map((out, i) => {
        const isLast = i === dims.length - 2;
        // Hidden layers are relu (unfused in gradient mode, pruned); the last is linear (fused, eager).
        return dense(isLast ? "dense_out" : `dense_${i}`, dims[i], out, { dX: i > 0 || isLast, dW: true });
      });
    }
    case "text-classifier": {
      const c = spec.config;
      const dims = [c.embedDim, ...c.hiddenUnits, c.classes];
      // The first Dense reads the pooled embedding, which is trained, so every Dense computes dX.
      return dims.slice(1).map((out, i) => dense(i === dims.length - 2 ? "dense_out" : `dense_${i}`, dims[i], out, { dX: true, dW: true }));
    }
    case "lstm-lm": {
      const c = spec.config;
      const out: Contraction[] = [];
      for (let l = 0; l < c.layers; l++) {
        const inDim = l === 0 ? c.embedDim : c.units;
        // Per time step: x_t·W [in, 4u] and h_{t-1}·U [u, 4u], both fused matMuls (eager dX and dW).
        out.push(dense(`lstm_${l}_input`, inDim, 4 * c.units, { dX: true, dW: true }, 1, c.seqLen));
        out.push(dense(`lstm_${l}_recurrent`, c.units, 4 * c.units, { dX: true, dW: true }, 1, c.seqLen));
      }
      out.push(dense("dense_out", c.units, c.vocabSize, { dX: true, dW: true }));
      return out;
    }
    case "cnn": {
      const c = spec.config;
      const out: Contraction[] = [];
      let size = c.imageSize;
      let chIn = c.channels;
      c.filters.forEach((f, i) => {
        // 'same' convolution keeps the size; relu → unfused in gradient mode, so conv_0 has no dX.
        out.push(dense(`conv_${i}`, c.kernelSize * c.kernelSize * chIn, f, { dX: i > 0, dW: true }, size * size));
        size = Math.floor(size / 2); // MaxPool 2×2 stride 2, valid
        chIn = f;
      });
      const flat = size * size * chIn;
      out.push(dense("dense_hidden", flat, c.denseUnits, { dX: true, dW: true }));
      out.push(dense("dense_out", c.denseUnits, c.classes, { dX: true, dW: true }));
      return out;
    }
    case "gan":
      return [...ganGenerator(spec.config), ...ganDiscriminator(spec.config)];
    case "gpt": {
      const c = spec.config;
      const t = c.seqLen;
      const d = c.dModel;
      const out: Contraction[] = [];
      const all = { dX: true, dW: true };
      for (let l = 0; l < c.layers; l++) {
        out.push(dense(`block_${l}_qkv`, d, 3 * d, all, t));
        // Scores QKᵀ and AV: heads × t × t × d_k = t²·d each. Both operands are activations that need
        // gradients (dQ and dK; dP and dV): counted as dX and dW so the backward is 2× the forward.
        const dk = d / c.heads;
        const perHead = (layer: string, k: number, n: number): Contraction => ({
          layer,
          macsPerSample: t * k * n * c.heads,
          backward: all,
          shape: { rows: t, k, n, repeats: c.heads, batched: true },
        });
        out.push(perHead(`block_${l}_scores`, dk, t));
        out.push(perHead(`block_${l}_attend`, t, dk));
        out.push(dense(`block_${l}_proj`, d, d, all, t));
        // The FFN and the LM head are tf.layers.dense on 3-D input (fresh kernel copy per call); the
        // attention projections multiply by the variable itself.
        out.push({ ...dense(`block_${l}_ffn_in`, d, c.ffnMult * d, all, t), freshWeights: true });
        out.push({ ...dense(`block_${l}_ffn_out`, c.ffnMult * d, d, all, t), freshWeights: true });
      }
      out.push({ ...dense("lm_head", d, c.vocabSize, all, t), freshWeights: true });
      return out;
    }
  }
}

function ganGenerator(c: GanConfig): Contraction[] {
  const s = c.imageSize / 4;
  const k2 = c.kernelSize * c.kernelSize;
  return [
    dense("g_dense", c.latentDim, s * s * c.generatorFilters, { dX: false, dW: true }),
    // Transposed convolution: input spatial × k² × C_in × C_out, as [input pixels, C_in] × [C_in, k²·C_out]
    // (run by the Conv2DBackpropInput kernel, which multiplies by the transposed filter: fresh weights).
    { ...dense("g_deconv_0", c.generatorFilters, k2 * (c.generatorFilters / 2), { dX: true, dW: true }, s * s), freshWeights: true },
    { ...dense("g_deconv_1", c.generatorFilters / 2, k2 * c.channels, { dX: true, dW: true }, 2 * s * (2 * s)), freshWeights: true },
  ];
}

function ganDiscriminator(c: GanConfig): Contraction[] {
  const k2 = c.kernelSize * c.kernelSize;
  const h = c.imageSize / 2;
  const q = c.imageSize / 4;
  const df = c.discriminatorFilters;
  // Linear Conv2D/Dense → fused with an eager custom gradient: dX and dW always executed.
  return [
    dense("d_conv_0", k2 * c.channels, df, { dX: true, dW: true }, h * h),
    dense("d_conv_1", k2 * df, 2 * df, { dX: true, dW: true }, q * q),
    dense("d_dense", q * q * 2 * df, 1, { dX: true, dW: true }),
  ];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Inference FLOPs per sample (GAN: one generated image, i.e. the generator's forward pass). */
export function inferenceFlopsPerSample(spec: ModelSpec): number {
  if (spec.family === "gan") return 2 * sum(ganGenerator(spec.config).map((x) => x.macsPerSample));
  return 2 * sum(contractions(spec).map((x) => x.macsPerSample));
}

/**
 * Training FLOPs per sample of one optimiser step.
 * GAN (per sample = one latent vector and one real image): discriminator step on real+generated
 * (G forward, D forward and full backward on 2 samples) then generator step (G forward, D forward,
 * D backward with dX and — fused, eager — dW, G backward): 2·G + 3·D·2 + 3·D + G_backward.
 */
export function trainingFlopsPerSample(spec: ModelSpec): number {
  const macs = (list: Contraction[]) =>
    sum(list.map((x) => x.macsPerSample * (1 + (x.backward.dX ? 1 : 0) + (x.backward.dW ? 1 : 0))));
  if (spec.family === "gan") {
    const g = ganGenerator(spec.config);
    const d = ganDiscriminator(spec.config);
    const gForward = sum(g.map((x) => x.macsPerSample));
    const dForward = sum(d.map((x) => x.macsPerSample));
    const gBackward = macs(g) - gForward;
    // D step: 2 samples × (forward + dX + dW) = 6·D; G step: 1 sample × 3·D; G forward twice.
    return 2 * (2 * gForward + 6 * dForward + 3 * dForward + gBackward);
  }
  return 2 * macs(contractions(spec));
}

export function flopsPerSample(spec: ModelSpec, phase: Phase): number {
  return phase === "inference" ? inferenceFlopsPerSample(spec) : trainingFlopsPerSample(spec);
}

export function flopsPerStep(spec: ModelSpec, phase: Phase, batchSize: number): number {
  return flopsPerSample(spec, phase) * batchSize;
}

/** Parameter count (equal to the sum of tfjs `countParams()` of the family's models). */
export function paramCount(spec: ModelSpec): number {
  const dense = (dims: number[]) => sum(dims.slice(1).map((out, i) => dims[i] * out + out));
  switch (spec.family) {
    case "mlp": {
      const c = spec.config;
      return dense([c.inputDim, ...c.hiddenUnits, c.classes]);
    }
    case "text-classifier": {
      const c = spec.config;
      return c.vocabSize * c.embedDim + dense([c.embedDim, ...c.hiddenUnits, c.classes]);
    }
    case "lstm-lm": {
      const c = spec.config;
      let p = c.vocabSize * c.embedDim;
      for (let l = 0; l < c.layers; l++) {
        const inDim = l === 0 ? c.embedDim : c.units;
        p += 4 * c.units * (inDim + c.units + 1); // kernel, recurrent kernel, bias
      }
      return p + c.units * c.vocabSize + c.vocabSize;
    }
    case "cnn": {
      const c = spec.config;
      let p = 0;
      let size = c.imageSize;
      let chIn = c.channels;
      for (const f of c.filters) {
        p += c.kernelSize * c.kernelSize * chIn * f + f;
        size = Math.floor(size / 2);
        chIn = f;
      }
      return p + dense([size * size * chIn, c.denseUnits, c.classes]);
    }
    case "gan": {
      const c = spec.config;
      const s = c.imageSize / 4;
      const k2 = c.kernelSize * c.kernelSize;
      const gf = c.generatorFilters;
      const df = c.discriminatorFilters;
      const generator = c.latentDim * s * s * gf + s * s * gf + (k2 * gf * (gf / 2) + gf / 2) + (k2 * (gf / 2) * c.channels + c.channels);
      const discriminator = k2 * c.channels * df + df + (k2 * df * 2 * df + 2 * df) + (s * s * 2 * df + 1);
      return generator + discriminator;
    }
    case "gpt": {
      const c = spec.config;
      const d = c.dModel;
      const m = c.ffnMult * d;
      const block = 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d + (d * m + m) + (m * d + d);
      return c.vocabSize * d + c.seqLen * d + c.layers * block + 2 * d + d * c.vocabSize + c.vocabSize;
    }
  }
}

/** Parameters of embedding tables (read sparsely: a lookup touches only the rows it uses). */
export function embeddingParamCount(spec: ModelSpec): number {
  switch (spec.family) {
    case "text-classifier":
    case "lstm-lm":
      return spec.config.vocabSize * spec.config.embedDim;
    case "gpt":
      return spec.config.vocabSize * spec.config.dModel;
    default:
      return 0;
  }
}

/**
 * Weight elements one step reads: an inference step reads every dense weight once and only the
 * embedding rows it looks up (batch × tokens rows, at most the table); a training step's optimiser
 * reads and writes every parameter (Adam updates the whole table). A memory-traffic regressor of the
 * calibration (batch-1 inference is bound by it), not an exact count.
 */
export function weightElementsPerStep(spec: ModelSpec, phase: Phase, batchSize: number): number {
  const all = paramCount(spec);
  if (phase === "training") return all;
  const table = embeddingParamCount(spec);
  if (table === 0) return all;
  const width = spec.family === "gpt" ? spec.config.dModel : (spec.config as { embedDim: number }).embedDim;
  const rows = Math.min(batchSize * (spec.config as { seqLen: number }).seqLen, table / width);
  return all - table + rows * width;
}

/**
 * Weight-matrix elements packed per step: a product kernel (XNNPACK in the wasm backend) first packs
 * its right operand into its own layout, and the wasm backend keeps the packed form per tensor, so a
 * weight matrix is packed again whenever it reaches the kernel as a tensor it has not seen. Inference
 * reads persistent variables except where the weights arrive fresh on every call
 * (Contraction.freshWeights); a training step packs every weight matrix anew (the optimiser's update
 * makes a new tensor), once for the forward products and once per input-gradient product, which
 * multiplies by the transposed weights (a new tensor per call: per time step for the LSTM).
 * Products of two activations (attention) pack per-sample data, which scales with the batch. A cost
 * that does not shrink with the batch: measured on the 2-core wasm machine, a product whose weights
 * are fresh took ~4–8 ns more per weight element than the same product with cached weights (e.g. a
 * 32×64 by 64×256 product: +120 µs). A regressor of the calibration, not an exact count (GAN's two
 * optimiser steps are counted as one pass over its contractions).
 */
export function packedWeightElementsPerStep(spec: ModelSpec, phase: Phase): number {
  const weights = contractions(spec).filter((c) => !c.shape.batched);
  const elements = (c: Contraction) => c.shape.k * c.shape.n;
  if (phase === "inference") return sum(weights.filter((c) => c.freshWeights).map(elements));
  return sum(weights.map((c) => elements(c) * (1 + (c.backward.dX ? c.shape.repeats : 0))));
}

/**
 * Kernel launches of one step (engine-level TensorFlow.js kernels, as tf.profile lists them), exact
 * for tfjs 4.22 and these model builders: linear in the structural counts (layers, time steps) and
 * independent of widths and batch size. Fitted from kernel traces of two or more structures per family
 * and checked against traces of other configurations in test/flops.test.ts. Each launch costs a fixed
 * dispatch overhead, which dominates small models — the calibration uses this as a regressor.
 */
export function kernelsPerStep(spec: ModelSpec, phase: Phase): number {
  const training = phase === "training";
  switch (spec.family) {
    case "mlp":
      return training ? 84 + 44 * spec.config.hiddenUnits.length : 7 + 5 * spec.config.hiddenUnits.length;
    case "text-classifier":
      return training ? 118 + 44 * spec.config.hiddenUnits.length : 12 + 5 * spec.config.hiddenUnits.length;
    case "lstm-lm": {
      const { layers, seqLen } = spec.config;
      return training ? 112 + 48 * layers + seqLen * (142 * layers - 2) : 10 + layers * (7 + 28 * seqLen);
    }
    case "cnn":
      return training ? 131 + 48 * spec.config.filters.length : 13 + 3 * spec.config.filters.length;
    case "gan":
      return training ? 454 : 16;
    case "gpt":
      return training ? 230 + 471 * spec.config.layers : 25 + 68 * spec.config.layers;
  }
}

/**
 * Float32 elements of the main activations of one forward pass, per sample (layer outputs; the LSTM
 * counts its gate pre-activations per step). An estimate of memory traffic and of activation memory,
 * used for the memory limit and as a regressor of the calibration, not an exact count.
 */
export function activationElementsPerSample(spec: ModelSpec): number {
  switch (spec.family) {
    case "mlp": {
      const c = spec.config;
      return c.inputDim + sum(c.hiddenUnits) * 2 + c.classes;
    }
    case "text-classifier": {
      const c = spec.config;
      return c.seqLen + c.seqLen * c.embedDim + c.embedDim + sum(c.hiddenUnits) * 2 + c.classes;
    }
    case "lstm-lm": {
      const c = spec.config;
      // Embedding output, then per layer and step: 4u gate pre-activations, 4u activations, c and h.
      return c.seqLen * c.embedDim + c.layers * c.seqLen * 10 * c.units + c.vocabSize;
    }
    case "cnn": {
      const c = spec.config;
      let size = c.imageSize;
      let total = size * size * c.channels;
      for (const f of c.filters) {
        total += size * size * f * 2; // conv output and relu
        size = Math.floor(size / 2);
        total += size * size * f; // pooled
      }
      return total + c.denseUnits * 2 + c.classes;
    }
    case "gan": {
      const c = spec.config;
      const s = c.imageSize / 4;
      const gf = c.generatorFilters;
      const df = c.discriminatorFilters;
      const generator = c.latentDim + 2 * s * s * gf + 2 * (2 * s) * (2 * s) * (gf / 2) + 2 * c.imageSize * c.imageSize * c.channels;
      const discriminator = 2 * (2 * s) * (2 * s) * df + 2 * s * s * 2 * df + 1;
      return generator + discriminator;
    }
    case "gpt": {
      const c = spec.config;
      const t = c.seqLen;
      const d = c.dModel;
      const h = c.heads;
      // Per block: 2 LayerNorms, QKV, scores and probabilities, attended, projection, residuals, FFN.
      const block = 2 * t * d + 3 * t * d + 2 * h * t * t + t * d + t * d + 2 * t * d + 2 * t * c.ffnMult * d + t * d;
      return t + 2 * t * d + c.layers * block + t * d + t * c.vocabSize;
    }
  }
}

/**
 * Estimated peak bytes of one step: float32 weights (training adds gradients and Adam's two moments),
 * activations of the batch (training keeps about three times the forward activations: saved outputs,
 * their gradients and temporaries). Used to refuse configurations that cannot fit, not reported as
 * a measurement.
 */
export function estimatedPeakBytes(spec: ModelSpec, phase: Phase, batchSize: number): number {
  const weights = paramCount(spec) * 4 * (phase === "training" ? 4 : 1);
  const activations = activationElementsPerSample(spec) * batchSize * 4 * (phase === "training" ? 3 : 1);
  return weights + activations;
}
