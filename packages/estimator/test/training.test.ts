import { describe, expect, it } from "vitest";
import { estimateTraining, getDefaults, listCloudPrices } from "../src";
import type { TrainingInput } from "../src";

// Llama 2 7B matmul weights and attention per token at the average causal position (s = 4096)
const L = 32, H = 4096, F = 11008, V = 32000, P = 6_738_415_616;
const MATMUL = L * (4 * H * H + 3 * H * F) + V * H;
const FORWARD_PER_TOKEN = 2 * MATMUL + 4 * L * (4096 / 2) * H;

const base: TrainingInput = { model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 8, activationRecomputation: "none", utilisation: 0.5 };

describe("estimateTraining", () => {
  it("GPU-hours = FLOPs / (peak × utilisation) / 3600 (hand)", () => {
    const e = estimateTraining(base);
    const flops = 3 * FORWARD_PER_TOKEN * 1e9;
    expect(e.flops.total).toBeCloseTo(flops, -6);
    const hours = flops / (312e12 * 0.5) / 3600;
    expect(e.gpuHours.expected).toBeCloseTo(hours, 6);
    expect(e.gpuHours.low).toBe(e.gpuHours.expected); // a single-number override collapses the band
    expect(e.wallClockDays.expected).toBeCloseTo(hours / 8 / 24, 8);
  });

  it("the default band comes from the published A100 BF16 MFU range and orders low ≤ expected ≤ high", () => {
    const e = estimateTraining({ ...base, utilisation: undefined });
    expect(e.utilisation).toMatchObject({ low: 0.43, expected: 0.55, high: 0.64 });
    expect(e.utilisation.source).toContain("llm-foundry");
    expect(e.gpuHours.low).toBeLessThan(e.gpuHours.expected);
    expect(e.gpuHours.expected).toBeLessThan(e.gpuHours.high);
    expect(e.gpuHours.low).toBeCloseTo(e.flops.hardwareTotal / (312e12 * 0.64) / 3600, 6);
  });

  it("cost = GPU-hours × price; energy = GPU-hours × TDP × PUE; CO2 = energy × grid intensity", () => {
    const e = estimateTraining({ ...base, pricePerGpuHourUsd: 2, pue: 1.2, gridKgCo2PerKwh: 0.4 });
    expect(e.costUsd!.expected).toBeCloseTo(e.gpuHours.expected * 2, 6);
    expect(e.energyKwh!.expected).toBeCloseTo((e.gpuHours.expected * 400 * 1.2) / 1000, 6);
    expect(e.co2Kg!.expected).toBeCloseTo(e.energyKwh!.expected * 0.4, 6);
  });

  it("uses the default PUE and grid intensity and lists them as assumptions", () => {
    const e = estimateTraining(base);
    const d = getDefaults();
    expect(e.energyKwh!.expected).toBeCloseTo((e.gpuHours.expected * 400 * d.pue.value * d.powerDrawFraction.value) / 1000, 6);
    const names = e.assumptions.map((a) => a.name);
    for (const n of ["PUE", "grid carbon intensity", "average power draw", "usable memory fraction", "training precision", "optimizer", "ZeRO stage"]) expect(names).toContain(n);
    for (const a of e.assumptions) expect(a.source.length).toBeGreaterThan(3);
  });

  it("prices on-demand at the median catalog listing and spot where published", () => {
    const e = estimateTraining({ ...base, hardware: "a100-40gb", utilisation: 0.5 });
    const listings = listCloudPrices({ accelerator: "a100-40gb" }).map((l) => l.onDemandUsdPerGpuHour).sort((a, b) => a - b);
    expect(e.pricing!.onDemandUsdPerGpuHour).toBe(listings[Math.floor((listings.length - 1) / 2)]);
    expect(e.spotCostUsd!.expected).toBeCloseTo(e.gpuHours.expected * 1.293355, 6); // GCP a2-highgpu-1g spot
    expect(e.costByProvider.length).toBe(listings.length);
    const gcp = estimateTraining({ ...base, hardware: "a100-40gb", provider: "gcp" });
    expect(gcp.pricing!.provider).toBe("gcp");
  });

  it("memory per GPU: 16 bytes/parameter of model states + Korthikanti activations; fewest GPUs with ZeRO-3 (hand)", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", method: "full-fine-tune", activationRecomputation: "selective" });
    const states = 16 * P;
    const activations = L * 4096 * (18 * H + 6 * F); // selective: s·b·(18h + 6f) per layer, SwiGLU
    const usable = 80e9 * 0.9;
    const dp = Math.ceil(states / (usable - activations));
    expect(dp).toBe(3);
    expect(e.gpus).toBe(3);
    expect(e.gpusChosenBy).toBe("fewest-that-fit");
    expect(e.fewestGpusToFit).toBe(3);
    expect(e.fits).toBe(true);
    expect(e.memoryPerGpuGb.activations).toBeCloseTo(activations / 1e9, 9);
    expect(e.memoryPerGpuGb.total).toBeCloseTo((states / 3 + activations) / 1e9, 9);
  });

  it("a model that does not fit the requested GPUs is a valid answer: fits=false and the fewest that fit", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 1, zeroStage: 0, method: "full-fine-tune" });
    expect(e.fits).toBe(false);
    expect(e.fewestGpusToFit).toBeNull(); // ZeRO-0 replicates the 108 GB of states on every GPU
    expect(e.warnings.join(" ")).toMatch(/fits on \d+ GPUs/);
    const z3 = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 1, zeroStage: 3, method: "full-fine-tune" });
    expect(z3.fits).toBe(false);
    expect(z3.fewestGpusToFit).toBe(3);
  });

  it("ZeRO stages shard optimizer, then gradients, then weights", () => {
    const at = (zeroStage: 0 | 1 | 2 | 3) => estimateTraining({ ...base, zeroStage }).memoryPerGpuGb;
    expect(at(1).optimizerState).toBeCloseTo(at(0).optimizerState / 8, 9);
    expect(at(1).gradients).toBe(at(0).gradients);
    expect(at(2).gradients).toBeCloseTo(at(0).gradients / 8, 9);
    expect(at(3).weights).toBeCloseTo(at(0).weights / 8, 9);
  });

  it("picks enough GPUs to finish by a deadline", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e11, hardware: "h100-sxm", deadlineDays: 7 });
    expect(e.gpusChosenBy).toBe("deadline");
    expect(e.gpus).toBe(Math.ceil(e.gpuHours.expected / (7 * 24)));
    expect(e.wallClockDays.expected).toBeLessThanOrEqual(7);
    expect(e.deadlineMet).toBe(true);
  });

  it("LoRA trains adapters only: a few million trainable parameters, far less memory", () => {
    const lora = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a10g", gpus: 1, method: "lora", lora: { rank: 8, targets: "attention-qv" } });
    expect(lora.model.trainableParameters).toBe(32 * (8 * (4096 + 4096) * 2));
    const qlora = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a10g", gpus: 1, method: "qlora" });
    expect(lora.memoryPerGpuGb.optimizerState).toBeCloseTo((lora.model.trainableParameters * 12) / 1e9, 9);
    expect(qlora.memoryPerGpuGb.weights).toBeLessThan(lora.memoryPerGpuGb.weights / 3);
    expect(qlora.memoryPerGpuGb.weights).toBeCloseTo((P * 4.127) / 8 / 1e9 + (lora.model.trainableParameters * 2) / 1e9, 6);
  });

  it("accepts a measured hardware profile: its peak and utilisation band replace the catalog", () => {
    const e = estimateTraining({
      model: { architecture: { family: "mlp", inputs: 784, hiddenLayers: [256, 128], outputs: 10 } },
      samples: 60000, epochs: 5, precision: "fp32",
      hardware: { id: "this-cpu", peakFlopsPerS: { fp32: 1e11 }, memoryBytes: 8e9, memoryBandwidthBytesPerS: 2e10, tdpW: 65, utilisation: { compute: { low: 0.05, expected: 0.08, high: 0.1, source: "bench runs 1–5" } } },
      gpus: 1,
    });
    const macs = 784 * 256 + 256 * 128 + 128 * 10;
    const flops = 3 * 2 * macs * 60000 * 5;
    expect(e.flops.total).toBe(flops);
    expect(e.utilisation.source).toBe("bench runs 1–5");
    expect(e.gpuHours.expected).toBeCloseTo(flops / (1e11 * 0.08) / 3600, 9);
    expect(e.costUsd).toBeNull();
    expect(e.warnings.join(" ")).toMatch(/no cloud price/);
  });

  it("trains encoders on samples or tokens and whisper on decoder tokens", () => {
    const bert = estimateTraining({ model: { preset: "bert-base" }, samples: 1000, sequenceLength: 128, hardware: "t4", precision: "fp16" });
    expect(bert.tokens).toBe(128_000);
    const bertTokens = estimateTraining({ model: { preset: "bert-base" }, tokens: 128_000, sequenceLength: 128, hardware: "t4", precision: "fp16" });
    expect(bertTokens.flops.total).toBeCloseTo(bert.flops.total, -3);
    const whisper = estimateTraining({ model: { preset: "whisper-small" }, samples: 1000, hardware: "a100-80gb" });
    expect(whisper.tokens).toBe(1000 * 448);
    expect(whisper.flops.total).toBeGreaterThan(6 * 240e6 * 448_000);
  });
});
