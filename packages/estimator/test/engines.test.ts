// Serving engines and llama.cpp's GGUF formats: llama.cpp's per-layer step cost and bandwidth band are
// the ones its published rows give (scripts/derive-engine-mbu.ts), they replace only the defaults, and
// GGUF weights take the bits per weight of llama.cpp's quantize table.
import { describe, expect, it } from "vitest";
import { estimateInference, getDefaults, isEstimatorInputError, resolveModel } from "../src";
import type { InferenceInput } from "../src";
import { deriveEngineStep } from "../src/inference/engine-calibration";
import { decodeMsAtFullBandwidth, layersOf } from "../scripts/derive-engine-mbu";
import { allReduceLatencySeconds, deriveWeightOnlyKernelEfficiency, kernelBoundarySecondsPerLayer } from "../src/inference/fixed-costs";

const serving = getDefaults().inference.serving;
const llamaCpp = serving.engines.llamaCpp;
const base: InferenceInput = { model: { preset: "llama-3-8b" }, hardware: "a100-80gb", gpusPerReplica: 1, batchSize: 1, workload: { inputTokens: 300, outputTokens: 1024, requestsPerSecondPeak: 1 } };

describe("llama.cpp's decode step", () => {
  it("stores the per-layer cost and bandwidth band the rows give (scripts/derive-engine-mbu.ts)", () => {
    const { points, band, msPerLayer } = deriveEngineStep(llamaCpp.derivedFrom.rows, decodeMsAtFullBandwidth, layersOf);
    expect(points.length).toBeGreaterThanOrEqual(4);
    for (const p of points) expect(p.mbu).toBeGreaterThan(0.1);
    const stored = llamaCpp.memoryBandwidthUtilisation;
    expect({ low: stored.low, expected: stored.expected, high: stored.high }).toEqual(band);
    expect(llamaCpp.kernelBoundaries.secondsPerLayer).toBeCloseTo(msPerLayer / 1000, 12);
    // two model sizes tell the two apart: the fit is the least-squares one (a nudge either way fits worse)
    const sse = (perLayerMs: number, invMbu: number) => points.reduce((s, p) => s + (p.msAtFullBandwidth * invMbu + p.layers * perLayerMs - p.measuredMsPerToken) ** 2, 0);
    const invMbu = (() => {
      const num = points.reduce((s, p) => s + p.msAtFullBandwidth * (p.measuredMsPerToken - p.layers * msPerLayer), 0);
      return num / points.reduce((s, p) => s + p.msAtFullBandwidth ** 2, 0);
    })();
    expect(sse(msPerLayer, invMbu)).toBeLessThan(sse(msPerLayer * 1.1, invMbu));
    expect(sse(msPerLayer, invMbu)).toBeLessThan(sse(msPerLayer * 0.9, invMbu));
    expect(msPerLayer).toBeGreaterThan(0);
    // derived from published rows that are not validation cases
    expect(llamaCpp.derivedFrom.url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//);
  });

  it("replaces the default band when engine is llama.cpp, and says so", () => {
    const cb = estimateInference(base);
    const lc = estimateInference({ ...base, engine: "llama.cpp" });
    expect(lc.bandwidthUtilisation.expected).toBe(llamaCpp.memoryBandwidthUtilisation.expected);
    expect(lc.bandwidthUtilisation.source).toContain("llama.cpp");
    // a memory-bound decode step streams slower by the ratio of the expected utilisations, and each
    // engine adds its own per-layer cost: llama.cpp's fitted one, the continuous-batching reference's
    const ratio = cb.bandwidthUtilisation.expected / lc.bandwidthUtilisation.expected;
    const cbBoundaryMs = 32 * kernelBoundarySecondsPerLayer() * 1000;
    const lcBoundaryMs = 32 * llamaCpp.kernelBoundaries.secondsPerLayer * 1000;
    expect((lc.decodeMsPerToken!.expected - lcBoundaryMs) / (cb.decodeMsPerToken!.expected - cbBoundaryMs)).toBeCloseTo(ratio, 6);
    expect(lc.assumptions.find((a) => a.name === "kernel boundaries")?.source).toContain("llama.cpp");
    expect(cb.assumptions.find((a) => a.name === "kernel boundaries")?.source).toContain("Hazy Research");
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

describe("torch-compile: PyTorch-native decoding (gpt-fast, torchao)", () => {
  const torch = serving.engines.torchCompile;

  it("stores the weight-only kernels' bandwidth share its published rows give (scripts/derive-engine-mbu.ts)", () => {
    const { points, int8, int4 } = deriveWeightOnlyKernelEfficiency(torch.derivedFrom.rows);
    expect(points).toHaveLength(4);
    expect({ int8: torch.weightOnlyKernelEfficiency.int8, int4: torch.weightOnlyKernelEfficiency.int4 }).toEqual({ int8, int4 });
    // dequantising as they read costs bandwidth, int4 more than int8
    expect(int8).toBeLessThan(1);
    expect(int4).toBeLessThan(int8);
    expect(torch.derivedFrom.url).toMatch(/^https:\/\/github\.com\/pytorch\/ao\/blob\/[0-9a-f]{40}\//);
  });

  it("streams int8 and int4 weights at that share, runs int8 as weight-only, and leaves 16-bit weights alone", () => {
    for (const q of ["int8", "int4"] as const) {
      const cb = estimateInference({ ...base, quantization: q });
      const tc = estimateInference({ ...base, quantization: q, engine: "torch-compile" });
      expect(tc.decodeMsPerToken!.expected).toBeGreaterThan(cb.decodeMsPerToken!.expected);
      expect(tc.assumptions.find((a) => a.name === `${q} weight-only kernel bandwidth share`)?.value).toBe(torch.weightOnlyKernelEfficiency[q]);
    }
    expect(estimateInference({ ...base, quantization: "int8", engine: "torch-compile" }).hardware.precision).toBe("bf16");
    expect(estimateInference({ ...base, quantization: "int8" }).hardware.precision).toBe("int8");
    const bf = estimateInference({ ...base, quantization: "bf16" });
    expect(estimateInference({ ...base, quantization: "bf16", engine: "torch-compile" }).decodeMsPerToken).toEqual(bf.decodeMsPerToken);
  });

  it("is refused for models it is not modelled for, naming the field", () => {
    try {
      estimateInference({ model: { preset: "resnet-50" }, hardware: "t4", engine: "torch-compile", workload: { requestsPerSecondPeak: 1 } });
      expect.unreachable();
    } catch (e) {
      expect(isEstimatorInputError(e) && e.path).toEqual(["engine"]);
    }
  });
});

describe("fixed costs of a decode step", () => {
  it("all-reduce latency is NCCL's ring/LL model: 6.6 µs + 2(t−1) × 0.6 µs over NVLink, 1.0 µs hops over PCIe, network hops beyond a node", () => {
    expect(allReduceLatencySeconds(2, "nvlink", 8)).toBeCloseTo(7.8e-6, 12);
    expect(allReduceLatencySeconds(8, "nvlink", 8)).toBeCloseTo(15.0e-6, 12);
    expect(allReduceLatencySeconds(4, "pcie", 8)).toBeCloseTo(6.6e-6 + 6 * 1.0e-6, 12);
    // 16 GPUs on 2 nodes: 30 steps, 4 of them over the network (2.7 µs)
    expect(allReduceLatencySeconds(16, "nvlink", 8)).toBeCloseTo(6.6e-6 + 26 * 0.6e-6 + 4 * 2.7e-6, 12);
  });

  it("small models gain less from tensor parallelism than bandwidth alone gives: 8 GPUs decode a 7B under 8× faster than 1", () => {
    const one = estimateInference({ ...base, model: { preset: "llama-2-7b" }, gpusPerReplica: 1 }).decodeMsPerToken!.expected;
    const eight = estimateInference({ ...base, model: { preset: "llama-2-7b" }, gpusPerReplica: 8 }).decodeMsPerToken!.expected;
    expect(one / eight).toBeLessThan(4);
    expect(one / eight).toBeGreaterThan(2);
  });
});

describe("the step's fixed costs and kernel share can be overridden", () => {
  const tp8: InferenceInput = { ...base, model: { preset: "llama-2-7b" }, gpusPerReplica: 8 };

  it("kernelBoundaryMicrosecondsPerLayer replaces the derived 33.1 µs (0 switches it off) and says so", () => {
    const d = estimateInference(tp8);
    const off = estimateInference({ ...tp8, kernelBoundaryMicrosecondsPerLayer: 0 });
    expect((d.decodeMsPerToken!.expected - off.decodeMsPerToken!.expected) / 1000).toBeCloseTo(32 * kernelBoundarySecondsPerLayer(), 9);
    expect(off.assumptions.find((a) => a.name === "kernel boundaries")).toMatchObject({ value: 0, source: "request" });
    const ten = estimateInference({ ...tp8, kernelBoundaryMicrosecondsPerLayer: 10 });
    expect((ten.decodeMsPerToken!.expected - off.decodeMsPerToken!.expected) / 1000).toBeCloseTo(32 * 10e-6, 9);
  });

  it("allReduceLatencyMicroseconds replaces NCCL's model for every all-reduce of the step", () => {
    const d = estimateInference(tp8);
    const given = estimateInference({ ...tp8, allReduceLatencyMicroseconds: 25 });
    // 2 all-reduces per layer × 32 layers × (25 − 15.0) µs
    expect((given.decodeMsPerToken!.expected - d.decodeMsPerToken!.expected) / 1000).toBeCloseTo(64 * 10e-6, 9);
    const a = given.assumptions.find((x) => x.name === "all-reduce fixed latency");
    expect(a?.source).toBe("request");
    expect(a?.value as number).toBeCloseTo(25e-6, 12);
  });

  it("weightKernelEfficiency replaces the engine's share for the weights only", () => {
    const tc = estimateInference({ ...base, quantization: "int8", engine: "torch-compile", kernelBoundaryMicrosecondsPerLayer: 0 });
    const full = estimateInference({ ...base, quantization: "int8", engine: "torch-compile", kernelBoundaryMicrosecondsPerLayer: 0, weightKernelEfficiency: 1 });
    expect(tc.decodeMsPerToken!.expected).toBeGreaterThan(full.decodeMsPerToken!.expected);
    expect(full.assumptions.find((a) => a.name === "weight kernel bandwidth share")).toMatchObject({ value: 1, source: "request" });
  });

  it("rejects implausible values naming the field", () => {
    for (const [field, value] of [["kernelBoundaryMicrosecondsPerLayer", -1], ["allReduceLatencyMicroseconds", 1e9], ["weightKernelEfficiency", 1.5]] as const) {
      try {
        estimateInference({ ...tp8, [field]: value });
        expect.unreachable();
      } catch (e) {
        expect(isEstimatorInputError(e) && e.path).toEqual([field]);
      }
    }
  });
});
