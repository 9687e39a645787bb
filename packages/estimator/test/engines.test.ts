// Serving engines and llama.cpp's GGUF formats: the llama.cpp bandwidth band is the one its published
// rows give (scripts/derive-engine-mbu.ts), it replaces only the default band, and GGUF weights take the
// bits per weight of llama.cpp's quantize table.
import { describe, expect, it } from "vitest";
import { estimateInference, getDefaults, isEstimatorInputError, resolveModel } from "../src";
import type { InferenceInput } from "../src";
import { deriveEngineMbu } from "../src/inference/engine-calibration";
import { decodeMsAtFullBandwidth } from "../scripts/derive-engine-mbu";

const serving = getDefaults().inference.serving;
const llamaCpp = serving.engines.llamaCpp;
const base: InferenceInput = { model: { preset: "llama-3-8b" }, hardware: "a100-80gb", gpusPerReplica: 1, batchSize: 1, workload: { inputTokens: 300, outputTokens: 1024, requestsPerSecondPeak: 1 } };

describe("llama.cpp's memory-bandwidth band", () => {
  it("is stored as the rows' min / median / max (scripts/derive-engine-mbu.ts)", () => {
    const { points, band } = deriveEngineMbu(llamaCpp.derivedFrom.rows, decodeMsAtFullBandwidth);
    expect(points.length).toBeGreaterThanOrEqual(4);
    for (const p of points) expect(p.mbu).toBeGreaterThan(0.1);
    const stored = llamaCpp.memoryBandwidthUtilisation;
    expect({ low: stored.low, expected: stored.expected, high: stored.high }).toEqual(band);
    // derived from published rows that are not validation cases
    expect(llamaCpp.derivedFrom.url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//);
  });

  it("replaces the default band when engine is llama.cpp, and says so", () => {
    const cb = estimateInference(base);
    const lc = estimateInference({ ...base, engine: "llama.cpp" });
    expect(lc.bandwidthUtilisation.expected).toBe(llamaCpp.memoryBandwidthUtilisation.expected);
    expect(lc.bandwidthUtilisation.source).toContain("llama.cpp");
    // a memory-bound decode step takes longer by the ratio of the expected utilisations
    const ratio = cb.bandwidthUtilisation.expected / lc.bandwidthUtilisation.expected;
    expect(lc.decodeMsPerToken!.expected / cb.decodeMsPerToken!.expected).toBeCloseTo(ratio, 6);
    expect(lc.assumptions.find((a) => a.name === "serving engine")?.value).toBe("llama.cpp");
    expect(lc.assumptions.some((a) => a.name === "llama.cpp concurrency")).toBe(true);
    expect(cb.assumptions.find((a) => a.name === "serving engine")?.value).toBe("continuous-batching");
  });

  it("gives way to a request override", () => {
    const e = estimateInference({ ...base, engine: "llama.cpp", bandwidthUtilisation: 0.8 });
    expect(e.bandwidthUtilisation.expected).toBe(0.8);
  });

  it("is refused for models llama.cpp is not modelled for, naming the field", () => {
    try {
      estimateInference({ model: { preset: "resnet-50" }, hardware: "t4", quantization: "fp16", engine: "llama.cpp", workload: { requestsPerSecondPeak: 1 } });
      expect.unreachable();
    } catch (e) {
      expect(isEstimatorInputError(e) && e.path).toEqual(["engine"]);
    }
  });
});

describe("GGUF weight formats", () => {
  it("store llama.cpp's bits per weight and compute in 16-bit", () => {
    const e = estimateInference({ ...base, quantization: "gguf-q4_k_m" });
    const params = resolveModel({ preset: "llama-3-8b" }).parameters;
    expect(e.memory.weightsGb).toBeCloseTo((params * 4.8944) / 8 / 1e9, 9);
    expect(e.hardware.precision).toBe("bf16");
    expect(e.assumptions.find((a) => a.name === "gguf-q4_k_m bits per weight")?.source).toContain("tools/quantize/README.md at commit");
  });

  it("Q8_0 holds more bytes than int8 (its per-block scales) and decodes accordingly slower when memory-bound", () => {
    const q8 = estimateInference({ ...base, quantization: "gguf-q8_0" });
    const i8 = estimateInference({ ...base, quantization: "int8" });
    expect(q8.memory.weightsGb / i8.memory.weightsGb).toBeCloseTo(8.5008 / 8, 9);
    expect(q8.decodeMsPerToken!.expected).toBeGreaterThan(i8.decodeMsPerToken!.expected);
  });
});
