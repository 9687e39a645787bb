import { describe, it, expect } from "vitest";
import { buildPlan } from "../src/index";
import { firstNonFinite } from "../src/plan";
import { chatUseCase, fixtureCatalog, plannerError as errorOf, scenario } from "./fixtures";


const uc = [chatUseCase];
const cat = fixtureCatalog();

describe("PlannerInputError says what the plan needs", () => {
  it("no use case", () => {
    const e = errorOf(() => buildPlan(scenario({ useCases: [] }), uc, cat));
    expect(e.path).toEqual(["useCases"]);
    expect(e.message).toMatch(/needs at least one use case/);
  });

  it("a use case without its catalog entry", () => {
    const e = errorOf(() => buildPlan(scenario({ useCases: ["test-chat", "nope"] }), uc, cat));
    expect(e.path).toEqual(["useCases", 1]);
    expect(e.message).toMatch(/Unknown use case 'nope'/);
  });

  it("no pricing", () => {
    const e = errorOf(() => buildPlan(scenario({ pricing: undefined }), uc, cat));
    expect(e.path).toEqual(["pricing"]);
    expect(e.message).toMatch(/needs pricing/);
  });

  it("horizon over the limit", () => {
    const e = errorOf(() => buildPlan(scenario({ audience: { horizonMonths: 121 } }), uc, cat));
    expect(e.path).toEqual(["audience", "horizonMonths"]);
    expect(e.message).toMatch(/1 to 120 whole months; horizonMonths was 121/);
  });

  it("growth that compounds past any real audience", () => {
    // 300% a month for 120 months: 1,000 × 4^119 users
    const e = errorOf(() => buildPlan(scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 300, horizonMonths: 120 } }), uc, cat));
    expect(e.path).toEqual(["audience", "monthlyGrowthPct"]);
    expect(e.message).toMatch(/reaches 4\.42e\+74 users by month 120/);
    // 1e9 users at 0% growth is fine
    expect(() => buildPlan(scenario({ audience: { usersAtLaunch: 1e9, monthlyGrowthPct: 0, horizonMonths: 3 } }), uc, cat, { projectionsOnly: true })).not.toThrow();
  });

  it("a cached prompt prefix longer than the prompt", () => {
    const e = errorOf(() => buildPlan(scenario({ usage: { requestProfile: { cachedInputTokens: 1001 } } }), uc, cat));
    expect(e.path).toEqual(["usage", "requestProfile", "cachedInputTokens"]);
    expect(e.message).toMatch(/exceeds the 1000 prompt tokens per request of 'test-chat'/);
  });

  it("collects every problem, the first one as path", () => {
    const e = errorOf(() => buildPlan(scenario({ useCases: [], pricing: undefined, audience: { horizonMonths: 0 } }), uc, cat));
    expect(e.issues.map((i) => i.path.join("."))).toEqual(["useCases", "pricing", "audience.horizonMonths"]);
    expect(e.path).toEqual(["useCases"]);
    expect(e.message).toMatch(/and 2 more problems/);
  });

  it("unknown hosted model, preset, accelerator and bad options", () => {
    expect(errorOf(() => buildPlan(scenario({ model: { strategy: "hosted-api", hostedModel: "nope" } }), uc, cat)).path).toEqual(["model", "hostedModel"]);
    expect(errorOf(() => buildPlan(scenario({ model: { strategy: "self-host", preset: "nope" } }), uc, cat)).path).toEqual(["model", "preset"]);
    expect(errorOf(() => buildPlan(scenario({ model: { strategy: "self-host", preset: "m-small", parameters: 1e9 } }), uc, cat)).path).toEqual(["model", "parameters"]);
    expect(errorOf(() => buildPlan(scenario({ hardware: { accelerator: "tpu-x" } }), uc, cat)).path).toEqual(["hardware", "accelerator"]);
    expect(errorOf(() => buildPlan(scenario(), uc, cat, { targetGrossMarginPct: 100 })).path).toEqual(["options", "targetGrossMarginPct"]);
    expect(errorOf(() => buildPlan(scenario(), uc, cat, { sensitivityPct: 0 })).path).toEqual(["options", "sensitivityPct"]);
    // found by the API fuzzer: a denormal utilisation made every replica count infinite
    expect(errorOf(() => buildPlan(scenario(), uc, cat, { targetPeakUtilisation: 5e-324 })).path).toEqual(["options", "targetPeakUtilisation"]);
  });

  it("a model that cannot be served on the requested accelerator", () => {
    const small = fixtureCatalog();
    const original = small.servingCapacity.bind(small);
    small.servingCapacity = (q) => (q.acceleratorId === "gpu-a" && "preset" in q.model && q.model.preset === "m-big" ? null : original(q));
    const e = errorOf(() => buildPlan(scenario({ model: { strategy: "self-host", preset: "m-big" }, hardware: { accelerator: "gpu-a" } }), uc, small));
    expect(e.path).toEqual(["hardware", "accelerator"]);
    expect(e.message).toMatch(/cannot be served on gpu-a/);
  });

  it("gives the estimation engine's own refusal, naming the field it is about", () => {
    // a catalog whose engine refuses int4 on GPU-A outright, as the estimator refuses nvfp4 without FP4 tensor cores
    const refusing = fixtureCatalog();
    const original = refusing.servingCapacity.bind(refusing);
    refusing.servingCapacity = (q) => (q.acceleratorId === "gpu-a" && q.quantization === "int4" ? null : original(q));
    refusing.servingRefusal = (q) => (q.acceleratorId === "gpu-a" && q.quantization === "int4" ? { field: "quantization", message: "GPU-A has no int4 kernels; give int8" } : null);
    const e = errorOf(() => buildPlan(scenario({ model: { strategy: "self-host", preset: "m-big", quantization: "int4" }, hardware: { accelerator: "gpu-a" } }), uc, refusing));
    expect(e.path).toEqual(["model", "quantization"]);
    expect(e.message).toBe("M-Big int4 cannot be served on gpu-a: GPU-A has no int4 kernels; give int8.");
    // the engine accepts the query (it does not fit or misses the latency): the general reason, naming the hardware
    refusing.servingRefusal = () => null;
    const general = errorOf(() => buildPlan(scenario({ model: { strategy: "self-host", preset: "m-big", quantization: "int4" }, hardware: { accelerator: "gpu-a" } }), uc, refusing));
    expect(general.path).toEqual(["hardware", "accelerator"]);
    expect(general.message).toMatch(/at the 'test-chat' latency target \(it does not fit or no batch meets the target\)/);
  });

  it("a provider with no price for the scenario's accelerator: refused, never swapped for another provider's", () => {
    // GPU-B is priced by p2 only
    const e = errorOf(() => buildPlan(scenario({ model: { strategy: "self-host", preset: "m-big" }, hardware: { accelerator: "gpu-b", provider: "p1" } }), uc, cat));
    expect(e.path).toEqual(["hardware", "provider"]);
    expect(e.message).toBe("No gpu-b price for provider 'p1' in the price catalog (providers with one: p2): name one of them as hardware.provider, or omit it for the cheapest listing.");
    // with a provider that prices it, the plan serves there and says it is the scenario's hardware
    const plan = buildPlan(scenario({ model: { strategy: "self-host", preset: "m-big" }, hardware: { accelerator: "gpu-b", provider: "p2" } }), uc, cat, { projectionsOnly: true });
    const chosen = plan.options.find((o) => o.id === plan.workloads[0].chosenOptionId)!;
    expect(chosen.accelerator).toMatchObject({ id: "gpu-b", provider: "p2" });
    expect(plan.workloads[0].chosenReason).toContain("(scenario hardware)");
  });

  it("finds non-finite figures before they reach JSON", () => {
    expect(firstNonFinite({ a: [1, { b: Infinity }] })).toBe("$.a[1].b");
    expect(firstNonFinite({ a: [1, { b: 2 }], c: null })).toBeNull();
  });
});
