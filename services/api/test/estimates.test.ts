import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAYS_PER_MONTH } from "@modelplan/planner";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

type Band = { low: number; expected: number; high: number };

describe("POST /v1/estimates/training", () => {
  it("estimates a run with bands, memory, cost, energy and every assumption", async () => {
    const res = await t.call("POST", "/v1/estimates/training", { model: { preset: "llama-3-8b" }, tokens: 1e11, hardware: "h100-sxm", deadlineDays: 14 });
    expect(res.status).toBe(200);
    const e = (await res.json()) as {
      flops: { total: number }; gpuHours: Band; wallClockDays: Band; memoryPerGpuGb: { total: number; activations: number }; fits: boolean;
      costUsd: Band; energyKwh: Band; co2Kg: Band; gpus: number; gpusChosenBy: string; assumptions: { name: string; source: string }[]; catalogVersion: string;
    };
    expect(e.flops.total).toBeGreaterThan(6 * 8e9 * 1e11);
    expect(e.gpuHours.low).toBeLessThan(e.gpuHours.expected);
    expect(e.gpuHours.expected).toBeLessThan(e.gpuHours.high);
    expect(e.wallClockDays.expected).toBeLessThanOrEqual(14);
    expect(e.gpusChosenBy).toBe("deadline");
    expect(e.fits).toBe(true);
    expect(e.costUsd.expected).toBeGreaterThan(0);
    expect(e.co2Kg.expected).toBeGreaterThan(0);
    expect(e.assumptions.length).toBeGreaterThan(10);
    expect(e.assumptions.every((a) => a.source.length > 3)).toBe(true);
  });

  it("suggests only tensor-parallel degrees within a node that divide the heads, and a 90-day fleet the request can ask for", async () => {
    const long = await t.call("POST", "/v1/estimates/training", { model: { preset: "llama-3-8b" }, method: "lora", tokens: 1e8, hardware: "h100-sxm", sequenceLength: 1_000_000 });
    expect(long.status).toBe(200);
    const l = (await long.json()) as { fits: boolean; warnings: string[] };
    expect(l.fits).toBe(false);
    expect(l.warnings.join(" ")).not.toMatch(/tensorParallel (16|32|64)/); // 32 heads, 8-GPU nodes
    const big = (await (await t.call("POST", "/v1/estimates/training", { model: { preset: "llama-3.1-405b" }, tokens: 1e12, hardware: "h100-sxm" })).json()) as { warnings: string[] };
    expect(big.warnings.join(" ")).toContain('It fits on 96 GPUs with tensorParallel 8 and activationRecomputation "full"');
    expect(big.warnings.join(" ")).not.toContain("tensorParallel 32");
    const late = (await (await t.call("POST", "/v1/estimates/training", { model: { preset: "llama-3-8b" }, tokens: 1e12, hardware: "h100-sxm", deadlineDays: 3650 })).json()) as { gpus: number; warnings: string[] };
    expect(late.gpus).toBe(4);
    expect(late.warnings.find((w) => w.startsWith("the run takes about 517 days"))).toMatch(/would finish in 90 days \(give deadlineDays 90 instead of 3650, or gpus\)$/);
  });

  it("answers fits=false (not an error) when the model does not fit the requested GPUs", async () => {
    const res = await t.call("POST", "/v1/estimates/training", { model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 1, method: "full-fine-tune" });
    expect(res.status).toBe(200);
    const e = (await res.json()) as { fits: boolean; fewestGpusToFit: number; warnings: string[] };
    expect(e.fits).toBe(false);
    expect(e.fewestGpusToFit).toBe(2); // 108 GB of model states over two GPUs; activations at 1,024 tokens with recomputation are small
    expect(e.warnings[0]).toMatch(/fewest that fit/);
  });

  it("charges ZeRO stage 1's gradient synchronisation once per gradientAccumulationSteps micro-steps", async () => {
    const body = { model: { preset: "llama-2-7b" }, method: "full-fine-tune", tokens: 2e9, hardware: "l40s", gpus: 8, microBatchSize: 1, zeroStage: 1 };
    const at = async (extra: object) => {
      const res = await t.call("POST", "/v1/estimates/training", { ...body, ...extra });
      expect(res.status).toBe(200);
      return (await res.json()) as { throughputModel: { communicationFactor: number }; warnings: string[] };
    };
    const one = await at({});
    const many = await at({ gradientAccumulationSteps: 12 });
    expect(one.throughputModel.communicationFactor).toBeLessThan(0.9);
    expect(one.warnings.join(" ")).toContain("gradientAccumulationSteps 12");
    expect(many.throughputModel.communicationFactor).toBeGreaterThan(one.throughputModel.communicationFactor);
    expect(many.warnings.some((w) => w.startsWith("data-parallel communication"))).toBe(false);
  });

  it("accepts a measured hardware profile and a utilisation override", async () => {
    const res = await t.call("POST", "/v1/estimates/training", {
      model: { architecture: { family: "mlp", inputs: 2, hiddenLayers: [10], outputs: 1 } },
      samples: 1000, epochs: 10, precision: "fp32",
      hardware: { id: "this-laptop", peakFlopsPerS: { fp32: 5e10 }, memoryBytes: 8e9, memoryBandwidthBytesPerS: 2e10, utilisation: { compute: { low: 0.01, expected: 0.02, high: 0.03, source: "bench runs 1–3" } } },
      gpus: 1,
    });
    expect(res.status).toBe(200);
    const e = (await res.json()) as { flops: { total: number }; utilisation: { source: string }; costUsd: null };
    expect(e.flops.total).toBe(3 * 2 * (2 * 10 + 10 * 1) * 1000 * 10);
    expect(e.utilisation.source).toBe("bench runs 1–3");
    expect(e.costUsd).toBeNull();
  });

  it.each([
    ["inconsistent heads", { model: { architecture: { family: "decoder", layers: 2, hidden: 100, heads: 3, ffn: 400, vocab: 100, contextLength: 64 } }, tokens: 1e6, hardware: "l4" }, "model.architecture.heads"],
    ["kvHeads not dividing heads", { model: { architecture: { family: "decoder", layers: 2, hidden: 128, heads: 8, kvHeads: 3, ffn: 512, vocab: 100, contextLength: 64 } }, tokens: 1e6, hardware: "l4" }, "model.architecture.kvHeads"],
    ["unknown preset", { model: { preset: "gpt-9" }, tokens: 1e6, hardware: "l4" }, "model.preset"],
    ["unknown accelerator", { model: { preset: "gpt-2" }, tokens: 1e6, hardware: "tpu-v99" }, "hardware"],
    ["negative tokens", { model: { preset: "gpt-2" }, tokens: -1, hardware: "l4" }, "tokens"],
    ["absurd layer count", { model: { architecture: { family: "decoder", layers: 1e7, hidden: 128, heads: 8, ffn: 512, vocab: 100, contextLength: 64 } }, tokens: 1e6, hardware: "l4" }, "model.architecture.layers"],
    ["two model forms", { model: { preset: "gpt-2", parameters: 1e9 }, tokens: 1e6, hardware: "l4" }, "model.parameters"],
    ["no data size", { model: { preset: "gpt-2" }, hardware: "l4" }, "tokens"],
    ["precision without a published peak", { model: { preset: "gpt-2" }, tokens: 1e6, hardware: "t4", precision: "bf16" }, "precision"],
    ["unknown field", { model: { preset: "gpt-2" }, tokens: 1e6, hardware: "l4", colour: "red" }, "colour"],
    ["fractional gradient-accumulation steps", { model: { preset: "gpt-2" }, tokens: 1e6, hardware: "l4", gradientAccumulationSteps: 2.5 }, "gradientAccumulationSteps"],
    ["a tensor-parallel degree that does not divide the heads", { model: { preset: "llama-3-8b" }, tokens: 1e6, hardware: "h100-sxm", tensorParallel: 3 }, "tensorParallel"],
  ])("422 naming the field: %s", async (_name, body, path) => {
    const p = await expectProblem(await t.call("POST", "/v1/estimates/training", body), 422);
    expect(p.errors?.map((e) => e.path)).toContain(path);
    expect(p.errors?.[0].location).toBe("body");
  });
});

