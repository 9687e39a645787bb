/**
 * Issue 13's "Done when" story for money: benchmark results uploaded for a machine, a price given to
 * it (owned hardware's TCO), and a plan for a sentiment-analysis scenario that costs "our own box" from
 * its measured throughput beside the catalog's GPUs and the hosted APIs — and picks it when it is the
 * cheapest accelerator, saying why.
 *
 * The uploaded runs are a test fixture (tests/helpers/synthetic-upload.ts's way: step times made up,
 * FLOPs from the bench package), of a CPU box: nothing here is a GPU measurement.
 */
import { afterEach, describe, expect, it } from "vitest";
import { modelKey, profileFingerprint, resolveModelSpec, runHeader, SOFTWARE_GPU_LABEL, type BenchRun } from "@modelplan/bench";
import { HOURS_PER_YEAR } from "@modelplan/planner";
import { closeBenchmarkService } from "../src/routes/benchmarks/index";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";

let t: TestApp | undefined;
afterEach(async () => {
  if (t) {
    await closeBenchmarkService(t.database);
    await t.close();
    t = undefined;
  }
});

/** The scenario's own model: an embedding + average-pooling sentiment classifier (3 classes, 120-token reviews). */
const ARCHITECTURE = { family: "embedding-classifier", vocab: 20_000, sequenceLength: 120, embeddingDim: 64, hiddenLayers: [64], classes: 3 };
const BENCH_CONFIG = { vocabSize: 20_000, seqLen: 120, embedDim: 64, hiddenUnits: [64], classes: 3 };

const DEVICE = { kind: "cpu" as const, cpuModel: "Fixture CPU", logicalCores: 8, memoryBytes: 32e9, platform: "linux", arch: "x64", gpus: [] };

/** A run of the fixture: step time = fixed + per-sample cost (ms), so throughput rises with the batch. */
function run(family: "text-classifier" | "mlp", config: Record<string, unknown>, phase: "inference" | "training", batch: number, scope: "whole-machine" | "per-core"): BenchRun {
  const spec = resolveModelSpec(family, config);
  const workers = scope === "whole-machine" ? 8 : 1;
  const header = runHeader(spec, modelKey(spec), phase, phase === "training" ? "training" : "throughput", batch, scope, workers);
  const perSampleMs = (phase === "training" ? 3 : 1) * (header.flopsPerSample / 4e9) * (scope === "whole-machine" ? 1 / 6 : 1);
  const median = 0.15 + perSampleMs * batch;
  return {
    ...header,
    status: "ok",
    stepTime: { medianMs: median, p10Ms: median * 0.9, p90Ms: median * 1.2, ciLowMs: median * 0.95, ciHighMs: median * 1.05, n: 30 },
    samplesPerS: (batch * 1000) / median,
    achievedFlopsPerS: header.flopsPerStep / (median / 1000),
  };
}

function upload(opts: { tag: string; emulated?: boolean }) {
  const backend = { choice: (opts.emulated ? "webgpu" : "wasm") as "wasm", threadsPerInstance: 1, versions: { node: "20.20.2", "tfjs-core": "4.22.0", fixture: opts.tag }, ...(opts.emulated ? { emulation: SOFTWARE_GPU_LABEL } : {}) };
  const device = opts.emulated ? { ...DEVICE, emulation: SOFTWARE_GPU_LABEL } : DEVICE;
  const runs: BenchRun[] = [];
  for (const scope of ["whole-machine", "per-core"] as const) {
    for (const b of [1, 8, 32, 128]) runs.push(run("text-classifier", BENCH_CONFIG, "inference", b, scope));
    for (const b of [8, 32]) runs.push(run("text-classifier", BENCH_CONFIG, "training", b, scope));
    for (const b of [4, 16, 64]) runs.push(run("mlp", { inputDim: 64, hiddenUnits: [128], classes: 4 }, "inference", b, scope));
  }
  const now = new Date().toISOString();
  const ceiling = (scope: "whole-machine" | "per-core", flopsPerS: number) => ({ scope, workers: scope === "whole-machine" ? 8 : 1, precision: "float32", flopsPerS, cpuFlopsPerS: flopsPerS, bestN: 256, probes: [] });
  return {
    suite: "custom",
    status: "completed" as const,
    startedAt: now,
    finishedAt: now,
    fingerprint: profileFingerprint(device, backend),
    device,
    backend,
    ceilings: { perCore: ceiling("per-core", 20e9), wholeMachine: ceiling("whole-machine", 120e9) },
    bandwidth: {
      perCore: { scope: "per-core", workers: 1, elements: 1 << 22, medianMs: 3, bytesPerS: 8e9, stable: true },
      wholeMachine: { scope: "whole-machine", workers: 8, elements: 1 << 22, medianMs: 3, bytesPerS: 30e9, stable: true },
    },
    sgemm: null,
    runs,
  };
}

