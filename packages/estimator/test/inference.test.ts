import { describe, expect, it } from "vitest";
import { estimateInference, forwardFlopsPerSample, listHostedModels, resolveModel } from "../src";
import type { InferenceInput } from "../src";

const L = 32, H = 4096, F = 11008, V = 32000, P = 6_738_415_616;
const KV_PER_TOKEN = 2 * L * 32 * 128 * 2; // Llama 2 7B, fp16
const A100_BW = 2.039e12;

const llama7b: InferenceInput = {
  model: { preset: "llama-2-7b" },
  quantization: "fp16",
  hardware: "a100-80gb",
  workload: { inputTokens: 512, outputTokens: 256, requestsPerSecondPeak: 10 },
};

describe("single-stream decode is bound by memory bandwidth", () => {
  it("7B fp16 on A100-80GB at MBU 1: ≈ 14e9 B / 2.039e12 B/s ≈ 6.9 ms per token", () => {
    const e = estimateInference({ ...llama7b, workload: { inputTokens: 1, outputTokens: 1, requestsPerSecondPeak: 1 }, batchSize: 1, bandwidthUtilisation: 1 });
    const handMs = ((2 * P + KV_PER_TOKEN * 1.5) / A100_BW) * 1000;
    expect(e.decodeMsPerToken!.expected).toBeCloseTo(handMs, 6);
    expect(Math.abs(e.decodeMsPerToken!.expected / ((14e9 / A100_BW) * 1000) - 1)).toBeLessThan(0.05);
    expect(e.decodeBound).toBe("memory");
  });

  it("at the default MBU band the time per token widens accordingly (0.5–0.9 of peak)", () => {
    const e = estimateInference({ ...llama7b, batchSize: 1 });
    const bytes = 2 * P + KV_PER_TOKEN * (512 + 128);
    expect(e.decodeMsPerToken!.low).toBeCloseTo((bytes / (A100_BW * 0.9)) * 1000, 6);
    expect(e.decodeMsPerToken!.high).toBeCloseTo((bytes / (A100_BW * 0.5)) * 1000, 6);
  });

  it("large batches become compute-bound (roofline)", () => {
    const e = estimateInference({ model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { inputTokens: 16, outputTokens: 16, requestsPerSecondPeak: 100 }, batchSize: 256 });
    expect(e.decodeBound).toBe("compute");
  });
});

