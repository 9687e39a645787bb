// Test fixtures: a small hand-written catalog whose figures are chosen so that projections can be
// checked by hand (round prices and capacities). They are test inputs, not product data.
import type { ModelInfo, ModelRef, PlannerCatalog, ServingQuery } from "../src/catalog";
import type { QualityCatalog } from "../src/quality";
import type { Scenario, UseCase } from "../src/types";
import { PlannerInputError } from "../src/errors";

const MODELS: ModelInfo[] = [
  { id: "m-small", label: "M-Small", parameters: 1e9, families: ["decoder-llm"], modality: "text", openWeights: true },
  { id: "m-big", label: "M-Big", parameters: 7e9, families: ["decoder-llm"], modality: "text", openWeights: true },
  { id: "m-vision", label: "M-Vision", parameters: 2.5e7, families: ["cnn"], modality: "image", openWeights: true },
];

/** Requests/s per replica at bf16 (text) or per image request (vision). */
const CAPACITY: Record<string, Record<string, number>> = {
  "m-small": { "gpu-a": 10, "gpu-b": 25 },
  "m-big": { "gpu-a": 2, "gpu-b": 6 },
  "m-vision": { "gpu-a": 200, "gpu-b": 500 },
};
/** Capacity multiplier per weight precision (fixture rule: fewer bits, more throughput). */
const QUANT_SPEEDUP: Record<string, number> = { fp16: 1, bf16: 1, fp8: 1.5, int8: 1.6, int4: 2.5 };

/** Fixture quality scores: H-Pricey and M-Big above a floor of 1100, H-Cheap and M-Small below it, M-Vision unscored. */
export const FIXTURE_QUALITY: QualityCatalog = {
  version: "fixture",
  benchmarks: { "lmarena-text-elo": { name: "fixture arena score", unit: "points", higherIsBetter: true, description: "fixture", source: "fixture", date: "2026-01-01" } },
  hosted: {
    "h-cheap": { scores: [{ benchmark: "lmarena-text-elo", value: 1000, entry: "H-Cheap", date: "2026-01-01", source: "fixture" }] },
    "h-pricey": { scores: [{ benchmark: "lmarena-text-elo", value: 1300, entry: "H-Pricey", date: "2026-01-01", source: "fixture" }] },
  },
  presets: {
    "m-small": { scores: [{ benchmark: "lmarena-text-elo", value: 1050, entry: "M-Small", date: "2026-01-01", source: "fixture" }] },
    "m-big": { scores: [{ benchmark: "lmarena-text-elo", value: 1150, entry: "M-Big", date: "2026-01-01", source: "fixture" }] },
    "m-vision": { scores: [], note: "fixture: no score" },
  },
};

export function fixtureCatalog(): PlannerCatalog & { servingCalls: ServingQuery[] } {
  const servingCalls: ServingQuery[] = [];
  const info = (ref: ModelRef): ModelInfo | null => {
    if ("preset" in ref) return MODELS.find((m) => m.id === ref.preset) ?? null;
    if ("parameters" in ref) return { id: `params-${ref.parameters}`, label: `${ref.parameters} params`, parameters: ref.parameters, families: ["mlp"], modality: "tabular", openWeights: true };
    const a = ref.architecture as { family?: string; inputs?: number; hiddenLayers?: number[] };
    if (a.family === "mlp" && a.inputs && a.hiddenLayers) {
      const sizes = [a.inputs, ...a.hiddenLayers, 1];
      const parameters = sizes.slice(1).reduce((s, n, i) => s + sizes[i] * n + n, 0);
      return { id: `mlp-${parameters}`, label: `MLP ${parameters}`, parameters, families: ["mlp"], modality: "tabular", openWeights: true };
    }
    return null;
  };
  return {
    servingCalls,
    versions: { fixture: "test-1" },
    hostedModels: [
      { id: "h-cheap", label: "H-Cheap", provider: "acme", inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 2, cachedInputUsdPerMillionTokens: null, contextTokens: 128_000, source: "fixture" },
      { id: "h-pricey", label: "H-Pricey", provider: "acme", inputUsdPerMillionTokens: 10, outputUsdPerMillionTokens: 30, cachedInputUsdPerMillionTokens: null, contextTokens: 128_000, source: "fixture" },
    ],
    acceleratorPrices: [
      { acceleratorId: "gpu-a", acceleratorLabel: "GPU-A", provider: "p1", onDemandUsdPerGpuHour: 2, spotUsdPerGpuHour: 1, reservedUsdPerGpuHour: null, gpusPerInstance: 1, source: "fixture" },
      { acceleratorId: "gpu-b", acceleratorLabel: "GPU-B", provider: "p2", onDemandUsdPerGpuHour: 3.5, spotUsdPerGpuHour: null, reservedUsdPerGpuHour: null, gpusPerInstance: 4, source: "fixture" },
    ],
    models: MODELS,
    quality: FIXTURE_QUALITY,
    describeModel: info,
    servingCapacity(q) {
      servingCalls.push(q);
      const m = info(q.model);
      if (!m) return null;
      const base = CAPACITY[m.id]?.[q.acceleratorId] ?? (m.modality === "tabular" ? 1000 : null);
      if (base === null) return null;
      // Text capacity falls with tokens per request relative to the 1,000-in/200-out reference profile.
      const tokenScale = q.modality === "text" ? 1200 / ((q.profile.inputTokens ?? 0) + (q.profile.outputTokens ?? 0)) : 1;
      const rps = base * QUANT_SPEEDUP[q.quantization] * tokenScale * (q.batchFactor > 1 ? 1.5 : 1);
      return {
        requestsPerSecPerReplica: { low: rps * 0.8, expected: rps, high: rps * 1.2 },
        gpusPerReplica: q.gpusPerReplica ?? 1,
        batchSize: 8 * q.batchFactor,
        requestLatencyMs: 400 * (q.batchFactor > 1 ? 1.8 : 1),
        fits: true,
        assumptions: [{ name: "fixtureCapacity", value: rps, unit: "requests/s", source: "test fixture" }],
        notes: [],
      };
    },
    trainingCost(q) {
      const m = info(q.model);
      if (!m) return null;
      // $1 per million training tokens per billion parameters (fixture rule).
      const usd = (q.tokens / 1e6) * (m.parameters / 1e9);
      return { costUsd: { low: usd * 0.8, expected: usd, high: usd * 1.3 }, gpuHours: { low: usd / 2.5, expected: usd / 2, high: usd / 1.5 }, gpus: 1, wallClockDays: 1, assumptions: [] };
    },
  };
}