/** Owned box: $2,400 over 3 years, 120 W measured at the wall, PUE 1, $0.17/kWh, in the office (no hosting fee). */
const OWNED = { kind: "owned", purchaseUsd: 2400, depreciationYears: 3, power: { watts: 120, basis: "measured", source: "wall meter under load" }, pue: 1, electricityUsdPerKwh: 0.17, hostingUsdPerMonth: 0 };
const OWNED_USD_PER_HOUR = 2400 / (3 * HOURS_PER_YEAR) + (120 / 1000) * 0.17;

type Option = {
  id: string;
  label: string;
  kind: string;
  model: { id: string };
  accelerator: { id: string; provider: string } | null;
  pricing: string;
  priceSource: string;
  totalCostUsd: number;
  capacityRequestsPerSecPerReplica: { expected: number } | null;
  measured?: { profileId: string; basis: string; detail: string; runIds: string[] };
};
type PlanBody = {
  id: string;
  reportUrl: string;
  plan: {
    options: Option[];
    workloads: { chosenOptionId: string; chosenReason: string; cheapestByMonth: string[] }[];
    results: { chosen: { optionIds: string[] } };
    warnings: string[];
    measuredHardware?: { profileId: string; label: string; kind: string; emulation: string | null; usdPerHour: number; pricing: string; priceSource: string; optionIds: string[]; notes: string[] }[];
  };
};