describe("POST /v1/estimates/inference", () => {
  it("estimates serving with roofline timings, fleet, costs and hosted alternatives", async () => {
    const res = await t.call("POST", "/v1/estimates/inference", { model: { preset: "llama-3-8b" }, hardware: "l4", quantization: "int8", workload: { inputTokens: 800, outputTokens: 200, requestsPerDay: 500_000 }, latency: { tpotMs: 80 } });
    expect(res.status).toBe(200);
    const e = (await res.json()) as {
      throughputTokensPerSecPerGpu: Band; prefillMs: Band; decodeMsPerToken: Band; gpus: number; costPerMillionTokensUsd: Band; monthlyCostUsd: Band;
      hostedAlternatives: { id: string; monthlyCostUsd: number; breakEvenRequestsPerDay: number | null }[]; batchChosenBy: string; latencyTargets: { met: boolean };
    };
    expect(e.throughputTokensPerSecPerGpu.expected).toBeGreaterThan(0);
    expect(e.decodeMsPerToken.expected).toBeLessThanOrEqual(80);
    expect(e.batchChosenBy).toBe("latency-targets");
    expect(e.latencyTargets.met).toBe(true);
    expect(e.gpus).toBeGreaterThanOrEqual(1);
    expect(e.monthlyCostUsd.expected).toBeGreaterThan(0);
    expect(e.hostedAlternatives.length).toBeGreaterThanOrEqual(15);
    expect(e.hostedAlternatives.find((h) => h.id === "gpt-4o")!.monthlyCostUsd).toBeGreaterThan(0);
  });

  it("names the degrees that divide the heads, and both traffic fields when both are given", async () => {
    const tp = await expectProblem(await t.call("POST", "/v1/estimates/inference", { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", gpusPerReplica: 3, workload: { requestsPerSecondPeak: 1 } }), 422);
    expect(tp.errors).toEqual([{ path: "gpusPerReplica", location: "body", message: expect.stringMatching(/^gpusPerReplica 3 does not divide the model's 32 attention heads: .*; give one of 1, 2, 4, 8, 16, 32$/) }]);
    const traffic = await expectProblem(await t.call("POST", "/v1/estimates/inference", { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 30, requestsPerDay: 100 } }), 422);
    expect(traffic.errors?.[0].message).toMatch(/^give workload\.requestsPerSecondPeak or workload\.requestsPerDay, not both/);
  });

  it("serves an encoder in static batches: no decoder engine settings or KV-cache format in its assumptions", async () => {
    const res = await t.call("POST", "/v1/estimates/inference", { model: { preset: "bert-base" }, hardware: "t4", workload: { requestsPerSecondPeak: 10 } });
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { assumptions: { name: string }[] }).assumptions.map((a) => a.name);
    expect(names).toContain("serving model");
    for (const n of ["serving engine", "KV cache precision", "concurrent sequences cap per replica", "engine step token budget"]) expect(names).not.toContain(n);
  });

  it("serves a vision model per request", async () => {
    const res = await t.call("POST", "/v1/estimates/inference", { model: { preset: "resnet-50" }, hardware: "t4", quantization: "fp16", workload: { requestsPerSecondPeak: 200 }, latency: { requestMs: 30 } });
    expect(res.status).toBe(200);
    const e = (await res.json()) as { mode: string; throughputSamplesPerSecPerGpu: Band; decodeMsPerToken: null; hostedAlternatives: unknown[] };
    expect(e.mode).toBe("samples");
    expect(e.throughputSamplesPerSecPerGpu.expected).toBeGreaterThan(0);
    expect(e.decodeMsPerToken).toBeNull();
    expect(e.hostedAlternatives).toEqual([]);
  });

  it.each([
    ["no traffic", { model: { preset: "llama-3-8b" }, hardware: "l4", workload: {} }, "workload.requestsPerSecondPeak"],
    ["quantization without a published peak", { model: { preset: "llama-3-8b" }, hardware: "a100-80gb", quantization: "fp8", workload: { requestsPerSecondPeak: 1 } }, "quantization"],
    ["nvfp4 on an accelerator without FP4 tensor cores", { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", quantization: "nvfp4", workload: { requestsPerSecondPeak: 1 } }, "quantization"],
    ["nvfp4 on llama.cpp", { model: { preset: "llama-3-8b" }, hardware: "b200", quantization: "nvfp4", engine: "llama.cpp", workload: { requestsPerSecondPeak: 1 } }, "quantization"],
    ["a GPU memory share above 1", { model: { preset: "llama-3-8b" }, hardware: "l4", gpuMemoryUtilization: 1.2, workload: { requestsPerSecondPeak: 1 } }, "gpuMemoryUtilization"],
    ["zero input tokens", { model: { preset: "llama-3-8b" }, hardware: "l4", workload: { requestsPerSecondPeak: 1, inputTokens: 0 } }, "workload.inputTokens"],
    ["more cached tokens than the prompt", { model: { preset: "llama-3-8b" }, hardware: "l4", workload: { requestsPerSecondPeak: 1, inputTokens: 500, cachedInputTokens: 600 } }, "workload.cachedInputTokens"],
    ["cached tokens for an encoder", { model: { preset: "bert-base" }, hardware: "t4", workload: { requestsPerSecondPeak: 1, inputTokens: 128, cachedInputTokens: 64 } }, "workload.cachedInputTokens"],
    ["negative cached tokens", { model: { preset: "llama-3-8b" }, hardware: "l4", workload: { requestsPerSecondPeak: 1, cachedInputTokens: -5 } }, "workload.cachedInputTokens"],
    ["gpusPerReplica not dividing the 32 heads", { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", gpusPerReplica: 3, workload: { requestsPerSecondPeak: 1 } }, "gpusPerReplica"],
    ["gpusPerReplica beyond the 32 heads", { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", gpusPerReplica: 64, workload: { requestsPerSecondPeak: 1 } }, "gpusPerReplica"],
    ["a peak and requests per day", { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 30, requestsPerDay: 100 } }, "workload.requestsPerDay"],
    ["a CNN layer that shrinks the input to nothing", { model: { architecture: { family: "cnn", input: { height: 4, width: 4, channels: 1 }, layers: [{ type: "conv2d", filters: 4, kernel: 9 }] } }, hardware: "t4", quantization: "fp16", workload: { requestsPerSecondPeak: 1 } }, "model.architecture.layers.0"],
  ])("422 naming the field: %s", async (_name, body, path) => {
    const p = await expectProblem(await t.call("POST", "/v1/estimates/inference", body), 422);
    expect(p.errors?.map((e) => e.path)).toContain(path);
  });
});

describe("scenario estimates", () => {
  async function scenario(overrides: Record<string, unknown>) {
    const res = await t.call("POST", "/v1/scenarios", sampleScenario(overrides));
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  it("computes, stores and lists a self-hosted estimate at the peak month with the catalog version", async () => {
    const id = await scenario({ model: { strategy: "self-host", preset: "llama-3-8b", quantization: "int8" }, hardware: { accelerator: "l4", provider: "aws" } });
    const res = await t.call("POST", `/v1/scenarios/${id}/estimates`);
    expect(res.status).toBe(201);
    const e = (await res.json()) as {
      id: string; scenarioVersion: number; catalogVersion: string; traffic: { peakMonth: number; usersAtPeak: number; requestsPerDay: number };
      inference: { pricing: { provider: string }; gpus: number }; training: null; hostedApi: null; inputs: { inference: { hardware: string } };
    };
    expect(e.scenarioVersion).toBe(1);
    expect(e.catalogVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(e.traffic.peakMonth).toBe(24);
    expect(e.traffic.usersAtPeak).toBeCloseTo(50_000 * 1.08 ** 23, 6);
    expect(e.traffic.requestsPerDay).toBeCloseTo(e.traffic.usersAtPeak * 6, 6);
    expect(e.inference.pricing.provider).toBe("aws");
    expect(e.inputs.inference.hardware).toBe("l4");
    expect(e.training).toBeNull();

    const list = (await (await t.call("GET", `/v1/scenarios/${id}/estimates`)).json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(list.items.map((x) => x.id)).toEqual([e.id]);
    expect(list.nextCursor).toBeNull();
  });

  it("sizes for the plan's traffic: free users at their own rate under the free tier's cap, and API/SDK revenue lines", async () => {
    const id = await scenario({
      useCases: ["smart-customer-service"],
      audience: { usersAtLaunch: 200_000, monthlyGrowthPct: 5, horizonMonths: 12 },
      usage: { requestsPerUserPerDay: 15, freeRequestsPerUserPerDay: 5 },
      funnel: { freeToPaidPct: 4 },
      pricing: { model: "perSeatMonthly", priceUsd: 12, freeTier: { requestsPerUserPerMonth: 60 } },
      revenueLines: [{ kind: "api-sdk", requestsPerMonth: 1_000_000, priceUsdPerRequest: 0.004 }],
    });
    const res = await t.call("POST", `/v1/scenarios/${id}/estimates`);
    expect(res.status).toBe(201);
    const e = (await res.json()) as { traffic: { peakMonth: number; usersAtPeak: number; payingUsersAtPeak: number; freeUsersAtPeak: number; requestsPerDay: number } };
    const { peakMonth, usersAtPeak, payingUsersAtPeak, freeUsersAtPeak, requestsPerDay } = e.traffic;
    expect(payingUsersAtPeak + freeUsersAtPeak).toBeCloseTo(usersAtPeak, 6);
    // paying users at 15 a day; free users at 5 a day capped at 60 a month (1.97 a day); the API line's 1M a month
    expect(requestsPerDay).toBeCloseTo(payingUsersAtPeak * 15 + freeUsersAtPeak * (60 / DAYS_PER_MONTH) + 1_000_000 / DAYS_PER_MONTH, 6);
    // not every user at the paying rate (what the estimate counted before): about a fifth of that
    expect(requestsPerDay).toBeLessThan(0.25 * usersAtPeak * 15);
    // the plan's month of most requests, and its requests
    const planRes = await t.call("POST", `/v1/scenarios/${id}/plan`, {});
    expect(planRes.status).toBe(201);
    const plan = ((await planRes.json()) as { plan: { months: { month: number; requests: number; payingUsers: number }[] } }).plan;
    const busiest = plan.months.reduce((a, b) => (b.requests > a.requests ? b : a));
    expect(peakMonth).toBe(busiest.month);
    expect(payingUsersAtPeak).toBeCloseTo(busiest.payingUsers, 6);
    expect(requestsPerDay * DAYS_PER_MONTH).toBeCloseTo(busiest.requests, 3);
  });

  it("prices a hosted-api scenario on its hosted model", async () => {
    const id = await scenario({});
    const res = await t.call("POST", `/v1/scenarios/${id}/estimates`);
    expect(res.status).toBe(201);
    const e = (await res.json()) as { strategy: string; hostedApi: { hostedModel: { id: string }; monthlyCostUsd: number }; inference: null };
    expect(e.strategy).toBe("hosted-api");
    expect(e.hostedApi.hostedModel.id).toBe("gpt-4o-mini");
    expect(e.hostedApi.monthlyCostUsd).toBeGreaterThan(0);
    expect(e.inference).toBeNull();
  });

  it("bills a scenario's cached prompt prefix at the cache-read price, and refuses a prefix longer than the prompt", async () => {
    const usage = (requestProfile: Record<string, number>) => ({ usage: { requestsPerUserPerDay: 6, requestProfile } });
    type Hosted = { requestProfile: { cachedInputTokens: number }; hostedApi: { cachedInputTokens: number; costPerRequestUsd: number } };
    const plain = (await (await t.call("POST", `/v1/scenarios/${await scenario(usage({ inputTokens: 1200, outputTokens: 150 }))}/estimates`)).json()) as Hosted;
    const cached = (await (await t.call("POST", `/v1/scenarios/${await scenario(usage({ inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 150 }))}/estimates`)).json()) as Hosted;
    expect(plain.requestProfile.cachedInputTokens).toBe(0);
    expect(cached.requestProfile.cachedInputTokens).toBe(1000);
    expect(cached.hostedApi.cachedInputTokens).toBe(1000);
    // GPT-4o mini: $0.15/M input, $0.075/M cached, $0.60/M output
    expect(plain.hostedApi.costPerRequestUsd).toBeCloseTo((1200 * 0.15 + 150 * 0.6) / 1e6, 12);
    expect(cached.hostedApi.costPerRequestUsd).toBeCloseTo((200 * 0.15 + 1000 * 0.075 + 150 * 0.6) / 1e6, 12);
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario(usage({ inputTokens: 100, cachedInputTokens: 101 }))), 422);
    expect(p.errors?.map((e) => e.path)).toContain("usage.requestProfile.cachedInputTokens");
  });

  it("estimates training and serving for a fine-tune, with a hardware override in the body", async () => {
    const id = await scenario({ model: { strategy: "fine-tune", preset: "llama-3-8b", trainingTokens: 2e8, trainingMethod: "lora" } });
    const res = await t.call("POST", `/v1/scenarios/${id}/estimates`, { hardware: "a100-80gb" });
    expect(res.status).toBe(201);
    const e = (await res.json()) as { training: { method: string; tokens: number; hardware: { id: string } }; inference: { hardware: { id: string } } };
    expect(e.training).toMatchObject({ method: "lora", tokens: 2e8 });
    expect(e.training.hardware.id).toBe("a100-80gb");
    expect(e.inference.hardware.id).toBe("a100-80gb");
  });

  it("422 names the scenario field that blocks the estimate", async () => {
    const noHardware = await scenario({ model: { strategy: "self-host", preset: "llama-3-8b" } });
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${noHardware}/estimates`), 422);
    expect(p.errors?.[0].path).toBe("hardware.accelerator");
    const noFp8 = await scenario({ model: { strategy: "self-host", preset: "llama-3-8b", quantization: "fp8" }, hardware: { accelerator: "t4" } });
    const q = await expectProblem(await t.call("POST", `/v1/scenarios/${noFp8}/estimates`), 422);
    expect(q.errors?.[0].path).toBe("model.quantization");
    const noFp4 = await scenario({ model: { strategy: "self-host", preset: "llama-3-8b", quantization: "nvfp4" }, hardware: { accelerator: "h100-sxm" } });
    const q4 = await expectProblem(await t.call("POST", `/v1/scenarios/${noFp4}/estimates`), 422);
    expect(q4.errors?.[0].path).toBe("model.quantization");
    expect(q4.errors?.[0].message).toMatch(/FP4 tensor cores/);
    const fp4 = await t.call("POST", `/v1/scenarios/${noFp4}/estimates`, { hardware: "b200" });
    expect(fp4.status).toBe(201);
    expect(((await fp4.json()) as { inference: { hardware: { precision: string } } }).inference.hardware.precision).toBe("fp4");
    const override = await expectProblem(await t.call("POST", `/v1/scenarios/${noHardware}/estimates`, { hardware: "tpu-v99" }), 422);
    expect(override.errors?.[0].path).toBe("hardware");
    const badBody = await expectProblem(await t.call("POST", `/v1/scenarios/${noHardware}/estimates`, { gpusPerReplica: 0 }), 422);
    expect(badBody.errors?.[0].path).toBe("gpusPerReplica");
  });

  it("applies the use case's latency target as plans do: a request slower than the p95 target is refused, naming the field", async () => {
    // an 8B model on one L4 decodes at ~76 ms per token: 150 tokens take ~11 s against smart-customer-service's 3,000 ms
    const id = await scenario({ model: { strategy: "self-host", preset: "llama-3-8b" }, hardware: { accelerator: "l4", gpusPerReplica: 1 }, useCases: ["smart-customer-service"] });
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/estimates`), 422);
    expect(p.errors?.[0].path).toBe("hardware.gpusPerReplica");
    expect(p.errors?.[0].message).toMatch(/p95 target of 3,000 ms/);
    const plan = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/plan`), 422);
    expect(plan.detail ?? plan.errors?.[0].message).toMatch(/latency target/);
    // without a fixed GPUs per replica the estimator picks a degree that meets the target, and says how
    const free = await scenario({ model: { strategy: "self-host", preset: "llama-3-8b" }, hardware: { accelerator: "h100-sxm" }, useCases: ["smart-customer-service"] });
    const res = await t.call("POST", `/v1/scenarios/${free}/estimates`);
    expect(res.status).toBe(201);
    const e = (await res.json()) as { requestProfile: { latencyTargetMs: number }; inference: { latencyTargets: { requestMs: number; met: boolean }; tensorParallel: { chosenBy: string }; replicaTargetUtilisation: number } };
    expect(e.requestProfile.latencyTargetMs).toBe(3000);
    expect(e.inference.latencyTargets).toMatchObject({ requestMs: 3000, met: true });
    expect(e.inference.tensorParallel.chosenBy).toBe("cheapest-meeting-targets");
    expect(e.inference.replicaTargetUtilisation).toBe(0.8);
  });

  it("404 for an unknown scenario", async () => {
    await expectProblem(await t.call("POST", "/v1/scenarios/scn_missing/estimates"), 404);
    await expectProblem(await t.call("GET", "/v1/scenarios/scn_missing/estimates"), 404);
    await expectProblem(await t.call("GET", "/v1/scenarios/scn_missing/estimates/est_missing"), 404);
  });

  it("Location names the stored estimate, which reads back as it was answered", async () => {
    const id = await scenario({ model: { strategy: "self-host", preset: "gpt-2" }, hardware: { accelerator: "t4" } });
    const res = await t.call("POST", `/v1/scenarios/${id}/estimates`, { hardware: "l4" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string };
    expect(res.headers.get("location")).toBe(`/v1/scenarios/${id}/estimates/${created.id}`);
    const read = await t.call("GET", res.headers.get("location")!);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(created);
    // an estimate is found only under its own scenario
    const other = await scenario({ model: { strategy: "self-host", preset: "gpt-2" }, hardware: { accelerator: "t4" } });
    const wrong = await expectProblem(await t.call("GET", `/v1/scenarios/${other}/estimates/${created.id}`), 404);
    expect(wrong.detail).toContain(created.id);
    await expectProblem(await t.call("GET", `/v1/scenarios/${id}/estimates/est_missing`), 404);
    expect((await expectProblem(await t.call("GET", `/v1/scenarios/${id}/estimates/${"x".repeat(65)}`), 422)).errors?.[0].path).toBe("estimateId");
  });

  it("paginates newest first", async () => {
    const id = await scenario({ model: { strategy: "self-host", preset: "gpt-2" }, hardware: { accelerator: "t4" } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(((await (await t.call("POST", `/v1/scenarios/${id}/estimates`, { hardware: "l4" })).json()) as { id: string }).id);
    const first = (await (await t.call("GET", `/v1/scenarios/${id}/estimates?limit=2`)).json()) as { items: { id: string }[]; nextCursor: string };
    expect(first.items).toHaveLength(2);
    const second = (await (await t.call("GET", `/v1/scenarios/${id}/estimates?limit=2&cursor=${first.nextCursor}`)).json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((x) => x.id))).toEqual(new Set(ids));
  });
});

describe("extreme but well-typed numbers", () => {
  it.each([
    ["/v1/estimates/training", { model: { preset: "llama-3-8b" }, tokens: 1e11, hardware: "h100-sxm", deadlineDays: 5e-324 }, "deadlineDays"],
    ["/v1/estimates/training", { model: { preset: "llama-3-8b" }, tokens: 1e11, hardware: "h100-sxm", utilisation: 5e-324 }, "utilisation"],
    ["/v1/estimates/inference", { model: { preset: "llama-3-8b" }, hardware: "l4", workload: { requestsPerDay: 1000 }, bandwidthUtilisation: 5e-324 }, "bandwidthUtilisation"],
    ["/v1/estimates/inference", { model: { preset: "llama-3-8b" }, hardware: { id: "x", peakFlopsPerS: { bf16: 1e14 }, memoryBytes: 8e9, memoryBandwidthBytesPerS: 5e-324 }, workload: { requestsPerDay: 1000 } }, "hardware"],
  ])("%s refuses %j with 422 instead of infinite figures", async (path, body, field) => {
    const p = await expectProblem(await t.call("POST", path, body), 422);
    expect(p.errors?.some((e) => e.path === field || e.path.startsWith(`${field}.`))).toBe(true);
  });
});