export const chatUseCase: UseCase = {
  slug: "test-chat",
  title: "Test chat",
  domain: "language",
  task: "dialogue",
  description: "A fixture chat use case with round figures.",
  modelFamilies: ["decoder-llm"],
  parameterRange: { min: 1e9, max: 1e10, rationale: "fixture" },
  suggestedPresets: ["m-small", "m-big"],
  requestProfile: { modality: "text", inputTokens: 1000, outputTokens: 200, rationale: "fixture: 1,000 tokens in, 200 out" },
  latencyTarget: { p95Ms: 3000, rationale: "fixture" },
  dataNeeds: "none",
  risks: { privacy: "high", regulation: "medium", interpretability: "low", safety: "low", notes: "fixture risks" },
  businessModels: ["api-sdk"],
};

export const visionUseCase: UseCase = {
  slug: "test-vision",
  title: "Test vision",
  domain: "vision",
  task: "image-classification",
  description: "A fixture image use case.",
  modelFamilies: ["cnn"],
  parameterRange: { min: 1e6, max: 1e8, rationale: "fixture" },
  suggestedPresets: ["m-vision"],
  requestProfile: { modality: "image", imageWidth: 224, imageHeight: 224, imagesPerRequest: 1, rationale: "fixture: 224x224, 1 image" },
  latencyTarget: { p95Ms: 500, rationale: "fixture" },
  dataNeeds: "none",
  risks: { privacy: "low", regulation: "low", interpretability: "high", safety: "low", notes: "fixture" },
  businessModels: ["api-sdk"],
};

export function scenario(
  over: Omit<Partial<Scenario>, "audience" | "usage" | "funding"> & { audience?: Partial<Scenario["audience"]>; usage?: Partial<Scenario["usage"]>; funding?: Partial<Scenario["funding"]> } = {},
): Scenario {
  const base: Scenario = {
    id: "sc-test",
    workspaceId: "ws",
    version: 1,
    createdAt: "2026-11-22T00:00:00.000Z",
    updatedAt: "2026-11-22T00:00:00.000Z",
    name: "Fixture",
    useCases: ["test-chat"],
    audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 3 },
    usage: { requestsPerUserPerDay: 10, peakToAverage: 3 },
    model: { strategy: "hosted-api", hostedModel: "h-cheap" },
    pricing: { model: "perSeatMonthly", priceUsd: 5 },
    // Every user pays and nobody leaves, so revenue = users × price can be checked by hand; the funnel
    // tests change these.
    funnel: { freeToPaidPct: 100, paidChurnPct: 0, freeChurnPct: 0 },
    funding: { cashUsd: 100_000, monthlyNonComputeBurnUsd: 10_000 },
  };
  return {
    ...base,
    ...over,
    audience: { ...base.audience, ...(over.audience ?? {}) },
    usage: { ...base.usage, ...(over.usage ?? {}) },
    funding: { ...base.funding, ...(over.funding ?? {}) },
  } as Scenario;
}

/** The PlannerInputError `fn` throws (any other error is rethrown); fails when it throws none. */
export function plannerError(fn: () => unknown): PlannerInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlannerInputError) return e;
    throw e;
  }
  throw new Error("expected a PlannerInputError");
}
