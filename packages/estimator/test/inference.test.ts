import { describe, expect, it } from "vitest";
import { estimateInference, EstimatorInputError, forwardFlopsPerSample, getAccelerator, getDefaults, listHostedModels, listPresets, replicasForPeak, resolveModel } from "../src";
import type { InferenceInput } from "../src";

const L = 32, H = 4096, F = 11008, V = 32000, P = 6_738_415_616;
const MATMUL = L * (4 * H * H + 3 * H * F) + V * H;
const STREAMED = P - V * H; // weights a step streams: all but the token-embedding table (a step reads one row per token of it)
const KV_PER_TOKEN = 2 * L * 32 * 128 * 2; // Llama 2 7B, fp16
const A100_BW = 2.039e12;
const A100_PEAK = 312e12;
const A100_EFF = 0.869 * 0.7; // MAMF of A100 SXM × the expected serving fraction
const s = getDefaults().inference.serving;
// kernel boundaries per decoder layer (Hazy Research 2025): Llama-3.2-1B's 1,235,814,400 bf16 weights on an
// H100 (3.35e12 B/s) reach 50% of the bandwidth as a kernel sequence and 78% as one kernel; over its 16 layers
const BOUNDARY_PER_LAYER_S = (((1_235_814_400 * 2) / 3.35e12) * (1 / 0.5 - 1 / 0.78)) / 16;
const BOUNDARY_S = L * BOUNDARY_PER_LAYER_S; // Llama 2 7B's 32 layers, every step

const llama7b: InferenceInput = {
  model: { preset: "llama-2-7b" },
  quantization: "fp16",
  hardware: "a100-80gb",
  gpusPerReplica: 1,
  workload: { inputTokens: 512, outputTokens: 256, requestsPerSecondPeak: 10 },
};

describe("single-stream decode is bound by memory bandwidth", () => {
  it("7B fp16 on A100-80GB at MBU 1: ≈ 13.2e9 B (the 13.5e9 B of weights less the embedding table) / 2.039e12 B/s ≈ 6.5 ms per token, plus 32 layers' kernel boundaries ≈ 1.06 ms", () => {
    const e = estimateInference({ ...llama7b, workload: { inputTokens: 1, outputTokens: 1, requestsPerSecondPeak: 1 }, batchSize: 1, bandwidthUtilisation: 1 });
    // weights streamed once by the linear layers (the LM head included, the embedding table not) + the KV cache read by attention (average context 1.5)
    const handMs = ((2 * STREAMED + KV_PER_TOKEN * 1.5) / A100_BW + BOUNDARY_S) * 1000;
    expect(BOUNDARY_PER_LAYER_S * 1e6).toBeCloseTo(33.1, 1);
    expect(e.decodeMsPerToken!.expected).toBeCloseTo(handMs, 6);
    expect(Math.abs(e.decodeMsPerToken!.expected / ((13.2e9 / A100_BW + BOUNDARY_S) * 1000) - 1)).toBeLessThan(0.01);
    expect(e.decodeBound).toBe("memory");
  });

  it("serves 16-bit weights as FP16 by default where the accelerator has no BF16 (T4), and as BF16 elsewhere", () => {
    const t4 = estimateInference({ model: { preset: "llama-3-8b" }, hardware: "t4", workload: { inputTokens: 500, outputTokens: 200, requestsPerSecondPeak: 1 } });
    expect(t4.quantization).toBe("fp16");
    expect(t4.assumptions.find((x) => x.name === "weight precision")?.source).toContain("no published BF16 peak");
    expect(t4.assumptions.find((x) => x.name === "KV cache precision")?.value).toBe("fp16");
    expect(estimateInference({ model: { preset: "llama-3-8b" }, hardware: "l4", workload: { requestsPerSecondPeak: 1 } }).quantization).toBe("bf16");
  });

  it("serves in FP32 by default on a CPU that publishes no 16-bit peak, and runs llama.cpp's formats there at FP32", () => {
    const cpu = estimateInference({ model: { parameters: 7e9 }, hardware: "cpu-epyc-9654", workload: { inputTokens: 300, outputTokens: 200, requestsPerDay: 1000 } });
    expect(cpu.quantization).toBe("fp32");
    expect(cpu.assumptions.find((x) => x.name === "weight precision")?.source).toContain("neither a BF16 nor an FP16 peak");
    expect(cpu.assumptions.find((x) => x.name === "KV cache precision")?.value).toBe("fp32");
    const q4 = estimateInference({ model: { preset: "llama-3-8b" }, hardware: "cpu-epyc-9654", engine: "llama.cpp", quantization: "gguf-q4_k_m", workload: { requestsPerDay: 1000 } });
    expect(q4.assumptions.find((x) => x.name === "gguf-q4_k_m compute")?.value).toBe("fp32 matmuls on dequantised weights");
  });

  it("at the default MBU band the time per token widens accordingly (0.5–0.9 of peak)", () => {
    const e = estimateInference({ ...llama7b, batchSize: 1 });
    const bytes = 2 * STREAMED + KV_PER_TOKEN * (512 + 128);
    expect(e.decodeMsPerToken!.low).toBeCloseTo((bytes / (A100_BW * 0.9) + BOUNDARY_S) * 1000, 6);
    expect(e.decodeMsPerToken!.high).toBeCloseTo((bytes / (A100_BW * 0.5) + BOUNDARY_S) * 1000, 6);
  });

  it("large batches make the linear layers compute-bound (roofline per operator)", () => {
    const e = estimateInference({ model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { inputTokens: 16, outputTokens: 16, requestsPerSecondPeak: 100 }, batchSize: 256 });
    expect(e.decodeBound).toBe("compute");
  });
});

