import { describe, it, expect } from "vitest";
import { buildPlan, DEFAULT_SETTINGS, engineerMonthUsd, PEOPLE_DEFAULTS } from "../src/index";
import { chatUseCase, fixtureCatalog, scenario, visionUseCase } from "./fixtures";

const uc = [chatUseCase, visionUseCase];
const ENGINEER_MONTH = engineerMonthUsd(DEFAULT_SETTINGS);
const A = "test-chat/self-host:m-small:bf16:gpu-a:p1:on-demand";
const B = "test-chat/self-host:m-small:bf16:gpu-b:p2:on-demand";

describe("the full cost of running your own model", () => {
  it("prices an engineer-month from the sourced salary and employer-cost defaults", () => {
    // BLS OEWS May 2024 mean for software developers × BLS ECEC Sept 2024 (44.40 / 31.25) / 12 months
    expect(PEOPLE_DEFAULTS.engineerAnnualSalaryUsd.value).toBe(144_570);
    expect(ENGINEER_MONTH).toBeCloseTo((144_570 * (44.4 / 31.25)) / 12, 6); // $17,117
    expect(engineerMonthUsd({ ...DEFAULT_SETTINGS, engineerAnnualSalaryUsd: 200_000, employerCostMultiplier: 1.3 })).toBeCloseTo((200_000 * 1.3) / 12, 9);
  });

  it("adds engineering and on-call to every self-hosted option and to the chosen deployment", () => {
    const plan = buildPlan(scenario({ model: { strategy: "self-host", preset: "m-small" }, hardware: { accelerator: "gpu-a" } }), uc, fixtureCatalog(), { projectionsOnly: true });
    const a = plan.options.find((o) => o.id === A)!;
    expect(a.peopleCostUsdPerMonth).toBeCloseTo(0.5 * ENGINEER_MONTH, 9);
    expect(a.series.runningCostUsd[0]).toBeCloseTo(1460 + 0.5 * ENGINEER_MONTH, 6);
    expect(plan.months[0].peopleCostUsd).toBeCloseTo(0.5 * ENGINEER_MONTH, 9);
    expect(plan.months[0].costOfRevenueUsd).toBeCloseTo(1460 + 0.5 * ENGINEER_MONTH, 6);
    // a hosted API needs none of it
    expect(plan.options.find((o) => o.kind === "hosted")!.peopleCostUsdPerMonth).toBe(0);
    const doubled = buildPlan(scenario({ model: { strategy: "self-host", preset: "m-small" }, hardware: { accelerator: "gpu-a" } }), uc, fixtureCatalog(), { projectionsOnly: true, selfHostEngineerMonthsPerMonth: 1, engineerAnnualSalaryUsd: 120_000, employerCostMultiplier: 1.25 });
    expect(doubled.months[0].peopleCostUsd).toBeCloseTo((120_000 * 1.25) / 12, 9);
  });

  it("moves the build-vs-buy crossover to where self-hosting pays for its people (by hand)", () => {
    // 50% growth, H-Cheap at $0.4258 per user-month. GPU bill alone: self-hosting wins in month 5 (projection
    // tests). With half an engineer ($8,558.5/month) on top: month 8 has 17,085.9 users → hosted $7,275.8 vs
    // $1,460 + $8,558.5; month 9 has 25,628.9 users → hosted $10,913.6 vs 1.112 replicas of capacity
    // ($1,624.1) + $8,558.5 = $10,182.6, 6.7% cheaper — beyond the 5% hysteresis → month 9.
    const s = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 50, horizonMonths: 12 }, pricing: { model: "perRequest", priceUsd: 0.004 } });
    const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
    expect(plan.workloads[0].buildVsBuyCrossoverMonth).toBe(9);
    expect(plan.results.crossovers[0]).toMatchObject({ month: 9, from: "test-chat/hosted:h-cheap", to: A });
    const a = plan.options.find((o) => o.id === A)!;
    expect(a.series.capacityCostUsd[8]).toBeCloseTo(((25_628.90625 * (730 / 24) * 10 * 3) / (730 * 3600) / 8) * 1460 + 0.5 * ENGINEER_MONTH, 4);
    const computeOnly = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true, selfHostEngineerMonthsPerMonth: 0 });
    expect(computeOnly.workloads[0].buildVsBuyCrossoverMonth).toBe(5);
  });

  it("charges a fine-tune its data preparation, evaluation and the GPU time as billed", () => {
    // Fixture training: 50M tokens on M-Small = $50 for 25 GPU-hours on 1 GPU. GPU-B is rented as 4-GPU
    // instances, so 4 × 25 = 100 GPU-hours are billed: $200. Data preparation 1 engineer-month, evaluation 0.5.
    const s = scenario({ model: { strategy: "fine-tune", preset: "m-small", trainingTokens: 50_000_000 }, hardware: { accelerator: "gpu-b" } });
    const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
    const chosen = plan.options.find((o) => o.id === plan.workloads[0].chosenOptionId)!;
    expect(chosen.oneOffBreakdown).toMatchObject({ gpuHours: 25, billedGpuHours: 100 });
    expect(chosen.oneOffBreakdown!.gpuUsd).toBeCloseTo(200, 9);
    expect(chosen.oneOffBreakdown!.dataPreparationUsd).toBeCloseTo(ENGINEER_MONTH, 9);
    expect(chosen.oneOffBreakdown!.evaluationUsd).toBeCloseTo(0.5 * ENGINEER_MONTH, 9);
    expect(chosen.oneOffCostUsd).toBeCloseTo(200 + 1.5 * ENGINEER_MONTH, 6);
    expect(chosen.oneOffBreakdown!.billingRule).toContain("whole 4-GPU instances");
    expect(plan.months[0].oneOffCostUsd).toBeCloseTo(chosen.oneOffCostUsd, 9);
  });
});