async function post<T>(app: TestApp, path: string, body: unknown, status = 200): Promise<T> {
  const res = await app.call(path.includes("/price") ? "PUT" : "POST", path, body);
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

describe("a measured, priced machine in a plan (\"our own box\")", () => {
  it(
    "uploads runs, prices the box by its TCO, costs requests from measured throughput, and a sentiment plan picks the box as the cheapest accelerator beside catalog GPUs and hosted APIs",
    async () => {
      t = await createTestApp();
      const box = await post<{ hardwareProfileId: string; stored: number }>(t, "/v1/benchmarks/results", upload({ tag: "box" }), 201);
      const profileId = box.hardwareProfileId;

      // A price: owned hardware, its TCO per hour made explicit.
      const price = await post<{ hourly: { usdPerHour: number; parts: { depreciationUsdPerHour: number; energyUsdPerHour: number } } }>(t, `/v1/hardware-profiles/${profileId}/price`, OWNED);
      expect(price.hourly.usdPerHour).toBeCloseTo(OWNED_USD_PER_HOUR, 10);
      expect(price.hourly.parts.depreciationUsdPerHour).toBeCloseTo(2400 / (3 * 8760), 10);

      // Costs from measured throughput: the benchmark is the cost.
      const costs = (await (await t.call("GET", `/v1/hardware-profiles/${profileId}/costs`)).json()) as {
        inference: { runId: string; modelKey: string; batchSize: number; samplesPerS: { expected: number }; usdPerMillionRequests: { expected: number }; kwhPerMillionRequests: { expected: number } | null }[];
      };
      const tc128 = costs.inference.find((c) => c.modelKey.startsWith("text-classifier") && c.batchSize === 128)!;
      expect(tc128.usdPerMillionRequests.expected).toBeCloseTo((OWNED_USD_PER_HOUR / (tc128.samplesPerS.expected * 3600)) * 1e6, 8);
      expect(tc128.kwhPerMillionRequests!.expected).toBeCloseTo((0.12 / (tc128.samplesPerS.expected * 3600)) * 1e6, 8);

      // A second, unpriced profile: named in the plan's warnings, never costed at $0.
      const unpriced = await post<{ hardwareProfileId: string }>(t, "/v1/benchmarks/results", upload({ tag: "unpriced" }), 201);

      const scenario = await post<{ id: string }>(
        t,
        "/v1/scenarios",
        sampleScenario({
          name: "Review sentiment — own classifier",
          useCases: ["review-sentiment-analysis"],
          audience: { usersAtLaunch: 20_000, monthlyGrowthPct: 5, horizonMonths: 12 },
          usage: { requestsPerUserPerDay: 20 },
          model: { strategy: "self-host", architecture: ARCHITECTURE },
        }),
        201,
      );
      const { plan, reportUrl } = await post<PlanBody>(t, `/v1/scenarios/${scenario.id}/plan`, {}, 201);

      // The box in the plan document: its price and what its options rest on.
      expect(plan.measuredHardware).toHaveLength(1);
      const mh = plan.measuredHardware![0];
      expect(mh).toMatchObject({ profileId, kind: "cpu", emulation: null, pricing: "owned" });
      expect(mh.usdPerHour).toBeCloseTo(OWNED_USD_PER_HOUR, 10);
      expect(mh.priceSource).toContain("depreciation");
      const onBox = plan.options.filter((o) => o.measured?.profileId === profileId);
      expect(onBox.map((o) => o.id).sort()).toEqual([...mh.optionIds].sort());

      // The scenario's own model on the box, from the measured run of exactly its configuration.
      const own = onBox.find((o) => o.measured!.basis === "measured" && !o.model.id.startsWith("bench:"))!;
      expect(own).toBeDefined();
      expect(own.pricing).toBe("owned");
      expect(own.measured!.runIds).toHaveLength(1);
      expect(own.measured!.detail).toMatch(/the benchmark is the cost, no extrapolation/);
      const runs = (await (await t.call("GET", `/v1/benchmarks/runs?hardwareProfileId=${profileId}&limit=100`)).json()) as { items: (BenchRun & { id: string })[] };
      const measuredRun = runs.items.find((r) => r.id === own.measured!.runIds[0])!;
      expect(measuredRun).toMatchObject({ family: "text-classifier", phase: "inference", scope: "whole-machine" });
      // Capacity of one box = the run's samples per second (one review per request).
      expect(own.capacityRequestsPerSecPerReplica!.expected).toBeCloseTo(measuredRun.samplesPerS!, 6);

      // Compared side by side with the catalog's GPUs and the hosted APIs.
      const catalogSelf = plan.options.filter((o) => o.kind === "self-host" && !o.measured && o.model.id === own.model.id && o.pricing === "on-demand");
      expect(catalogSelf.length).toBeGreaterThan(0);
      expect(plan.options.some((o) => o.kind === "hosted")).toBe(true);

      // Chosen: the box is the cheapest accelerator for the own model (computed, not assumed), with its reason.
      const cheapestForOwn = [...catalogSelf, ...onBox.filter((o) => o.model.id === own.model.id)].reduce((a, b) => (b.totalCostUsd < a.totalCostUsd ? b : a));
      expect(cheapestForOwn.id).toBe(own.id);
      expect(plan.workloads[0].chosenOptionId).toBe(own.id);
      expect(plan.workloads[0].chosenReason).toContain(`hardware profile ${profileId}`);
      expect(plan.workloads[0].chosenReason).toMatch(/owned, at its TCO per hour.*cheapest accelerator for it over the horizon, measured machines included/);

      // The use case's presets (BERT) estimated on the box: over the latency target there, said so rather than left out silently.
      expect(plan.warnings.join("\n")).toMatch(new RegExp(`BERT-Base.*cannot be served on hardware profile ${profileId} within the 300 ms target`));

      // The unpriced profile: a warning with the call that prices it.
      expect(plan.warnings.join("\n")).toContain(`hardware profile ${unpriced.hardwareProfileId}`);
      expect(plan.warnings.join("\n")).toContain(`PUT /v1/hardware-profiles/${unpriced.hardwareProfileId}/price`);
      expect(plan.options.some((o) => o.measured?.profileId === unpriced.hardwareProfileId)).toBe(false);

      // The Markdown report shows the basis and the profile id (Markdown escapes the underscore).
      const md = await (await t.call("GET", reportUrl, undefined, { accept: "text/markdown" })).text();
      const esc = (x: string) => x.replace(/_/g, "\\_");
      expect(md).toContain("## Measured hardware");
      expect(md).toContain(`measured on ${esc(profileId)}`);
      expect(md).toContain(esc(own.measured!.runIds[0]));
      expect(md).toContain("catalog accelerator (estimator)");

      // Naming an unpriced profile is a 422 naming the field; [] plans without measured hardware.
      const refused = await expectProblem(await t.call("POST", `/v1/scenarios/${scenario.id}/plan`, { hardwareProfiles: [profileId, unpriced.hardwareProfileId] }), 422);
      expect(refused.errors!.map((e) => e.path)).toEqual(["hardwareProfiles.1"]);
      expect(refused.errors![0].message).toContain("has no price");
      const without = await post<PlanBody>(t, `/v1/scenarios/${scenario.id}/plan`, { hardwareProfiles: [] }, 201);
      expect(without.plan.measuredHardware).toBeUndefined();
      expect(without.plan.options.some((o) => o.measured)).toBe(false);
      expect(without.plan.workloads[0].chosenOptionId).not.toBe(own.id);

      // A scenario estimate on the box: the own model's measured throughput is the cost, beside the estimator's answer.
      const est = await post<{ measuredServing?: { profileId: string; basis: string; runIds: string[]; requestsPerSecPerBox: { expected: number }; usdPerMillionRequests: { expected: number } | null }; inference: unknown }>(
        t,
        `/v1/scenarios/${scenario.id}/estimates`,
        { hardware: profileId },
        201,
      );
      expect(est.inference).not.toBeNull();
      expect(est.measuredServing).toMatchObject({ profileId, basis: "measured", runIds: own.measured!.runIds });
      expect(est.measuredServing!.requestsPerSecPerBox.expected).toBeCloseTo(measuredRun.samplesPerS!, 6);
      expect(est.measuredServing!.usdPerMillionRequests!.expected).toBeCloseTo((OWNED_USD_PER_HOUR / (measuredRun.samplesPerS! * 3600)) * 1e6, 9);

      // The scenario can name the box as its hardware.
      const pinned = await post<{ id: string }>(
        t,
        "/v1/scenarios",
        sampleScenario({ name: "On the box", useCases: ["review-sentiment-analysis"], audience: { usersAtLaunch: 20_000, monthlyGrowthPct: 5, horizonMonths: 12 }, usage: { requestsPerUserPerDay: 20 }, model: { strategy: "self-host", architecture: ARCHITECTURE }, hardware: { accelerator: profileId } }),
        201,
      );
      const pinnedPlan = await post<PlanBody>(t, `/v1/scenarios/${pinned.id}/plan`, { hardwareProfiles: [] }, 201);
      expect(pinnedPlan.plan.workloads[0].chosenReason).toContain("(scenario hardware)");
      expect(pinnedPlan.plan.options.find((o) => o.id === pinnedPlan.plan.workloads[0].chosenOptionId)!.measured!.profileId).toBe(profileId);
    },
    180_000,
  );

  it("names every bad field of a plan request in one 422: unpriced and unknown profiles, the scenario's own unpriced box, a bad option", async () => {
    t = await createTestApp();
    const box = await post<{ hardwareProfileId: string }>(t, "/v1/benchmarks/results", upload({ tag: "unpriced" }), 201);
    const scenario = await post<{ id: string }>(
      t,
      "/v1/scenarios",
      sampleScenario({ useCases: ["review-sentiment-analysis"], model: { strategy: "self-host", architecture: ARCHITECTURE }, hardware: { accelerator: box.hardwareProfileId } }),
      201,
    );
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${scenario.id}/plan`, { hardwareProfiles: [box.hardwareProfileId, "hwp_nope"], targetGrossMarginPct: 170 }), 422);
    expect(p.errors!.map((e) => e.path).sort()).toEqual(["hardware.accelerator", "hardwareProfiles.0", "hardwareProfiles.1", "targetGrossMarginPct"]);
    expect(p.errors!.find((e) => e.path === "hardwareProfiles.0")!.message).toContain("has no price");
    expect(p.errors!.find((e) => e.path === "hardware.accelerator")!.message).toContain("has no price");
  }, 60_000);

  it("labels a software-emulated profile as such in a plan, never as a GPU", async () => {
    t = await createTestApp();
    const emu = await post<{ hardwareProfileId: string }>(t, "/v1/benchmarks/results", upload({ tag: "lavapipe", emulated: true }), 201);
    const profile = (await (await t.call("GET", `/v1/hardware-profiles/${emu.hardwareProfileId}`)).json()) as { kind: string };
    expect(profile.kind).toBe("cpu");
    await post(t, `/v1/hardware-profiles/${emu.hardwareProfileId}/price`, OWNED);
    const scenario = await post<{ id: string }>(
      t,
      "/v1/scenarios",
      sampleScenario({ useCases: ["review-sentiment-analysis"], audience: { usersAtLaunch: 5_000, monthlyGrowthPct: 5, horizonMonths: 6 }, usage: { requestsPerUserPerDay: 5 }, model: { strategy: "self-host", architecture: ARCHITECTURE } }),
      201,
    );
    const { plan } = await post<PlanBody>(t, `/v1/scenarios/${scenario.id}/plan`, { hardwareProfiles: [emu.hardwareProfileId] }, 201);
    const mh = plan.measuredHardware![0];
    expect(mh).toMatchObject({ kind: "cpu", emulation: SOFTWARE_GPU_LABEL });
    expect(plan.warnings.join("\n")).toContain(`${emu.hardwareProfileId} is ${SOFTWARE_GPU_LABEL}`);
    for (const o of plan.options.filter((x) => x.measured)) expect(o.label).toContain("emulation");
    // `local` never means an uploaded or emulated profile.
    const local = await expectProblem(await t.call("POST", `/v1/scenarios/${scenario.id}/plan`, { hardwareProfiles: ["local"] }), 422);
    expect(local.errors![0].path).toBe("hardwareProfiles.0");
  }, 120_000);
});