describe("estimateInference", () => {
  it("prefill is compute-bound: prompt FLOPs / (peak × MFU) (hand)", () => {
    const e = estimateInference({ ...llama7b, batchSize: 1 });
    const matmul = L * (4 * H * H + 3 * H * F) + V * H;
    const flops = 2 * matmul * 512 + (4 * L * H * 512 * 513) / 2;
    expect(e.prefillMs!.expected).toBeCloseTo((flops / (312e12 * 0.55)) * 1000, 6);
  });

  it("memory: weights, KV cache per sequence and the largest batch that fits (hand)", () => {
    const e = estimateInference(llama7b);
    expect(e.memory.weightsGb).toBeCloseTo((2 * P) / 1e9, 9);
    expect(e.memory.kvCachePerSequenceGb).toBeCloseTo((KV_PER_TOKEN * 768) / 1e9, 9);
    expect(e.memory.maxBatchThatFits).toBe(Math.floor((80e9 * 0.9 - 2 * P) / (KV_PER_TOKEN * 768)));
    expect(e.memory.fits).toBe(true);
    expect(e.batchChosenBy).toBe("memory-and-cap");
    expect(e.batchSize).toBe(e.memory.maxBatchThatFits);
  });

  it("picks the largest batch whose time per output token meets the target", () => {
    const e = estimateInference({ ...llama7b, latency: { tpotMs: 20 } });
    expect(e.batchChosenBy).toBe("latency-targets");
    expect(e.decodeMsPerToken!.expected).toBeLessThanOrEqual(20);
    const next = estimateInference({ ...llama7b, batchSize: e.batchSize + 1 });
    expect(next.decodeMsPerToken!.expected).toBeGreaterThan(20);
    expect(e.latencyTargets.met).toBe(true);
  });

  it("reports unmet targets instead of failing", () => {
    const e = estimateInference({ ...llama7b, latency: { tpotMs: 1 } });
    expect(e.latencyTargets.met).toBe(false);
    expect(e.latencyTargets.largestBatchMeetingTargets).toBe(0);
    expect(e.warnings.join(" ")).toMatch(/not met even at batch 1/);
  });

  it("replicas and GPUs cover the peak; monthly cost = GPUs × price × 730 h", () => {
    const e = estimateInference({ ...llama7b, pricePerGpuHourUsd: 2 });
    expect(e.replicas.expected).toBe(Math.ceil(10 / e.requestsPerSecPerReplica.expected));
    expect(e.replicas.low).toBe(Math.ceil(10 / e.requestsPerSecPerReplica.high));
    expect(e.gpus).toBe(e.replicas.expected * e.gpusPerReplica);
    expect(e.monthlyCostUsd!.expected).toBeCloseTo(e.gpus * 2 * 730, 6);
    const requestsPerMonth = (10 / 3) * 86400 * (730 / 24);
    expect(e.traffic.requestsPerMonth).toBeCloseTo(requestsPerMonth, 3);
    expect(e.costPerRequestUsd!.expected).toBeCloseTo(e.monthlyCostUsd!.expected / requestsPerMonth, 9);
    expect(e.costPerMillionTokensUsd!.expected).toBeCloseTo((e.monthlyCostUsd!.expected / (requestsPerMonth * 768)) * 1e6, 6);
    expect(e.throughputTokensPerSecPerGpu!.expected).toBeCloseTo((e.requestsPerSecPerReplica.expected * 256) / e.gpusPerReplica, 6);
  });

  it("derives peak traffic from requests per day and the default peak-to-average ratio", () => {
    const e = estimateInference({ ...llama7b, workload: { inputTokens: 512, outputTokens: 256, requestsPerDay: 864_000 } });
    expect(e.traffic.averageRequestsPerSec).toBeCloseTo(10, 9);
    expect(e.traffic.peakRequestsPerSec).toBeCloseTo(30, 9);
    expect(e.assumptions.find((a) => a.name === "peak-to-average traffic ratio")?.value).toBe(3);
  });

  it("compares every hosted model: monthly cost of the same traffic and the break-even traffic (hand)", () => {
    const e = estimateInference({ ...llama7b, pricePerGpuHourUsd: 2, batchSize: 64 });
    expect(e.hostedAlternatives).toHaveLength(listHostedModels().length);
    const gpt4o = e.hostedAlternatives.find((h) => h.id === "gpt-4o")!;
    const perRequest = (512 * 2.5 + 256 * 10) / 1e6;
    expect(gpt4o.costPerRequestUsd).toBeCloseTo(perRequest, 12);
    expect(gpt4o.monthlyCostUsd).toBeCloseTo(perRequest * e.traffic.requestsPerMonth, 6);
    const replicaMonthly = 1 * 2 * 730;
    expect(gpt4o.breakEvenRequestsPerDay).toBeCloseTo(replicaMonthly / perRequest / (730 / 24), 6);
    expect(gpt4o.selfHostCheaperAtThisTraffic).toBe(e.monthlyCostUsd!.expected < gpt4o.monthlyCostUsd);
    const cheapest = e.hostedAlternatives.find((h) => h.id === "groq/llama-3.1-8b-instant")!;
    expect(cheapest.breakEvenRequestsPerDay).toBeNull(); // at $0.05/$0.08 per 1M tokens a replica never pays off
  });

  it("chooses the fewest tensor-parallel GPUs that hold a 70B model", () => {
    const e = estimateInference({ model: { preset: "llama-3-70b" }, hardware: "a100-80gb", workload: { inputTokens: 512, outputTokens: 256, requestsPerSecondPeak: 1 } });
    expect(e.gpusPerReplica).toBe(2);
    expect(e.fewestGpusPerReplicaToFit).toBe(2);
    const one = estimateInference({ model: { preset: "llama-3-70b" }, hardware: "a100-80gb", gpusPerReplica: 1, workload: { inputTokens: 512, outputTokens: 256, requestsPerSecondPeak: 1 } });
    expect(one.memory.fits).toBe(false);
    expect(one.warnings.join(" ")).toMatch(/fewest GPUs per replica that fit are 2/);
  });

  it("quantised weights shrink memory: int4 = 4 bits + group scales", () => {
    const e = estimateInference({ ...llama7b, quantization: "int4" });
    expect(e.memory.weightsGb).toBeCloseTo((P * 4.125) / 8 / 1e9, 9);
    expect(e.hardware.precision).toBe("bf16");
  });

  it("MoE decode at batch 1 reads only the routed experts' weights", () => {
    const e = estimateInference({ model: { preset: "mixtral-8x7b" }, hardware: "h100-sxm", workload: { inputTokens: 1, outputTokens: 1, requestsPerSecondPeak: 1 }, batchSize: 1, bandwidthUtilisation: 1 });
    expect(e.gpusPerReplica).toBe(2); // 93 GB of weights need two H100s
    const bandwidth = 2 * 3.35e12;
    const allWeightsMs = ((e.memory.weightsGb * 1e9) / bandwidth) * 1000;
    const activeWeightsMs = ((e.model.activeParameters * 2) / bandwidth) * 1000;
    expect(e.decodeMsPerToken!.expected).toBeLessThan(allWeightsMs * 0.35);
    expect(e.decodeMsPerToken!.expected).toBeCloseTo(activeWeightsMs, 2); // 2 of 8 experts touched per layer
  });

  it("serves per-sample models per request: ResNet-50 on a T4 (hand roofline)", () => {
    const e = estimateInference({ model: { preset: "resnet-50" }, quantization: "fp16", hardware: "t4", workload: { requestsPerSecondPeak: 100 }, batchSize: 1 });
    expect(e.mode).toBe("samples");
    const flops = forwardFlopsPerSample(resolveModel({ preset: "resnet-50" }));
    expect(flops).toBe(2 * 4_089_184_256);
    const computeMs = (flops / (65e12 * 0.4)) * 1000; // T4 has no published MFU: fallback band, expected 0.40
    const bytes = 25_557_032 * 2 + 2 * 23_234_536 * 2; // weights + every activation written and read once
    const memoryMs = (bytes / (300e9 * 0.7)) * 1000;
    expect(e.requestLatencyMs.expected).toBeCloseTo(Math.max(computeMs, memoryMs), 6);
    expect(e.throughputSamplesPerSecPerGpu!.expected).toBeCloseTo(1000 / e.requestLatencyMs.expected, 6);
    expect(e.throughputTokensPerSecPerGpu).toBeNull();
    expect(e.hostedAlternatives).toEqual([]);
    expect(e.computeUtilisation.source).toMatch(/no published figure for t4/);
  });

  it("serves an audio encoder-decoder (Whisper) with the encoder as prefill", () => {
    const e = estimateInference({ model: { preset: "whisper-small" }, hardware: "l4", quantization: "fp16", workload: { audioSeconds: 60, outputTokens: 200, requestsPerDay: 10_000 } });
    expect(e.mode).toBe("tokens");
    expect(e.prefillMs!.expected).toBeGreaterThan(0);
    expect(e.hostedAlternatives).toEqual([]);
    expect(e.assumptions.some((a) => a.name === "audio window" && a.value === 30)).toBe(true);
  });

  it("a bare parameter count serves without KV cache and says so", () => {
    const e = estimateInference({ model: { parameters: 7e9 }, hardware: "l4", workload: { inputTokens: 100, outputTokens: 100, requestsPerSecondPeak: 1 } });
    expect(e.memory.kvCachePerSequenceGb).toBe(0);
    expect(e.assumptions.some((a) => a.name === "KV cache" && a.value === "not modelled")).toBe(true);
  });

  it("lists every default it used as an assumption with a source", () => {
    const e = estimateInference({ model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 5 } });
    const names = e.assumptions.map((a) => a.name);
    for (const n of ["weight precision", "KV cache precision", "input tokens per request", "output tokens per request", "usable memory fraction", "peak-to-average traffic ratio", "batch cap", "hours per month"]) {
      expect(names, n).toContain(n);
    }
    for (const a of e.assumptions) expect(a.source.length, a.name).toBeGreaterThan(3);
  });
});

