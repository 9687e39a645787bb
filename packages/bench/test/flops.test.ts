import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveModelSpec, type ModelFamily } from "../src/families";
import { flopsPerStep, inferenceFlopsPerSample, kernelsPerStep, paramCount, trainingFlopsPerSample, weightElementsPerStep } from "../src/flops";
import { buildModel } from "../src/models";
import { traceStep } from "../src/trace";

const spec = (family: ModelFamily, config: object) => resolveModelSpec(family, config);

describe("FLOPs and parameters against hand counts", () => {
  it("MLP 3 → 4 (relu) → 2", () => {
    const s = spec("mlp", { inputDim: 3, hiddenUnits: [4], classes: 2 });
    // forward MACs 3·4 + 4·2 = 20
    expect(inferenceFlopsPerSample(s)).toBe(2 * 20);
    // layer 1: forward 12 + dW 12 (its input is data: no dX); layer 2: 8 + dW 8 + dX 8
    expect(trainingFlopsPerSample(s)).toBe(2 * (12 + 12 + 8 + 8 + 8));
    expect(paramCount(s)).toBe(3 * 4 + 4 + 4 * 2 + 2);
    expect(flopsPerStep(s, "training", 5)).toBe(5 * 2 * 48);
  });

  it("MLP without hidden layers: the single linear layer is fused and computes dX of the data too", () => {
    const s = spec("mlp", { inputDim: 3, hiddenUnits: [], classes: 2 });
    expect(trainingFlopsPerSample(s)).toBe(2 * 3 * 6);
  });

  it("text classifier: embedding and pooling cost no contraction FLOPs", () => {
    const s = spec("text-classifier", { vocabSize: 10, seqLen: 6, embedDim: 4, hiddenUnits: [3], classes: 2 });
    expect(inferenceFlopsPerSample(s)).toBe(2 * (4 * 3 + 3 * 2));
    expect(trainingFlopsPerSample(s)).toBe(3 * 2 * (4 * 3 + 3 * 2));
    expect(paramCount(s)).toBe(10 * 4 + (4 * 3 + 3) + (3 * 2 + 2));
  });

  it("weights read per step: dense weights once, embedding rows looked up, all parameters in training", () => {
    const s = spec("text-classifier", { vocabSize: 100, seqLen: 6, embedDim: 4, hiddenUnits: [3], classes: 2 });
    const all = paramCount(s);
    // batch 2 × 6 tokens = 12 rows of 4 out of the 100 × 4 table
    expect(weightElementsPerStep(s, "inference", 2)).toBe(all - 400 + 12 * 4);
    // batch 50 would touch 300 rows: capped at the table
    expect(weightElementsPerStep(s, "inference", 50)).toBe(all);
    expect(weightElementsPerStep(s, "training", 2)).toBe(all);
    const mlp = spec("mlp", { inputDim: 3, hiddenUnits: [4], classes: 2 });
    expect(weightElementsPerStep(mlp, "inference", 7)).toBe(paramCount(mlp));
  });

  it("LSTM LM: seqLen steps of [x_t, h_{t−1}] · [W; U] then the vocabulary head", () => {
    const s = spec("lstm-lm", { vocabSize: 7, seqLen: 3, embedDim: 2, units: 5, layers: 1 });
    const perStep = (2 + 5) * 4 * 5; // input and recurrent projections to 4 gates
    expect(inferenceFlopsPerSample(s)).toBe(2 * (3 * perStep + 5 * 7));
    expect(trainingFlopsPerSample(s)).toBe(3 * 2 * (3 * perStep + 5 * 7));
    expect(paramCount(s)).toBe(7 * 2 + 4 * 5 * (2 + 5 + 1) + 5 * 7 + 7);
  });

  it("CNN: same-padded conv counts every output position, pooling halves", () => {
    const s = spec("cnn", { imageSize: 8, channels: 2, filters: [3], kernelSize: 3, denseUnits: 4, classes: 2 });
    const conv = 8 * 8 * 3 * 3 * 2 * 3; // output positions × k² × Cin × Cout
    const dense = 4 * 4 * 3 * 4 + 4 * 2; // flatten 4×4×3 → 4 → 2
    expect(inferenceFlopsPerSample(s)).toBe(2 * (conv + dense));
    // first conv (relu, fed by data): forward + dW only; dense layers: forward + dW + dX
    expect(trainingFlopsPerSample(s)).toBe(2 * (2 * conv + 3 * dense));
    expect(paramCount(s)).toBe(3 * 3 * 2 * 3 + 3 + (4 * 4 * 3 * 4 + 4) + (4 * 2 + 2));
  });

  it("GAN: generator forward for inference; D step on real+fake and G step for training", () => {
    const s = spec("gan", { latentDim: 2, imageSize: 8, channels: 1, generatorFilters: 4, discriminatorFilters: 2, kernelSize: 3 });
    const gDense = 2 * (2 * 2 * 4); // latent → 2×2×4
    const gDeconv0 = 2 * 2 * 9 * 4 * 2; // input 2×2, k², 4 → 2
    const gDeconv1 = 4 * 4 * 9 * 2 * 1; // input 4×4, k², 2 → 1
    const dConv0 = 4 * 4 * 9 * 1 * 2; // output 4×4 (stride 2)
    const dConv1 = 2 * 2 * 9 * 2 * 4; // output 2×2
    const dDense = 2 * 2 * 4 * 1;
    const G = gDense + gDeconv0 + gDeconv1;
    const D = dConv0 + dConv1 + dDense;
    expect(inferenceFlopsPerSample(s)).toBe(2 * G);
    // D step: G forward + D forward/dX/dW on 2 samples; G step: G forward, D ×3, G backward (dense dW; deconvs dX+dW)
    expect(trainingFlopsPerSample(s)).toBe(2 * (G + 2 * 3 * D + G + 3 * D + gDense + 2 * gDeconv0 + 2 * gDeconv1));
    expect(paramCount(s)).toBe(2 * 16 + 16 + (9 * 4 * 2 + 2) + (9 * 2 * 1 + 1) + (9 * 1 * 2 + 2) + (9 * 2 * 4 + 4) + (2 * 2 * 4 + 1));
  });

  it("GPT block: 2·T·d·3d + 4·T²·d + 2·T·d² + 4·T·d·m·d + 2·T·d·V", () => {
    const s = spec("gpt", { vocabSize: 5, seqLen: 2, dModel: 4, heads: 2, layers: 1, ffnMult: 2 });
    const macs = 2 * 4 * 12 + 4 * 4 + 4 * 4 + 2 * 4 * 4 + 2 * 4 * 8 + 2 * 8 * 4 + 2 * 4 * 5; // = 328
    expect(macs).toBe(328);
    expect(inferenceFlopsPerSample(s)).toBe(656);
    expect(trainingFlopsPerSample(s)).toBe(3 * 656);
    // embeddings 5·4 + 2·4; block: LN 8, QKV 48+12, out 16+4, LN 8, FFN 32+8 and 32+4; final LN 8; head 20+5
    expect(paramCount(s)).toBe(20 + 8 + (8 + 60 + 20 + 8 + 40 + 36) + 8 + 25);
  });
});