describe("a prompt and a mixed engine step (hand)", () => {
  it("prefill alone: weights streamed once, prompt matmuls and causal attention on the compute roofline", () => {
    const e = estimateInference({ ...llama7b, batchSize: 1 });
    const I = 512;
    const linear = Math.max((2 * STREAMED) / (A100_BW * 0.7), (2 * MATMUL * I) / (A100_PEAK * A100_EFF));
    const attention = Math.max((I * KV_PER_TOKEN) / (A100_BW * 0.7), (I * 4 * L * ((I + 1) / 2) * H) / (A100_PEAK * A100_EFF));
    expect(e.prefillMs!.expected).toBeCloseTo((linear + attention + BOUNDARY_S) * 1000, 6);
  });

  it("a saturated step: B decodes + B·I/O prefill tokens on average, throughput B per step; a sequence's TPOT carries the other B − 1 slots' prompts", () => {
    const e = estimateInference({ ...llama7b, batchSize: 64 });
    const B = 64, I = 512, O = 256, ctx = I + O / 2;
    const step = (pre: number) => {
      const linear = Math.max((2 * STREAMED) / (A100_BW * 0.7), (2 * MATMUL * (B + pre)) / (A100_PEAK * A100_EFF));
      const decodeAttention = Math.max((B * KV_PER_TOKEN * ctx) / (A100_BW * 0.7), (B * 4 * L * ctx * H) / (A100_PEAK * A100_EFF));
      const prefillAttention = Math.max((pre * KV_PER_TOKEN) / (A100_BW * 0.7), (pre * 4 * L * ((I + 1) / 2) * H) / (A100_PEAK * A100_EFF));
      return linear + decodeAttention + prefillAttention + BOUNDARY_S;
    };
    const average = step((B * I) / O);
    // its own prompt was prefilled before its first token (the TTFT): the steps between its tokens carry the others'
    expect(e.tpotMs!.expected).toBeCloseTo(step(((B - 1) * I) / O) * 1000, 6);
    expect(e.throughputTokensPerSecPerGpu!.expected).toBeCloseTo(B / average, 3);
    expect(e.requestsPerSecPerReplica.expected).toBeCloseTo(B / average / O, 6);
  });

  it("one sequence alone: its TPOT is a decode-only step, so a long prompt is not charged to every output token", () => {
    const body: InferenceInput = { model: { preset: "llama-3.1-8b" }, hardware: "h100-sxm", workload: { inputTokens: 120_000, outputTokens: 100, requestsPerSecondPeak: 0.1 }, latency: { tpotMs: 20 } };
    const e = estimateInference({ ...body, gpusPerReplica: 1, batchSize: 1 });
    expect(e.tpotMs!.expected).toBeCloseTo(e.decodeMsPerToken!.expected, 9);
    // request = TTFT + (O − 1) decode steps: the prompt counted once
    expect(e.requestLatencyMs.expected).toBeCloseTo(e.ttftMs!.expected + 99 * e.decodeMsPerToken!.expected, 6);
    // a 120K-token prompt at 0.1 requests/s meets a 20 ms TPOT on one or two H100s, not eight
    const chosen = estimateInference(body);
    expect(chosen.gpus).toBeLessThanOrEqual(2);
    expect(chosen.latencyTargets.met).toBe(true);
  });
});

describe("a mixture of experts given by its counts", () => {
  it("reads every weight each step, as a dense model, and says so: the routing is unknown", () => {
    const workload = { inputTokens: 1000, outputTokens: 200, requestsPerSecondPeak: 1 };
    const counts = estimateInference({ model: { parameters: 46.7e9, activeParameters: 12.9e9 }, hardware: "h100-sxm", gpusPerReplica: 2, batchSize: 1, workload });
    const preset = estimateInference({ model: { preset: "mixtral-8x7b" }, hardware: "h100-sxm", gpusPerReplica: 2, batchSize: 1, workload });
    expect(counts.decodeMsPerToken!.expected).toBeGreaterThan(2.5 * preset.decodeMsPerToken!.expected);
    expect(counts.warnings.some((w) => w.startsWith("activeParameters (12.9B) is below parameters (46.7B)") && w.includes("architecture with moe"))).toBe(true);
    expect(preset.warnings.some((w) => w.startsWith("activeParameters"))).toBe(false);
    const dense = estimateInference({ model: { parameters: 8e9 }, hardware: "h100-sxm", workload });
    expect(dense.warnings.some((w) => w.startsWith("activeParameters"))).toBe(false);
  });
});

