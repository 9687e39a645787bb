import { describe, expect, it } from "vitest";
import { estimateTraining, forwardFlopsPerToken, getDefaults, kvBytesPerToken, prefillFlops, resolveModel } from "../src";
import { activationBytesPerLayer, attentionFlopsPerToken, blockShape } from "../src/model/transformer";
import { bytesPerWeight, optimizerBytes, trainingWeightBytes } from "../src/precision";
import { divideByBand } from "../src/band";

const within = (actual: number, expected: number, tolerance: number) => Math.abs(actual / expected - 1) < tolerance;

describe("training compute (6·N·D, Kaplan et al. 2020 / Hoffmann et al. 2022)", () => {
  it("GPT-3: 175B parameters × 300B tokens ≈ 3.14e23 FLOPs (Brown et al. 2020) from the parameter count", () => {
    // a bare count gets an inferred decoder shape: 6·N·D from its matmuls plus attention at GPT-3's 2,048 positions
    const e = estimateTraining({ model: { parameters: 174.6e9, contextLength: 2048 }, tokens: 300e9, hardware: "a100-80gb", gpus: 1024 });
    expect(within(e.flops.total, 6 * 174.6e9 * 300e9, 0.02)).toBe(true);
    expect(within(e.flops.total, 3.14e23, 0.02)).toBe(true);
    expect(e.model.architectureSource).toBe("inferred-from-parameter-count");
    expect(e.assumptions.some((a) => a.name === "architecture" && a.value === "inferred from the parameter count")).toBe(true);
  });

  it("GPT-3 from its architecture, attention included, stays within 2% of 3.14e23", () => {
    const e = estimateTraining({ model: { preset: "gpt-3-175b" }, tokens: 300e9, hardware: "a100-80gb", gpus: 1024 });
    expect(within(e.flops.total, 3.14e23, 0.02)).toBe(true);
    expect(e.flops.attentionFraction).toBeGreaterThan(0.01);
    expect(e.flops.attentionFraction).toBeLessThan(0.02);
  });

  it("forward FLOPs per token = 2·N_matmul + 4·L·c·d_attn (hand, Llama 2 7B at position 1024)", () => {
    const m = resolveModel({ preset: "llama-2-7b" });
    const h = 4096, L = 32, f = 11008, V = 32000;
    const matmul = L * (4 * h * h + 3 * h * f) + V * h;
    expect(forwardFlopsPerToken(m, 1024)).toBe(2 * matmul + 4 * L * 1024 * h);
  });

  it("causal attention at the average position s/2 equals Kaplan's 2·n_layer·n_ctx·d_attn", () => {
    expect(attentionFlopsPerToken(96, 2048 / 2, 12288)).toBe(2 * 96 * 2048 * 12288);
  });

  it("prefill of p tokens sums the per-position forward FLOPs", () => {
    const m = resolveModel({ preset: "llama-3-8b" });
    let sum = 0;
    for (let i = 1; i <= 37; i++) sum += forwardFlopsPerToken(m, i);
    expect(prefillFlops(m, 37)).toBeCloseTo(sum, -3);
  });

  it("LoRA trains with 2/3 of full fine-tuning FLOPs (no weight gradients for frozen weights)", () => {
    const base = { model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a100-80gb", gpus: 8, activationRecomputation: "none" } as const;
    const full = estimateTraining({ ...base, method: "full-fine-tune" });
    const lora = estimateTraining({ ...base, method: "lora" });
    expect(lora.flops.total / full.flops.total).toBeCloseTo(2 / 3, 10);
  });

  it("full activation recomputation adds one forward pass of hardware FLOPs (4/3 of model FLOPs)", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a100-80gb", gpus: 8, activationRecomputation: "full" });
    expect(e.flops.hardwareTotal / e.flops.total).toBeCloseTo(4 / 3, 10);
    const sel = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a100-80gb", gpus: 8, activationRecomputation: "selective" });
    expect(sel.flops.hardwareTotal - sel.flops.total).toBeCloseTo((sel.flops.total / 3) * sel.flops.attentionFraction, -3);
  });

  it("per-sample families train at 3 × forward (ResNet-50: 3 × 2 × 4.089 GMACs per image)", () => {
    const e = estimateTraining({ model: { preset: "resnet-50" }, samples: 1_281_167, epochs: 90, hardware: "a100-80gb", gpus: 8, precision: "bf16" });
    expect(e.flops.perTokenOrSample).toBe(3 * 2 * 4_089_184_256);
    expect(e.flops.total).toBe(3 * 2 * 4_089_184_256 * 1_281_167 * 90);
  });
});