describe("estimateHostedApi", () => {
  it("prices a workload on a hosted model: tokens × per-token prices × requests per month (hand)", async () => {
    const { estimateHostedApi } = await import("../src");
    const e = estimateHostedApi({ hostedModel: "gpt-4o-mini", workload: { inputTokens: 600, outputTokens: 150, requestsPerDay: 100_000 } });
    const perRequest = (600 * 0.15 + 150 * 0.6) / 1e6;
    expect(e.costPerRequestUsd).toBeCloseTo(perRequest, 12);
    expect(e.monthlyCostUsd).toBeCloseTo(perRequest * 100_000 * (730 / 24), 6);
    expect(e.traffic.peakRequestsPerSec).toBeCloseTo((100_000 / 86_400) * 3, 9);
    expect(e.assumptions.some((a) => a.name === "gpt-4o-mini input price" && a.value === 0.15)).toBe(true);
  });

  it("rejects an unknown hosted model naming the field", async () => {
    const { estimateHostedApi, EstimatorInputError } = await import("../src");
    try {
      estimateHostedApi({ hostedModel: "gpt-99", workload: { requestsPerDay: 1 } });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(EstimatorInputError);
      expect((e as InstanceType<typeof EstimatorInputError>).path).toEqual(["hostedModel"]);
    }
  });
});
