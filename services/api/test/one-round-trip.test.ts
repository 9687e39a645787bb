import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_PROBLEM_ERRORS } from "../src/lib/problem";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";

// Issue 16 §4: what a body names that does not exist (preset, accelerator, hosted model, provider, use
// case, hardware profile, stored plan or scenario) is reported in the same 422 errors[] as the schema's
// findings, so one round trip names every problem — on every route whose body names such things.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const paths = (p: { errors?: { path: string }[] }) => (p.errors ?? []).map((e) => e.path).sort();

async function createScenario(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.call("POST", "/v1/scenarios", sampleScenario(overrides));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("one 422 names every kind of mistake", () => {
  it("training estimate: unknown preset, unknown accelerator and tokens: -5", async () => {
    const p = await expectProblem(await t.call("POST", "/v1/estimates/training", { model: { preset: "llama-9-7b" }, hardware: "a100-800gb", gpus: 8, tokens: -5 }), 422);
    expect(paths(p)).toEqual(["hardware", "model.preset", "tokens"]);
    expect(p.errors!.find((e) => e.path === "model.preset")!.message).toContain("llama-9-7b");
    expect(p.errors!.find((e) => e.path === "hardware")!.message).toContain("a100-800gb");
    expect(p.errors!.every((e) => e.location === "body")).toBe(true);
    expect(p.detail).toBe("3 fields are invalid: tokens, model.preset, hardware");
  });

  it("training estimate: an unknown provider and a hardware profile that was never measured", async () => {
    const p = await expectProblem(await t.call("POST", "/v1/estimates/training", { model: { preset: "gpt-2" }, hardware: "local", tokens: 1e6, provider: "nimbus" }), 422);
    expect(paths(p)).toEqual(["hardware", "provider"]);
    const q = await expectProblem(await t.call("POST", "/v1/estimates/training", { model: { preset: "gpt-2" }, hardware: "hwp_missing", tokens: 0 }), 422);
    expect(paths(q)).toEqual(["hardware", "tokens"]);
    expect(q.errors!.find((e) => e.path === "hardware")!.message).toContain("hwp_missing");
  });

  it("serving estimate: unknown preset, unknown accelerator and a negative request rate", async () => {
    const p = await expectProblem(
      await t.call("POST", "/v1/estimates/inference", { model: { preset: "llama-9-7b" }, hardware: "h900", workload: { requestsPerSecondPeak: -1 } }),
      422,
    );
    expect(paths(p)).toEqual(["hardware", "model.preset", "workload.requestsPerSecondPeak"]);
  });

  it("scenario estimate: unknown accelerator override, unknown provider and a bad GPU count", async () => {
    const id = await createScenario({ model: { strategy: "self-host", preset: "llama-3-8b" }, hardware: { accelerator: "l4" } });
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/estimates`, { hardware: "tpu-v99", provider: "nimbus", gpusPerReplica: 0 }), 422);
    expect(paths(p)).toEqual(["gpusPerReplica", "hardware", "provider"]);
  });

  it("scenario create: unknown use case, unknown preset, unknown accelerator and a negative audience", async () => {
    const body = sampleScenario({
      useCases: ["smart-customer-service", "telepathy"],
      model: { strategy: "self-host", preset: "llama-9-7b" },
      hardware: { accelerator: "h900" },
      audience: { usersAtLaunch: -1, monthlyGrowthPct: 8, horizonMonths: 24 },
    });
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", body), 422);
    expect(paths(p)).toEqual(["audience.usersAtLaunch", "hardware.accelerator", "model.preset", "useCases.1"]);
    expect(p.errors!.find((e) => e.path === "useCases.1")!.message).toContain("telepathy");
  });

  it("scenario create: an unknown hosted model with a schema error", async () => {
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario({ model: { strategy: "hosted-api", hostedModel: "gpt-9" }, usage: { requestsPerUserPerDay: -2 } })), 422);
    expect(paths(p)).toEqual(["model.hostedModel", "usage.requestsPerUserPerDay"]);
  });

  it("scenario patch: unknown accelerator and use case with a schema error, and nothing is stored", async () => {
    const id = await createScenario();
    const before = await (await t.call("GET", `/v1/scenarios/${id}`)).json();
    const p = await expectProblem(
      await t.call("PATCH", `/v1/scenarios/${id}`, { useCases: ["telepathy"], hardware: { accelerator: "h900" }, name: "" }, { "if-match": '"1"' }),
      422,
    );
    expect(paths(p)).toEqual(["hardware.accelerator", "name", "useCases.0"]);
    expect(await (await t.call("GET", `/v1/scenarios/${id}`)).json()).toEqual(before);
  });

  it("plan: hardware profiles that do not exist and a bad option, named together", async () => {
    const id = await createScenario();
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/plan`, { hardwareProfiles: ["local", "hwp_nope"], targetGrossMarginPct: 170 }), 422);
    expect(paths(p)).toEqual(["hardwareProfiles.0", "hardwareProfiles.1", "targetGrossMarginPct"]);
    expect(p.errors!.find((e) => e.path === "hardwareProfiles.1")!.message).toContain("hwp_nope");
    expect(p.detail).toBe("3 fields are invalid: targetGrossMarginPct, hardwareProfiles.0, hardwareProfiles.1");
    // an entry the schema refuses is named once, by the schema; the others are still looked up
    const q = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/plan`, { hardwareProfiles: ["", "hwp_nope", 7] }), 422);
    expect(paths(q)).toEqual(["hardwareProfiles.0", "hardwareProfiles.1", "hardwareProfiles.2"]);
    // a scenario that does not exist is still a 404, whatever its options name
    await expectProblem(await t.call("POST", "/v1/scenarios/scn_missing/plan", { hardwareProfiles: ["hwp_nope"] }), 404);
  });

  it("plan comparison: options naming hardware profiles that do not exist, with a bad option", async () => {
    const a = await createScenario();
    const b = await createScenario();
    const p = await expectProblem(await t.call("POST", "/v1/plans/compare", { scenarioIds: [a, b], options: { hardwareProfiles: ["hwp_nope"], sensitivityPct: 0 } }), 422);
    expect(paths(p)).toEqual(["options.hardwareProfiles.0", "options.sensitivityPct"]);
  });

  it("plan comparison: scenarios that do not exist and bad options", async () => {
    const id = await createScenario();
    const p = await expectProblem(await t.call("POST", "/v1/plans/compare", { scenarioIds: [id, "scn_missing"], options: { targetGrossMarginPct: 120 } }), 422);
    expect(paths(p)).toEqual(["options.targetGrossMarginPct", "scenarioIds.1"]);
  });

  it("benchmark prediction: a profile that does not exist and a bad batch size", async () => {
    const p = await expectProblem(await t.call("POST", "/v1/benchmarks/predict", { hardwareProfileId: "hwp_nope", family: "mlp", phase: "training", batchSize: 0 }), 422);
    expect(paths(p)).toEqual(["batchSize", "hardwareProfileId"]);
  });

  it("a field the schema refused is not named twice, and a valid body still gets its answer", async () => {
    // a preset that is not a string is the schema's to refuse; the reference check does not add to it
    const p = await expectProblem(await t.call("POST", "/v1/estimates/training", { model: { preset: 7 }, hardware: "tpu-v99", tokens: 1e6 }), 422);
    expect(paths(p)).toEqual(["hardware", "model.preset"]);
    const ok = await t.call("POST", "/v1/estimates/training", { model: { preset: "gpt-2" }, hardware: "l4", tokens: 1e6 });
    expect(ok.status).toBe(200);
  });

  it("the semantic errors respect the cap: at most MAX_PROBLEM_ERRORS listed, the rest counted", async () => {
    const unknownKeys = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`k${i}`, 1]));
    const p = (await expectProblem(
      await t.call("POST", "/v1/estimates/training", { model: { preset: "llama-9-7b" }, hardware: "tpu-v99", tokens: 1e6, ...unknownKeys }),
      422,
    )) as Awaited<ReturnType<typeof expectProblem>> & { errorsOmitted?: number };
    expect(p.errors).toHaveLength(MAX_PROBLEM_ERRORS);
    expect(p.errorsOmitted).toBe(150 + 2 - MAX_PROBLEM_ERRORS);
    expect(p.detail).toMatch(/^152 fields are invalid: .*, and 132 more$/);
  });

  it("a list longer than the schema allows is refused as a whole, its entries are not looked up", async () => {
    const slugs = Array.from({ length: 5_000 }, (_, i) => `nope-${i}`);
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario({ useCases: slugs })), 422);
    expect(paths(p)).toEqual(["useCases"]);
  });
});