describe("concurrency from the KV-cache pool", () => {
  it("a prompt as long as the step budget prefills in one step when it runs alone (A100: 2,048 tokens)", () => {
    const e = estimateInference({ ...llama7b, workload: { inputTokens: 2048, outputTokens: 128, requestsPerSecondPeak: 1 }, batchSize: 1 });
    // TTFT = the prompt's one chunk (nothing else decodes beside it) + half a step's wait for admission
    expect(e.ttftMs!.expected).toBeCloseTo(e.prefillMs!.expected + 0.5 * e.tpotMs!.expected, 6);
    const longer = estimateInference({ ...llama7b, workload: { inputTokens: 2049, outputTokens: 128, requestsPerSecondPeak: 1 }, batchSize: 1 });
    expect(longer.ttftMs!.expected).toBeGreaterThan(longer.prefillMs!.expected + 0.5 * longer.tpotMs!.expected + 0.5 * e.prefillMs!.expected);
  });

  it("gpuMemoryUtilization gives the engine more of each GPU: Llama 2 70B FP16 on one H200 fits at 95%, not at vLLM's 90%", () => {
    const body: InferenceInput = { model: { preset: "llama-2-70b" }, hardware: "h200", gpusPerReplica: 1, workload: { inputTokens: 128, outputTokens: 2048, requestsPerSecondPeak: 1 } };
    const vllm = estimateInference(body);
    expect(vllm.memory.fits).toBe(false);
    expect(vllm.warnings[0]).toBe("does not fit on 1 × h200 at 90% of each GPU's memory; the fewest GPUs per replica that fit are 2 (it would fit on 1 if the engine took more of each GPU: gpuMemoryUtilization, vLLM's --gpu-memory-utilization)");
    // no share of one H200 holds 405B: no such hint
    const huge = estimateInference({ ...body, model: { preset: "llama-3.1-405b" } });
    expect(huge.warnings[0]).toMatch(/^does not fit on 1 × h200 at 90% of each GPU's memory; the fewest GPUs per replica that fit are \d+$/);
    const more = estimateInference({ ...body, gpuMemoryUtilization: 0.95 });
    expect(more.memory.fits).toBe(true);
    // the engine now takes 95% of the 143,771 MiB nvidia-smi reports on an H200
    expect(more.memory.perReplicaUsableGb).toBeCloseTo((0.95 * getAccelerator("h200")!.memoryBytes.value!) / 1e9, 9);
    expect(getAccelerator("h200")!.memoryBytes.value).toBe(143_771 * 2 ** 20);
    expect(more.assumptions.find((a) => a.name === "usable memory fraction")).toMatchObject({ value: 0.95, source: "request (gpuMemoryUtilization)" });
    expect(() => estimateInference({ ...body, gpuMemoryUtilization: 1.5 })).toThrow(expect.objectContaining({ path: ["gpuMemoryUtilization"] }));
  });

  it("memory: weights, KV cache per sequence, the pool and the concurrency it holds (hand)", () => {
    const e = estimateInference({ ...llama7b, maxConcurrentSequences: 100_000 });
    expect(e.memory.weightsGb).toBeCloseTo((2 * P) / 1e9, 9);
    expect(e.memory.kvCachePerSequenceGb).toBeCloseTo((KV_PER_TOKEN * 768) / 1e9, 9);
    const workspace = 2048 * (4 * H + 2 * F) * 2; // A100: vLLM's 2,048-token step budget
    const pool = 81_920 * 2 ** 20 * 0.9 - 2 * P - workspace; // the A100 80GB's nvidia-smi total, × vLLM's 0.9
    expect(e.memory.kvCachePoolGb! * 1e9).toBeCloseTo(pool, 0);
    const byMemory = Math.floor((pool * 0.95) / (KV_PER_TOKEN * (512 + 128 + 8)));
    expect(e.memory.maxBatchThatFits).toBe(byMemory);
    const byBudget = Math.floor(2048 / (1 + 512 / 256));
    expect(e.memory.maxConcurrency).toBe(Math.min(byMemory, byBudget));
    expect(e.memory.concurrencyLimitedBy).toBe(byMemory < byBudget ? "kv-cache" : "step-token-budget");
    expect(e.batchChosenBy).toBe("memory-and-cap");
    expect(e.batchSize).toBe(e.memory.maxConcurrency);
  });

  it("the default cap is vLLM's max_num_seqs for the device: 256 on A100, 1024 on H100", () => {
    const a100 = estimateInference({ model: { preset: "llama-3.2-1b" }, hardware: "a100-80gb", workload: { inputTokens: 64, outputTokens: 512, requestsPerSecondPeak: 1 } });
    expect(a100.batchSize).toBe(256);
    expect(a100.memory.concurrencyLimitedBy).toBe("concurrency-cap");
    const h100 = estimateInference({ model: { preset: "llama-3.2-1b" }, hardware: "h100-sxm", workload: { inputTokens: 64, outputTokens: 512, requestsPerSecondPeak: 1 } });
    expect(h100.batchSize).toBe(1024);
  });

  it("longer sequences hold fewer concurrent sequences and serve fewer tokens per GPU (8B on one H200)", () => {
    const at = (i: number, o: number) => estimateInference({ model: { parameters: 8e9 }, hardware: "h200", gpusPerReplica: 1, workload: { inputTokens: i, outputTokens: o, requestsPerSecondPeak: 1 } });
    const short = at(128, 128);
    const long = at(2048, 2048);
    expect(long.batchSize).toBeLessThan(short.batchSize);
    expect(short.throughputTokensPerSecPerGpu!.expected / long.throughputTokensPerSecPerGpu!.expected).toBeGreaterThan(1.5);
  });
});

describe("latency targets", () => {
  it("picks the largest concurrency whose time per output token meets the target", () => {
    const e = estimateInference({ ...llama7b, latency: { tpotMs: 20 } });
    expect(e.batchChosenBy).toBe("latency-targets");
    expect(e.tpotMs!.expected).toBeLessThanOrEqual(20);
    const next = estimateInference({ ...llama7b, gpusPerReplica: e.gpusPerReplica, batchSize: e.batchSize + 1 });
    expect(next.tpotMs!.expected).toBeGreaterThan(20);
    expect(e.latencyTargets.met).toBe(true);
  });

  it("reports unmet targets instead of failing, with the request time", () => {
    const e = estimateInference({ ...llama7b, latency: { tpotMs: 1 } });
    expect(e.latencyTargets.met).toBe(false);
    expect(e.latencyTargets.largestBatchMeetingTargets).toBe(0);
    expect(e.warnings.join(" ")).toMatch(/not met even at 1 concurrent request/);
  });
});

describe("replicas and money", () => {
  it("replicas = ⌈peak ÷ (capacity × target utilisation)⌉; monthly cost = GPUs × price × 730 h", () => {
    const e = estimateInference({ ...llama7b, pricePerGpuHourUsd: 2 });
    const u = getDefaults().replicaTargetUtilisation.value;
    expect(e.replicaTargetUtilisation).toBe(u);
    expect(e.replicas.expected).toBe(Math.ceil(10 / (e.requestsPerSecPerReplica.expected * u)));
    expect(e.replicas.expected).toBe(replicasForPeak(10, e.requestsPerSecPerReplica.expected));
    expect(e.replicas.low).toBe(Math.ceil(10 / (e.requestsPerSecPerReplica.high * u)));
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

  it("takes the traffic as a peak or as requests per day, not both: one follows from the other and peakToAverage", () => {
    const both = { inputTokens: 512, outputTokens: 256, requestsPerSecondPeak: 30, requestsPerDay: 100 };
    for (const workload of [both, { ...both, requestsPerDay: 2_000_000 }, { ...both, peakToAverage: 2 }]) {
      const thrown = (() => {
        try {
          estimateInference({ ...llama7b, workload });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(thrown).toBeInstanceOf(EstimatorInputError);
      expect(thrown).toMatchObject({ path: ["workload", "requestsPerDay"], message: expect.stringMatching(/^give workload\.requestsPerSecondPeak or workload\.requestsPerDay, not both/) });
    }
    const perDay = estimateInference({ ...llama7b, workload: { inputTokens: 512, outputTokens: 256, requestsPerDay: 864_000, peakToAverage: 2 } });
    expect(perDay.traffic.peakRequestsPerSec).toBeCloseTo(20, 9);
  });

  it("compares every hosted model: monthly cost of the same traffic and the break-even traffic (hand)", () => {
    const e = estimateInference({ ...llama7b, pricePerGpuHourUsd: 2, batchSize: 64, gpusPerReplica: 1 });
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
});

describe("latency at the peak (atPeak)", () => {
  const supportBot: InferenceInput = { model: { preset: "llama-3.1-8b" }, hardware: "h100-pcie", workload: { inputTokens: 1200, outputTokens: 150, requestsPerSecondPeak: 12 } };
  const rps = (e: ReturnType<typeof estimateInference>) => 1000 / (e.tpotMs!.expected * 150);

  it("each replica carries peak ÷ replicas at the fewest sequences whose throughput carries it (Little's law), not at the sizing batch", () => {
    const e = estimateInference(supportBot);
    const p = e.atPeak!;
    expect(e.batchChosenBy).toBe("memory-and-cap");
    expect(p.requestsPerSecPerReplica).toBeCloseTo(12 / e.replicas.expected, 9);
    expect(p.utilisation).toBeCloseTo(p.requestsPerSecPerReplica / e.requestsPerSecPerReplica.expected, 9);
    expect(p.utilisation).toBeLessThanOrEqual(e.replicaTargetUtilisation);
    // the concurrency is the smallest whose expected throughput carries the load: one fewer does not
    const at = estimateInference({ ...supportBot, gpusPerReplica: e.gpusPerReplica, batchSize: p.concurrency });
    const below = estimateInference({ ...supportBot, gpusPerReplica: e.gpusPerReplica, batchSize: p.concurrency - 1 });
    expect(p.concurrency * rps(at)).toBeGreaterThanOrEqual(p.requestsPerSecPerReplica);
    expect((p.concurrency - 1) * rps(below)).toBeLessThan(p.requestsPerSecPerReplica);
    // and its latencies are those of that batch: a support bot at 40% of a replica answers in ~2 s, not the ~21 s of saturation
    expect(p.tpotMs).toEqual(at.tpotMs);
    expect(p.ttftMs).toEqual(at.ttftMs);
    expect(p.requestLatencyMs).toEqual(at.requestLatencyMs);
    expect(p.concurrency).toBeLessThan(e.batchSize);
    expect(p.requestLatencyMs.expected).toBeLessThan(e.requestLatencyMs.expected / 5);
    expect(e.assumptions.some((a) => a.name === "latency at the peak" && /Little/.test(a.source))).toBe(true);
  });

  it("never runs past the sizing batch, and meets the latency targets the fleet was sized for", () => {
    const e = estimateInference({ ...supportBot, latency: { requestMs: 3000 } });
    expect(e.batchChosenBy).toBe("latency-targets");
    expect(e.atPeak!.concurrency).toBeLessThanOrEqual(e.batchSize);
    expect(e.atPeak!.requestLatencyMs.expected).toBeLessThanOrEqual(e.requestLatencyMs.expected);
    expect(e.atPeak!.requestLatencyMs.expected).toBeLessThanOrEqual(3000);
  });

  it("light traffic runs one sequence at a time: the latency of a lone request", () => {
    const e = estimateInference({ ...supportBot, workload: { ...supportBot.workload, requestsPerSecondPeak: 0.01 } });
    const lone = estimateInference({ ...supportBot, gpusPerReplica: e.gpusPerReplica, batchSize: 1 });
    expect(e.atPeak!.concurrency).toBe(1);
    expect(e.atPeak!.requestLatencyMs).toEqual(lone.requestLatencyMs);
  });

  it("static batches (per-sample models) add the wait for the batch in progress, as often as the replica is busy (hand)", () => {
    const input: InferenceInput = { model: { preset: "resnet-50" }, quantization: "fp16", hardware: "t4", workload: { requestsPerSecondPeak: 100 } };
    const e = estimateInference(input);
    const p = e.atPeak!;
    const at = estimateInference({ ...input, gpusPerReplica: e.gpusPerReplica, batchSize: p.concurrency });
    // a batch of b takes one step (the request time is the batch's time)
    const cycleMs = at.requestLatencyMs.expected;
    const busy = Math.min(1, (p.requestsPerSecPerReplica * cycleMs) / 1000 / p.concurrency);
    expect(p.requestLatencyMs.expected).toBeCloseTo(cycleMs + (busy * cycleMs) / 2, 9);
    expect(p.tpotMs).toBeNull();
  });

  it("is null when the model does not fit", () => {
    const e = estimateInference({ model: { preset: "llama-3.1-70b" }, hardware: "l4", gpusPerReplica: 1, workload: { inputTokens: 100, outputTokens: 100, requestsPerSecondPeak: 1 } });
    expect(e.memory.fits).toBe(false);
    expect(e.atPeak).toBeNull();
  });
});

describe("tensor-parallel choice", () => {
  const seventy: InferenceInput = { model: { preset: "llama-3-70b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 20 }, latency: { ttftMs: 500 } };

  it("compares 1, 2, 4 and 8 GPUs per replica and picks the fewest GPUs for the traffic that meet the targets", () => {
    const e = estimateInference(seventy);
    expect(e.tensorParallel.chosenBy).toBe("cheapest-meeting-targets");
    expect(e.tensorParallel.alternatives.map((a) => a.gpusPerReplica)).toEqual([1, 2, 4, 8]);
    const one = e.tensorParallel.alternatives[0];
    expect(one.fits).toBe(false);
    const feasible = e.tensorParallel.alternatives.filter((a) => a.fits && a.meetsTargets);
    expect(e.gpus).toBe(Math.min(...feasible.map((a) => a.gpus as number)));
    for (const a of feasible) expect(a.monthlyCostUsd).toBeCloseTo((a.gpus as number) * e.pricing!.onDemandUsdPerGpuHour * 730, 6);
    expect(e.tensorParallel.alternatives.filter((a) => a.chosen)).toHaveLength(1);
    expect(e.latencyTargets.met).toBe(true);
  });

  it("within 1.5× of the cheapest explicit gpusPerReplica (issue 12 target)", () => {
    const byDefault = estimateInference(seventy);
    const explicit = [2, 4, 8].map((tp) => estimateInference({ ...seventy, gpusPerReplica: tp })).filter((e) => e.memory.fits && e.latencyTargets.met);
    expect(byDefault.gpus).toBeLessThanOrEqual(1.5 * Math.min(...explicit.map((e) => e.gpus)));
  });

  it("the all-reduce term grows with the tensor-parallel degree: 8 GPUs decode a sequence faster, but not 4× faster than 2", () => {
    const at = (tp: number) => estimateInference({ ...seventy, gpusPerReplica: tp, batchSize: 1 }).decodeMsPerToken!.expected;
    expect(at(8)).toBeLessThan(at(2));
    expect(at(2) / at(8)).toBeLessThan(4);
  });

  it("warns when a given gpusPerReplica leaves fewer than 16 concurrent sequences, naming the better choice", () => {
    // 4,096 + 1,024 tokens a request: two H100s hold 141 GB of weights and 7 such sequences
    const e = estimateInference({ ...seventy, workload: { inputTokens: 4096, outputTokens: 1024, requestsPerSecondPeak: 20 }, latency: undefined, gpusPerReplica: 2 });
    expect(e.batchSize).toBeLessThan(s.minConcurrentSequencesWarning.value);
    const w = e.warnings.find((x) => x.startsWith("gpusPerReplica 2 leaves room for"));
    expect(w).toMatch(/gpusPerReplica (4|8) serves this traffic with \d+ GPUs instead of \d+/);
  });

  it("a model that needs more than one node says so", () => {
    const e = estimateInference({ model: { preset: "llama-3.1-405b" }, hardware: "a100-80gb", workload: { requestsPerSecondPeak: 1 } });
    expect(e.gpusPerReplica).toBeGreaterThan(8);
    expect(e.warnings.join(" ")).toMatch(/more than one 8-GPU node/);
  });
});

describe("other models and formats", () => {
  it("quantised weights shrink memory: int4 = 4 bits + group scales", () => {
    const e = estimateInference({ ...llama7b, quantization: "int4" });
    expect(e.memory.weightsGb).toBeCloseTo((P * 4.125) / 8 / 1e9, 9);
    expect(e.hardware.precision).toBe("bf16");
  });

  it("nvfp4 on a B200: 4.5 bits per weight, W4A4 matmuls at the dense FP4 peak, a 16-bit KV cache", () => {
    const body: InferenceInput = { model: { preset: "llama-3.1-70b" }, hardware: "b200", gpusPerReplica: 1, workload: { inputTokens: 8192, outputTokens: 1, requestsPerSecondPeak: 1 }, batchSize: 1 };
    const fp4 = estimateInference({ ...body, quantization: "nvfp4" });
    const fp8 = estimateInference({ ...body, quantization: "fp8" });
    expect(fp4.memory.weightsGb).toBeCloseTo((fp4.model.parameters * 4.5) / 8 / 1e9, 9);
    expect(fp4.hardware.precision).toBe("fp4");
    expect(fp4.hardware.peakFlopsPerS).toBe(2 * fp8.hardware.peakFlopsPerS); // 9 PF dense FP4, 4.5 PF FP8
    expect(fp4.memory.kvCachePerSequenceGb).toBe(2 * estimateInference({ ...body, quantization: "nvfp4", kvCachePrecision: "fp8" }).memory.kvCachePerSequenceGb);
    expect(fp4.assumptions.map((a) => a.name)).toEqual(expect.arrayContaining(["nvfp4 compute", "nvfp4 bits per weight"]));
    // an 8,192-token prompt is compute-bound: at twice the peak (same efficiency band: neither has a MAMF figure) it prefills in under 3/4 of the FP8 time
    expect(fp4.prefillMs!.expected).toBeLessThan(0.75 * fp8.prefillMs!.expected);
  });

  it("attention runs in the KV cache's format: a long NVFP4 prompt's attention at the 16-bit peak, at the FP8 peak with an FP8 cache", () => {
    const body: InferenceInput = { model: { preset: "llama-3.1-70b" }, hardware: "b200", gpusPerReplica: 1, quantization: "nvfp4", workload: { inputTokens: 32_000, outputTokens: 1, requestsPerSecondPeak: 1 }, batchSize: 1 };
    const bf16Cache = estimateInference(body);
    const fp8Cache = estimateInference({ ...body, kvCachePrecision: "fp8" });
    const attention = bf16Cache.assumptions.find((a) => a.name === "attention compute");
    expect(attention?.value).toMatch(/^bf16 attention/);
    expect(fp8Cache.assumptions.find((a) => a.name === "attention compute")?.value).toMatch(/^fp8 attention/);
    // the same linear layers; attention (about a quarter of a 32K prompt's FLOPs) at half the FP8 rate
    expect(bf16Cache.prefillMs!.expected).toBeGreaterThan(1.15 * fp8Cache.prefillMs!.expected);
    // an FP8 cache on an accelerator without FP8 tensor cores is dequantised, and says so
    const a100 = estimateInference({ ...body, hardware: "a100-80gb", quantization: "int8", kvCachePrecision: "fp8" });
    expect(a100.assumptions.find((a) => a.name === "attention compute")?.value).toBe("bf16 attention (the fp8 KV cache dequantised) beside int8 matmuls");
    // 16-bit weights with a 16-bit cache: one peak, no separate assumption
    expect(estimateInference({ ...body, quantization: "bf16", gpusPerReplica: 2 }).assumptions.some((a) => a.name === "attention compute")).toBe(false);
  });

  it("refuses nvfp4 where there are no FP4 tensor cores, or on an engine that does not run it, naming the field", () => {
    const body: InferenceInput = { model: { preset: "llama-3-8b" }, quantization: "nvfp4", hardware: "h100-sxm", workload: { requestsPerSecondPeak: 1 } };
    // the accelerators that have an FP4 peak (B200 alone), and the formats this one runs instead
    expect(() => estimateInference(body)).toThrow(expect.objectContaining({ path: ["quantization"], message: expect.stringMatching(/no FP4 peak \(the catalog's accelerators with one: b200\); give fp8, int8 or int4 for h100-sxm$/) }));
    expect(() => estimateInference({ ...body, hardware: "a100-80gb" })).toThrow(expect.objectContaining({ message: expect.stringMatching(/with one: b200\); give int8 or int4 for a100-80gb$/) }));
    expect(() => estimateInference({ ...body, hardware: "b200", engine: "llama.cpp" })).toThrow(expect.objectContaining({ path: ["quantization"] }));
    expect(() => estimateInference({ ...body, hardware: "b200" })).not.toThrow();
  });

  it("MoE decode at batch 1 reads only the routed experts' weights", () => {
    const e = estimateInference({ model: { preset: "mixtral-8x7b" }, hardware: "h100-sxm", gpusPerReplica: 2, workload: { inputTokens: 1, outputTokens: 1, requestsPerSecondPeak: 1 }, batchSize: 1, bandwidthUtilisation: 1 });
    const bandwidth = 2 * 3.35e12;
    const allWeightsMs = ((e.memory.weightsGb * 1e9) / bandwidth) * 1000;
    const activeWeightsMs = ((e.model.activeParameters * 2) / bandwidth) * 1000;
    // + 32 layers' kernel boundaries and two all-reduces per layer over 2 GPUs (NCCL: 6.6 µs + 2 steps × 0.6 µs)
    const fixedMs = 32 * (BOUNDARY_PER_LAYER_S + 2 * 7.8e-6) * 1000;
    expect(e.decodeMsPerToken!.expected - fixedMs).toBeLessThan(allWeightsMs * 0.35);
    // active weights less the token-embedding table (32,000 × 4,096 × 2 B, about 1% of them), which a step does not stream
    expect(e.decodeMsPerToken!.expected).toBeGreaterThan(((e.model.activeParameters - 32_000 * 4_096) * 2 / bandwidth) * 1000 + fixedMs);
    expect(e.decodeMsPerToken!.expected).toBeLessThan(activeWeightsMs * 1.2 + fixedMs);
  });

  it("serves per-sample models per request: ResNet-50 on a T4 (hand roofline)", () => {
    const e = estimateInference({ model: { preset: "resnet-50" }, quantization: "fp16", hardware: "t4", workload: { requestsPerSecondPeak: 100 }, batchSize: 1 });
    expect(e.mode).toBe("samples");
    const flops = forwardFlopsPerSample(resolveModel({ preset: "resnet-50" }));
    expect(flops).toBe(2 * 4_089_184_256);
    const computeMs = (flops / (65e12 * s.fallbackComputeEfficiency.expected)) * 1000; // T4: no MAMF figure, fallback band
    const bytes = 25_557_032 * 2 + 2 * 23_234_536 * 2; // weights + every activation written and read once
    const memoryMs = (bytes / (300e9 * 0.7)) * 1000;
    expect(e.requestLatencyMs.expected).toBeCloseTo(Math.max(computeMs, memoryMs), 6);
    expect(e.throughputSamplesPerSecPerGpu!.expected).toBeCloseTo(1000 / e.requestLatencyMs.expected, 6);
    expect(e.throughputTokensPerSecPerGpu).toBeNull();
    expect(e.hostedAlternatives).toEqual([]);
    expect(e.computeUtilisation.source).toMatch(/no MAMF figure for t4/);
  });

  it("serves an audio encoder-decoder (Whisper) with the encoder as prefill", () => {
    const e = estimateInference({ model: { preset: "whisper-small" }, hardware: "l4", quantization: "fp16", workload: { audioSeconds: 60, outputTokens: 200, requestsPerDay: 10_000 } });
    expect(e.mode).toBe("tokens");
    expect(e.prefillMs!.expected).toBeGreaterThan(0);
    expect(e.hostedAlternatives).toEqual([]);
    expect(e.assumptions.some((a) => a.name === "audio window" && a.value === 30)).toBe(true);
  });

  it("models other than decoder LLMs list the static batching they are served with, not a decoder engine's settings", () => {
    const decoderOnly = ["serving engine", "engine step token budget", "concurrent sequences cap per replica", "KV-cache fill factor", "KV-cache block"];
    for (const preset of ["bert-base", "resnet-50", "vit-b-16", "whisper-small"]) {
      const e = estimateInference({ model: { preset }, hardware: "t4", workload: { requestsPerSecondPeak: 10 } });
      const names = e.assumptions.map((a) => a.name);
      for (const n of decoderOnly) expect(names, `${preset}: ${n}`).not.toContain(n);
      expect(e.assumptions.find((a) => a.name === "serving model")).toMatchObject({ value: "static batches of requests", unit: "rule" });
      // the engines' concurrency cap is the largest static batch here, and says so
      const cap = e.assumptions.find((a) => a.name === "requests per batch cap per replica");
      expect(cap, preset).toMatchObject({ value: 256, unit: "requests" });
      expect(cap!.source).toMatch(/^modelplan choice: the continuous-batching engines' concurrency cap taken as the largest static batch \(vllm-project\/vllm/);
      expect(e.memory.maxConcurrency).toBeLessThanOrEqual(256);
      // only a model that keeps a KV cache (Whisper's decoder) lists its format
      expect(names.includes("KV cache precision"), preset).toBe(preset === "whisper-small");
    }
    const capped = estimateInference({ model: { preset: "resnet-50" }, hardware: "t4", maxConcurrentSequences: 8, workload: { requestsPerSecondPeak: 10 } });
    expect(capped.memory.maxConcurrency).toBe(8);
    expect(capped.assumptions.some((a) => a.name === "requests per batch cap per replica")).toBe(false);
  });

  it("lists every default it used as an assumption with a source", () => {
    const e = estimateInference({ model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 5 } });
    const names = e.assumptions.map((a) => a.name);
    for (const n of ["weight precision", "KV cache precision", "input tokens per request", "output tokens per request", "usable memory fraction", "peak-to-average traffic ratio", "concurrent sequences cap per replica", "engine step token budget", "KV-cache fill factor", "replica sizing", "hours per month"]) {
      expect(names, n).toContain(n);
    }
    for (const a of e.assumptions) expect(a.source.length, a.name).toBeGreaterThan(3);
  });

  it("cites the estimator's serving track record in one line", () => {
    const e = estimateInference({ model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 5 } });
    expect(e.trackRecord).toMatch(/^estimator median error on \d+ published serving throughputs/);
  });
});

describe("a bare parameter count is never empty", () => {
  it("infers a decoder shape from the presets, says so, and serves with a KV cache", () => {
    const e = estimateInference({ model: { parameters: 7e9 }, hardware: "l4", workload: { inputTokens: 100, outputTokens: 100, requestsPerSecondPeak: 1 } });
    expect(e.model.architectureSource).toBe("inferred-from-parameter-count");
    const a = e.model.inferredArchitecture!;
    expect(a.layers).toBeGreaterThan(20);
    expect(a.kvHeads).toBe(8);
    expect(Math.abs(a.parametersOfShape / 7e9 - 1)).toBeLessThan(0.05);
    expect(e.memory.kvCachePerSequenceGb).toBeCloseTo((2 * a.layers * a.kvHeads * a.headDim * 2 * 200) / 1e9, 9);
    expect(e.assumptions.find((x) => x.name === "architecture")?.value).toBe("inferred from the parameter count");
  });

  it("takes contextLength, kvHeads, layers, hidden and heads as overrides", () => {
    const e = estimateInference({ model: { parameters: 7e9, kvHeads: 32, layers: 32, hidden: 4096, heads: 32, contextLength: 4096 }, hardware: "a100-80gb", workload: { inputTokens: 100, outputTokens: 100, requestsPerSecondPeak: 1 } });
    const a = e.model.inferredArchitecture!;
    expect([a.layers, a.hidden, a.heads, a.kvHeads, a.contextLength]).toEqual([32, 4096, 32, 32, 4096]);
    expect(e.memory.kvCachePerSequenceGb).toBeCloseTo((KV_PER_TOKEN * 200) / 1e9, 9);
  });

  it("a transformer decoder never has a zero KV cache: every decoder preset and parameter counts from 100M to 1T", () => {
    const models = [...listPresets().filter((p) => p.architecture.family === "decoder").map((p) => ({ preset: p.id })), ...[1e8, 1e9, 7e9, 7e10, 1e12].map((n) => ({ parameters: n }))];
    for (const model of models) {
      const e = estimateInference({ model, hardware: "h200", workload: { inputTokens: 128, outputTokens: 128, requestsPerSecondPeak: 1 } });
      expect(e.memory.kvCachePerSequenceGb, JSON.stringify(model)).toBeGreaterThan(0);
      expect(e.memory.maxConcurrency, JSON.stringify(model)).toBeLessThan(1e9);
    }
  });
});

describe("a prompt prefix served from a cache (cachedInputTokens)", () => {
  const bot: InferenceInput = { model: { preset: "llama-3.1-8b" }, hardware: "h100-pcie", gpusPerReplica: 1, workload: { inputTokens: 1200, outputTokens: 150, requestsPerSecondPeak: 12 } };
  const cached = (n: number, more: Partial<InferenceInput> = {}) => estimateInference({ ...bot, ...more, workload: { ...bot.workload, cachedInputTokens: n } });
  const KV_PER_TOKEN_8B = 2 * 32 * 8 * 128 * 2; // Llama 3.1 8B: 32 layers, 8 KV heads of 128, bf16

  it("a continuous-batching engine skips the prefix's prefill and holds its KV cache once per replica", () => {
    const none = estimateInference(bot);
    const some = cached(1000);
    // the shared prefix leaves the pool once; each sequence holds its own 200 prompt tokens, not 1,200
    expect(some.memory.kvCachePoolGb).toBeCloseTo(none.memory.kvCachePoolGb! - (1000 * KV_PER_TOKEN_8B) / 1e9, 9);
    expect(some.memory.maxBatchThatFits).toBeGreaterThan(none.memory.maxBatchThatFits * 3);
    // one request's prompt alone: 200 tokens prefilled, attending over the 1,000 cached ones too
    const shorter = estimateInference({ ...bot, workload: { ...bot.workload, inputTokens: 200 } });
    expect(some.prefillMs!.expected).toBeLessThan(none.prefillMs!.expected / 3);
    expect(some.prefillMs!.expected).toBeGreaterThanOrEqual(shorter.prefillMs!.expected);
    // more requests per replica; the answer says why
    expect(some.requestsPerSecPerReplica.expected).toBeGreaterThan(1.5 * none.requestsPerSecPerReplica.expected);
    expect(some.assumptions.find((a) => a.name === "prefix caching")?.source).toMatch(/arg_utils\.py at commit 99d7eb5d.*prefix caching by default/);
  });

  it("an engine without a prefix cache (torch-compile) prefills the cached tokens like the rest", () => {
    const plain = estimateInference({ ...bot, engine: "torch-compile" });
    const withCache = cached(1000, { engine: "torch-compile" });
    expect(withCache.requestsPerSecPerReplica).toEqual(plain.requestsPerSecPerReplica);
    expect(withCache.memory).toEqual(plain.memory);
    expect(withCache.assumptions.find((a) => a.name === "prefix caching")?.value).toMatch(/not modelled for torch-compile/);
  });

  it("the hosted alternatives price cached tokens at each model's cache-read price, the input price where none is listed (hand)", () => {
    const e = cached(1000);
    const mini = e.hostedAlternatives.find((h) => h.id === "gpt-4o-mini")!;
    expect(mini.cachedInputUsdPerMillionTokens).toBe(0.075);
    expect(mini.costPerRequestUsd).toBeCloseTo((200 * 0.15 + 1000 * 0.075 + 150 * 0.6) / 1e6, 12);
    const groq = e.hostedAlternatives.find((h) => h.id === "groq/llama-3.1-8b-instant")!;
    expect(groq.cachedInputUsdPerMillionTokens).toBeNull();
    expect(groq.costPerRequestUsd).toBeCloseTo((1200 * 0.05 + 150 * 0.08) / 1e6, 12);
  });

  it("refuses more cached tokens than the prompt, a negative or fractional count, and any for a model that is not a decoder LLM", async () => {
    const { EstimatorInputError } = await import("../src");
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(EstimatorInputError);
        return (e as InstanceType<typeof EstimatorInputError>).path;
      }
      throw new Error("not refused");
    };
    expect(refused(() => cached(1201))).toEqual(["workload", "cachedInputTokens"]);
    expect(refused(() => cached(-1))).toEqual(["workload", "cachedInputTokens"]);
    expect(refused(() => cached(1.5))).toEqual(["workload", "cachedInputTokens"]);
    expect(refused(() => estimateInference({ model: { preset: "bert-base" }, hardware: "t4", workload: { inputTokens: 128, cachedInputTokens: 64, requestsPerSecondPeak: 10 } }))).toEqual(["workload", "cachedInputTokens"]);
    expect(refused(() => estimateInference({ model: { preset: "resnet-50" }, hardware: "t4", workload: { cachedInputTokens: 1, requestsPerSecondPeak: 10 } }))).toEqual(["workload", "cachedInputTokens"]);
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

  it("bills cached input tokens at the cache-read price (hand), and says how", async () => {
    const { estimateHostedApi } = await import("../src");
    const e = estimateHostedApi({ hostedModel: "claude-haiku-4-5", workload: { inputTokens: 1500, cachedInputTokens: 1200, outputTokens: 200, requestsPerDay: 10_000 } });
    expect(e.cachedInputTokens).toBe(1200);
    expect(e.costPerRequestUsd).toBeCloseTo((300 * 1 + 1200 * 0.1 + 200 * 5) / 1e6, 12);
    expect(e.assumptions.find((a) => a.name === "claude-haiku-4-5 cached input price")?.value).toBe(0.1);
    expect(e.assumptions.find((a) => a.name === "cached input pricing")?.source).toMatch(/cache writes .* are not counted/);
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