const GGUF = getDefaults().inference.ggufBitsPerWeight.formats;
const NVFP4_BITS = getDefaults().inference.nvfp4.bitsPerWeight;
const formats = (int4OverheadBitsPerWeight: number) => ({ int4OverheadBitsPerWeight, nvfp4BitsPerWeight: NVFP4_BITS, ggufBitsPerWeight: GGUF });

describe("memory formulas", () => {
  it("weights of a 7B model in fp16 ≈ 14 GB (2 bytes per parameter)", () => {
    const m = resolveModel({ preset: "llama-2-7b" });
    expect(m.parameters * bytesPerWeight("fp16", formats(0))).toBeCloseTo(13.48e9, -8);
    expect(within(7e9 * bytesPerWeight("fp16", formats(0)), 14e9, 1e-12)).toBe(true);
  });

  it("int4 weights take 4 bits plus the group-scale overhead", () => {
    expect(bytesPerWeight("int4", formats(0.125))).toBe(4.125 / 8);
  });

  it("NVFP4 weights take 4 bits plus an FP8 scale per 16 values: 4.5 bits (NVIDIA's NVFP4 blog: 3.5× smaller than FP16)", () => {
    expect(NVFP4_BITS).toBe(4 + 8 / 16);
    expect(bytesPerWeight("nvfp4", formats(0.125))).toBe(4.5 / 8);
    expect(bytesPerWeight("fp16", formats(0)) / bytesPerWeight("nvfp4", formats(0))).toBeCloseTo(3.56, 2);
  });

  it("GGUF formats take the bits per weight of llama.cpp's quantize table (Llama 3.1 8B: Q4_K_M 4.8944, Q8_0 8.5008)", () => {
    expect(bytesPerWeight("gguf-q4_k_m", formats(0.125))).toBe(4.8944 / 8);
    expect(bytesPerWeight("gguf-q8_0", formats(0.125))).toBe(8.5008 / 8);
    // the table's own check: 4.8944 bits × Llama 3.1 8B's 8.03e9 parameters ≈ its 4.58 GiB file
    const m = resolveModel({ preset: "llama-3-8b" });
    expect(Math.abs((m.parameters * bytesPerWeight("gguf-q4_k_m", formats(0))) / 2 ** 30 / 4.58 - 1)).toBeLessThan(0.01);
  });

  it("mixed-precision AdamW holds 16 bytes per parameter (Transformer Math 101)", () => {
    expect(trainingWeightBytes("bf16") * 2 + optimizerBytes("adamw", "bf16")).toBe(16);
    expect(optimizerBytes("adamw", "fp32")).toBe(8);
    expect(optimizerBytes("sgd", "bf16")).toBe(8);
  });

  it("Korthikanti et al. activations: s·b·h·(34 + 5·a·s/h) for a GPT-style layer without recomputation", () => {
    const s = blockShape({ hidden: 4096, heads: 32, ffn: 16384, ffnType: "plain" });
    const [seq, b, h, a] = [2048, 1, 4096, 32];
    expect(activationBytesPerLayer(s, seq, b, "none", 1)).toBe(seq * b * h * (34 + (5 * a * seq) / h));
    expect(activationBytesPerLayer(s, seq, b, "selective", 1)).toBe(34 * seq * b * h);
    expect(activationBytesPerLayer(s, seq, b, "full", 1)).toBe(2 * seq * b * h);
    expect(activationBytesPerLayer(s, seq, b, "selective", 8)).toBe((34 * seq * b * h) / 8);
  });

  it("KV cache per token = 2·L·kv_heads·head_dim·bytes (Llama 2 7B MHA: 512 KiB; Llama 3 8B GQA: 128 KiB)", () => {
    expect(kvBytesPerToken(resolveModel({ preset: "llama-2-7b" }), 2)).toBe(2 * 32 * 32 * 128 * 2);
    expect(kvBytesPerToken(resolveModel({ preset: "llama-3-8b" }), 2)).toBe(2 * 32 * 8 * 128 * 2);
  });
});

describe("bands", () => {
  it("time bands invert rate bands: the low time comes from the high utilisation", () => {
    expect(divideByBand(100, { low: 0.25, expected: 0.5, high: 1 })).toEqual({ low: 100, expected: 200, high: 400 });
  });
});
