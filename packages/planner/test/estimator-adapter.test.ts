import { describe, it, expect } from "vitest";
import { estimateInference } from "@modelplan/estimator";
import catalogFile from "@modelplan/db/seed/use-cases.json";
import { DEFAULT_SETTINGS, engineerMonthUsd, estimatorCatalog, planScenario, TRANSCRIPT_TOKENS_PER_AUDIO_SECOND } from "../src/index";
import type { UseCase } from "../src/types";
import { plannerError, scenario } from "./fixtures";

const useCases = catalogFile.items as UseCase[];
const cat = estimatorCatalog();


describe("estimator adapter", () => {
  it("exposes the estimator's presets, hosted models and cloud prices", () => {
    expect(cat.models.length).toBeGreaterThanOrEqual(20);
    expect(cat.models.find((m) => m.id === "gpt-3-175b")?.openWeights).toBe(false);
    expect(cat.models.find((m) => m.id === "resnet-50")?.modality).toBe("image");
    expect(cat.models.find((m) => m.id === "whisper-small")?.modality).toBe("audio");
    expect(cat.hostedModels.some((h) => h.id === "gpt-4o-mini")).toBe(true);
    expect(cat.acceleratorPrices.every((p) => p.onDemandUsdPerGpuHour > 0 && p.source.length > 0)).toBe(true);
  });

  it("passes a text request to the estimator's serving estimate unchanged", () => {
    const q = { model: { preset: "llama-3-8b" }, modality: "text" as const, acceleratorId: "h100-sxm", quantization: "bf16" as const, profile: { inputTokens: 1200, outputTokens: 150 }, latencyTargetMs: 3000, batchFactor: 1 };
    const cap = cat.servingCapacity(q)!;
    const direct = estimateInference({ model: { preset: "llama-3-8b" }, hardware: "h100-sxm", quantization: "bf16", workload: { inputTokens: 1200, outputTokens: 150, requestsPerSecondPeak: 1 }, latency: { requestMs: 3000 } });
    expect(cap.requestsPerSecPerReplica.expected).toBeCloseTo(direct.requestsPerSecPerReplica.expected, 9);
    expect(cap.batchSize).toBe(direct.batchSize);
    // where memory limits the batch (an 8B model on a 24 GB L4), int4 weights leave room for more sequences;
    // this prompt-heavy request is compute-bound at both batches, so its throughput is no lower (not higher)
    const onL4 = { ...q, acceleratorId: "l4", latencyTargetMs: 30_000, gpusPerReplica: 1 };
    const bf16OnL4 = cat.servingCapacity(onL4)!;
    const int4 = cat.servingCapacity({ ...onL4, quantization: "int4" })!;
    expect(int4.batchSize!).toBeGreaterThan(bf16OnL4.batchSize!);
    expect(int4.requestsPerSecPerReplica.expected).toBeGreaterThanOrEqual(bf16OnL4.requestsPerSecPerReplica.expected * (1 - 1e-9));
  });

  it("passes a cached prompt prefix to decoder LLMs, and the hosted models' cache-read prices", () => {
    const q = { model: { preset: "llama-3.1-8b" }, modality: "text" as const, acceleratorId: "h100-pcie", gpusPerReplica: 1, quantization: "bf16" as const, profile: { inputTokens: 1200, outputTokens: 150 }, latencyTargetMs: 3000, batchFactor: 1 };
    const plain = cat.servingCapacity(q)!;
    const cached = cat.servingCapacity({ ...q, profile: { ...q.profile, cachedInputTokens: 1000 } })!;
    const direct = estimateInference({ model: { preset: "llama-3.1-8b" }, hardware: "h100-pcie", gpusPerReplica: 1, quantization: "bf16", workload: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 150, requestsPerSecondPeak: 1 }, latency: { requestMs: 3000 } });
    expect(cached.requestsPerSecPerReplica.expected).toBeCloseTo(direct.requestsPerSecPerReplica.expected, 9);
    expect(cached.requestsPerSecPerReplica.expected).toBeGreaterThan(plain.requestsPerSecPerReplica.expected);
    // an encoder reads its whole input: the prefix is ignored rather than refused, so the option stays
    const bert = { model: { preset: "bert-base" }, modality: "text" as const, acceleratorId: "t4", quantization: "fp16" as const, profile: { inputTokens: 128 }, latencyTargetMs: 100, batchFactor: 1 };
    expect(cat.servingCapacity({ ...bert, profile: { inputTokens: 128, cachedInputTokens: 64 } })).toEqual(cat.servingCapacity(bert));
    expect(cat.hostedModels.find((h) => h.id === "gpt-4o-mini")?.cachedInputUsdPerMillionTokens).toBe(0.075);
  });

  it("turns audio seconds into transcript tokens and images into pixel-scaled samples", () => {
    const audio = cat.servingCapacity({ model: { preset: "whisper-small" }, modality: "audio", acceleratorId: "l4", quantization: "bf16", profile: { audioSeconds: 4 }, latencyTargetMs: 500, batchFactor: 1 })!;
    expect(audio.assumptions.find((a) => a.name === "transcriptTokensPerAudioSecond")?.value).toBeCloseTo(TRANSCRIPT_TOKENS_PER_AUDIO_SECOND, 9);
    const at224 = cat.servingCapacity({ model: { preset: "resnet-50" }, modality: "image", acceleratorId: "l4", quantization: "bf16", profile: { imageWidth: 224, imageHeight: 224, imagesPerRequest: 1 }, latencyTargetMs: 1000, batchFactor: 1 })!;
    const at448 = cat.servingCapacity({ model: { preset: "resnet-50" }, modality: "image", acceleratorId: "l4", quantization: "bf16", profile: { imageWidth: 448, imageHeight: 448, imagesPerRequest: 1 }, latencyTargetMs: 1000, batchFactor: 1 })!;
    // 4× the pixels → a quarter of the requests per second (FLOPs scale with positions)
    expect(at448.requestsPerSecPerReplica.expected).toBeCloseTo(at224.requestsPerSecPerReplica.expected / 4, 6);
  });

  it("plans every use case in the catalog, or says which model it needs", () => {
    // Use cases with no hosted API (non-text) and no preset in the estimator's catalog (diffusion, TTS,
    // speaker verification) cannot be costed without a model from the scenario: a typed error says so.
    const open = new Set(cat.models.filter((m) => m.openWeights).map((m) => m.id));
    const uncostable = useCases.filter((u) => u.requestProfile.modality !== "text" && u.requestProfile.modality !== "tabular" && u.requestProfile.modality !== "recommendation" && !u.suggestedPresets.some((p) => open.has(p)));
    expect(uncostable.map((u) => u.slug).sort()).toEqual(["broadcast-speech-synthesis", "image-generation-style-transfer", "photo-restoration-upscaling", "speaker-verification", "speech-synthesis-customer-service"]);
    for (const u of uncostable) {
      expect(() => planScenario(scenario({ useCases: [u.slug], model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" } }), useCases, { projectionsOnly: true })).toThrowError(expect.objectContaining({ name: "PlannerInputError", path: ["model"] }));
    }
    for (const u of useCases.filter((x) => !uncostable.includes(x))) {
      const plan = planScenario(scenario({ useCases: [u.slug], model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" }, audience: { usersAtLaunch: 2000, monthlyGrowthPct: 10, horizonMonths: 12 } }), useCases, { projectionsOnly: true });
      expect(plan.options.length, u.slug).toBeGreaterThan(0);
      expect(plan.months[11].computeCostUsd, u.slug).toBeGreaterThan(0);
      if (u.requestProfile.modality === "text") expect(plan.options.some((o) => o.kind === "hosted"), u.slug).toBe(true);
      else expect(plan.options.some((o) => o.kind === "self-host"), u.slug).toBe(true);
    }
  });

  it("plans a fine-tune with the estimator's training cost", () => {
    const plan = planScenario(scenario({ useCases: ["smart-customer-service"], model: { strategy: "fine-tune", preset: "llama-3-8b", trainingTokens: 200_000_000, trainingMethod: "lora" }, hardware: { accelerator: "h100-sxm" } }), useCases, { projectionsOnly: true });
    const chosen = plan.options.find((o) => o.id === plan.workloads[0].chosenOptionId)!;
    expect(chosen.kind).toBe("fine-tune");
    expect(chosen.oneOffCostUsd).toBeGreaterThan(0);
    expect(plan.months[0].oneOffCostUsd).toBeCloseTo(chosen.oneOffCostUsd, 9);
    expect(plan.assumptions.some((a) => a.name === "smart-customer-service.oneOffCostUsd")).toBe(true);
    // the one-off is the GPU time as billed plus data preparation and evaluation (1 + 0.5 engineer-months by default)
    const b = chosen.oneOffBreakdown!;
    expect(b.billedGpuHours).toBeGreaterThanOrEqual(b.gpuHours);
    expect(b.dataPreparationUsd + b.evaluationUsd).toBeCloseTo(1.5 * engineerMonthUsd(DEFAULT_SETTINGS), 6);
    expect(chosen.oneOffCostUsd).toBeCloseTo(b.gpuUsd + b.dataPreparationUsd + b.evaluationUsd, 6);
    // the estimator's training defaults travel with the plan, each with its source
    const training = plan.assumptions.filter((a) => a.name.startsWith("smart-customer-service.training."));
    expect(training.length).toBeGreaterThan(3);
    expect(training.every((a) => a.source.length > 3)).toBe(true);
  });

  it("refuses nvfp4 on an accelerator without FP4 tensor cores with the estimator's reason, naming model.quantization", () => {
    const q = { model: { preset: "llama-3-8b" }, modality: "text" as const, acceleratorId: "h100-sxm", quantization: "nvfp4" as const, profile: { inputTokens: 1200, outputTokens: 150 }, latencyTargetMs: 3000, batchFactor: 1 };
    expect(cat.servingCapacity(q)).toBeNull();
    expect(cat.servingRefusal!(q)).toEqual({ field: "quantization", message: expect.stringMatching(/^nvfp4 runs W4A4 on FP4 tensor cores, and h100-sxm publishes no FP4 peak .*give fp8, int8 or int4 for h100-sxm$/) });
    expect(cat.servingRefusal!({ ...q, quantization: "fp8" })).toBeNull();
    const error = plannerError(() => planScenario(scenario({ useCases: ["smart-customer-service"], model: { strategy: "self-host", preset: "llama-3-8b", quantization: "nvfp4" }, hardware: { accelerator: "h100-sxm" } }), useCases, { projectionsOnly: true }));
    expect(error.path).toEqual(["model", "quantization"]);
    expect(error.message).toMatch(/^Llama 3 8B nvfp4 cannot be served on h100-sxm: nvfp4 runs W4A4 on FP4 tensor cores.*give fp8, int8 or int4 for h100-sxm\.$/);
  });

  it("refuses a provider without a price for the scenario's accelerator, listing those with one", () => {
    const error = plannerError(() => planScenario(scenario({ useCases: ["smart-customer-service"], model: { strategy: "self-host", preset: "llama-3-8b" }, hardware: { accelerator: "h200", provider: "aws" } }), useCases, { projectionsOnly: true }));
    expect(error.path).toEqual(["hardware", "provider"]);
    const priced = [...new Set(cat.acceleratorPrices.filter((p) => p.acceleratorId === "h200").map((p) => p.provider))].sort();
    expect(priced).not.toContain("aws");
    expect(error.message).toBe(`No h200 price for provider 'aws' in the price catalog (providers with one: ${priced.join(", ")}): name one of them as hardware.provider, or omit it for the cheapest listing.`);
  });

  it("bills a short fine-tune for whole instances and the provider's minimum time", () => {
    // A 10M-token LoRA of Llama 3.2 1B takes minutes of one GPU; on AWS the A100 40GB comes only as an
    // 8-GPU p4d.24xlarge, billed per second with a 60-second minimum.
    const plan = planScenario(scenario({ useCases: ["smart-customer-service"], model: { strategy: "fine-tune", preset: "llama-3.2-1b", trainingMethod: "lora" }, hardware: { accelerator: "a100-40gb", provider: "aws" } }), useCases, { projectionsOnly: true });
    const chosen = plan.options.find((o) => o.id === plan.workloads[0].chosenOptionId)!;
    const b = chosen.oneOffBreakdown!;
    expect(chosen.accelerator).toMatchObject({ id: "a100-40gb", provider: "aws" });
    const price = cat.acceleratorPrices.find((p) => p.acceleratorId === "a100-40gb" && p.provider === "aws")!;
    expect(price.gpusPerInstance).toBe(8);
    const wallSeconds = b.gpuHours * 3600; // one GPU in the estimate
    expect(b.billedGpuHours).toBeCloseTo((8 * Math.max(60, Math.ceil(wallSeconds))) / 3600, 9);
    expect(b.billingRule).toContain("8-GPU instances");
    expect(b.billingRule).toContain("60 s");
  });
});