describe("stable crossovers", () => {
  // Peak traffic grows from 8 to 45 requests/s. M-Small holds 8 rps per GPU-A replica ($1,460) and 20 per
  // GPU-B replica ($2,555). Rounded to whole replicas, GPU-B is cheaper in months 2–6, GPU-A again in months
  // 7–8 (3 × $1,460 < 2 × $2,555), then GPU-B again: the old choice flipped back and forth.
  const s = scenario({ model: { strategy: "self-host", preset: "m-small" }, audience: { usersAtLaunch: 23_000, monthlyGrowthPct: 17, horizonMonths: 12 } });
  const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
  const a = plan.options.find((o) => o.id === A)!;
  const b = plan.options.find((o) => o.id === B)!;

  it("would flip on whole-replica costs", () => {
    const rounded = a.series.computeCostUsd.map((x, i) => (x <= b.series.computeCostUsd[i] ? "A" : "B")).join("");
    expect(rounded).toBe("ABBBBBAABBBB");
  });

  it("changes once on capacity cost with hysteresis, and never back", () => {
    const w = plan.workloads[0];
    const picks = w.cheapestByMonth.map((id) => (id === A ? "A" : id === B ? "B" : id === "test-chat/hosted:h-cheap" ? "H" : id));
    // Month 1 the hosted API ($9,794) beats GPU-A with its engineer ($10,018). Then on capacity cost
    // (fractional replicas + the same engineering on both GPUs): GPU-B is 1.6% cheaper than GPU-A in month 5,
    // inside the 5% band, and 5.5% cheaper in month 6 → GPU-A to GPU-B once, in month 6, and never back.
    expect(picks.join("")).toBe("HAAAABBBBBBB");
    expect(w.crossovers.map((c) => [c.month, c.to])).toEqual([[2, A], [6, B]]);
    expect(w.crossovers[1].reason).toContain("beyond the 5% hysteresis margin");
    const none = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true, crossoverHysteresisPct: 0 });
    expect(none.workloads[0].crossovers.map((c) => c.month)).toEqual([2, 5]);
  });
});
