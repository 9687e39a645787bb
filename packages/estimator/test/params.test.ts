import { describe, expect, it } from "vitest";
import { countCnn, listPresets, resolveModel } from "../src";
import { windowOutputLength } from "../src/model/cnn";
import { architectureFit } from "../src/model/infer-architecture";

describe("parameter counts computed from the architecture", () => {
  it.each(listPresets().map((p) => [p.id, p] as const))("%s matches its published count within 2%%", (_id, preset) => {
    const m = resolveModel({ preset: preset.id });
    expect(Math.abs(m.parameters / preset.publishedParameters.value - 1)).toBeLessThan(0.02);
    if (preset.publishedActiveParameters) {
      expect(Math.abs(m.activeParameters / preset.publishedActiveParameters.value - 1)).toBeLessThan(0.02);
    }
  });

  it("GPT-2 small: 124,439,808 by hand", () => {
    const h = 768, L = 12, V = 50257, ctx = 1024;
    const perLayer = 4 * h * h + 4 * h /* attention + biases */ + 2 * h * 4 * h + 4 * h + h /* MLP + biases */ + 2 * 2 * h /* 2 LayerNorms */;
    const hand = V * h + ctx * h + L * perLayer + 2 * h;
    expect(hand).toBe(124_439_808);
    expect(resolveModel({ preset: "gpt-2" }).parameters).toBe(hand);
  });

  it("Llama 2 7B: 6,738,415,616 by hand (SwiGLU FFN, RMSNorm, untied head)", () => {
    const h = 4096, L = 32, f = 11008, V = 32000;
    const hand = L * (4 * h * h + 3 * h * f + 2 * h) + 2 * V * h + h;
    expect(resolveModel({ preset: "llama-2-7b" }).parameters).toBe(hand);
    expect(hand).toBe(6_738_415_616);
  });

  it("GQA narrows K and V: Llama 3 8B has 8,030,261,248 parameters", () => {
    const h = 4096, L = 32, f = 14336, V = 128256, kv = 8 * 128;
    const hand = L * (2 * h * h + 2 * h * kv + 3 * h * f + 2 * h) + 2 * V * h + h;
    expect(resolveModel({ preset: "llama-3-8b" }).parameters).toBe(hand);
  });

  it("MoE counts all experts in the total and the routed ones as active (Mixtral 8x7B)", () => {
    const h = 4096, L = 32, f = 14336, V = 32000, kv = 1024, E = 8, k = 2;
    const attn = 2 * h * h + 2 * h * kv;
    const expert = 3 * h * f;
    const fixed = 2 * V * h + h;
    const m = resolveModel({ preset: "mixtral-8x7b" });
    expect(m.parameters).toBe(L * (attn + E * expert + h * E + 2 * h) + fixed);
    expect(m.activeParameters).toBe(L * (attn + k * expert + h * E + 2 * h) + fixed);
  });

  it("ResNet-50 matches torchvision exactly: 25,557,032 parameters and 4.09 GMACs", () => {
    const preset = listPresets().find((p) => p.id === "resnet-50")!;
    const c = countCnn(preset.architecture as never);
    expect(c.parameters).toBe(25_557_032);
    expect(Math.abs(c.forwardMacsPerSample / preset.publishedForwardMacs!.value - 1)).toBeLessThan(0.01);
    expect(c.outputShape).toEqual({ height: 1, width: 1, channels: 1000 });
  });

  it("conv output size follows (H - F + 2p)/s + 1", () => {
    expect(windowOutputLength(224, 7, 2, 3)).toBe(112);
    expect(windowOutputLength(112, 3, 2, 1)).toBe(56);
    expect(windowOutputLength(32, 3, 1, 0)).toBe(30);
  });

  it("a small CNN by hand: conv 3→16 k3 + maxpool 2 + flatten + dense 10", () => {
    const c = countCnn({ family: "cnn", input: { height: 28, width: 28, channels: 3 }, layers: [
      { type: "conv2d", filters: 16, kernel: 3 },
      { type: "maxpool", pool: 2 },
      { type: "flatten" },
      { type: "dense", units: 10 },
    ] });
    // conv: 3·3·3·16 + 16 params, output 26×26×16; pool → 13×13×16 = 2704 features
    expect(c.parameters).toBe(3 * 3 * 3 * 16 + 16 + 2704 * 10 + 10);
    expect(c.forwardMacsPerSample).toBe(3 * 3 * 3 * 16 * 26 * 26 + 2704 * 10);
  });

  it("the essays' MLP (2 features → Dense 10 → Dense 1) has 41 parameters", () => {
    const m = resolveModel({ architecture: { family: "mlp", inputs: 2, hiddenLayers: [10], outputs: 1 } });
    expect(m.parameters).toBe(2 * 10 + 10 + 10 * 1 + 1);
  });

  it("LSTM counts one bias per gate (Keras/TF.js): Embedding(10000,128) + LSTM(128) + Dense(10000)", () => {
    const m = resolveModel({ architecture: { family: "lstm", vocab: 10000, embeddingDim: 128, hidden: 128, layers: 1, sequenceLength: 40, outputs: 10000 } });
    expect(m.parameters).toBe(10000 * 128 + 4 * (128 * (128 + 128) + 128) + 128 * 10000 + 10000);
  });

  it("embedding classifier: Embedding(10000,16) + GlobalAveragePooling1D + Dense(4)", () => {
    const m = resolveModel({ architecture: { family: "embedding-classifier", vocab: 10000, embeddingDim: 16, sequenceLength: 100, classes: 4 } });
    expect(m.parameters).toBe(10000 * 16 + 16 * 4 + 4);
  });

  it("a bare parameter count is taken as given and says so", () => {
    const m = resolveModel({ parameters: 7e9 });
    expect(m.parameters).toBe(7e9);
    expect(m.parameterCountSource).toBe("given");
  });

  it("infers a bare count's shape from distinct architectures: a re-release with the same layers enters once", () => {
    const fit = architectureFit();
    expect(fit.fittedOn).toContain("llama-3-8b");
    expect(fit.fittedOn).not.toContain("llama-3.1-8b"); // Llama 3 8B's layers, a longer context
    expect(fit.fittedOn).toContain("llama-3.1-405b");
    expect(new Set(fit.fittedOn).size).toBe(fit.fittedOn.length);
  });
});