describe("formulas against the kernel trace of TensorFlow.js (cpu backend)", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  const cases: [ModelFamily, object][] = [
    ["mlp", { inputDim: 5, hiddenUnits: [6, 7], classes: 3 }],
    ["mlp", { inputDim: 5, hiddenUnits: [], classes: 3 }],
    ["text-classifier", { vocabSize: 11, seqLen: 5, embedDim: 4, hiddenUnits: [3, 5], classes: 2 }],
    ["lstm-lm", { vocabSize: 9, seqLen: 4, embedDim: 3, units: 5, layers: 2 }],
    ["cnn", { imageSize: 9, channels: 2, filters: [3, 4], kernelSize: 3, denseUnits: 5, classes: 3 }],
    ["gan", { latentDim: 3, imageSize: 8, channels: 2, generatorFilters: 6, discriminatorFilters: 3, kernelSize: 3 }],
    ["gpt", { vocabSize: 7, seqLen: 5, dModel: 6, heads: 3, layers: 2, ffnMult: 2 }],
  ];

  for (const [family, config] of cases) {
    it(`${family} ${JSON.stringify(config)}: FLOPs, kernel launches and countParams()`, async () => {
      const s = spec(family, config);
      const model = buildModel(s);
      const batch = model.makeBatch(3);
      try {
        expect(model.countParams()).toBe(paramCount(s));
        tf.dispose(model.trainStep(batch)); // creates the optimiser state outside the trace
        const inference = await traceStep(() => model.inferStep(batch));
        const training = await traceStep(() => model.trainStep(batch));
        expect(inference.flops).toBe(flopsPerStep(s, "inference", 3));
        expect(training.flops).toBe(flopsPerStep(s, "training", 3));
        expect(inference.kernelCount).toBe(kernelsPerStep(s, "inference"));
        expect(training.kernelCount).toBe(kernelsPerStep(s, "training"));
        expect(training.peakBytes).toBeGreaterThan(4 * paramCount(s));
      } finally {
        batch.dispose();
        model.dispose();
      }
    });
  }
});
