import { describe, it, expect } from "vitest";
import catalogFile from "@modelplan/db/seed/use-cases.json";
import { buildPlan, describeEffect, estimatorCatalog, improves, planScenario, type Plan, type RecommendationEffect, type UseCase } from "../src/index";
import { fmtPct, fmtUsd } from "../src/format";
import { chatUseCase, fixtureCatalog, scenario, visionUseCase } from "./fixtures";

const uc = [chatUseCase, visionUseCase];
const useCases = catalogFile.items as UseCase[];

/** Every recommendation's text agrees with its effect: "saves" ⇒ cost falls and margin and cash do not. */
function expectConsistent(plan: Plan) {
  const mm = plan.results.metricMonth;
  for (const r of plan.recommendations) {
    const e = r.effect;
    const text = r.rationale;
    if (r.category === "acquisition") expect(e.cumulativeCashAtHorizonUsdAfter, r.id).toBeGreaterThan(e.cumulativeCashAtHorizonUsdBefore);
    if (r.category !== "pricing" && r.category !== "acquisition") {
      expect(e.costSavingsUsd, r.id).toBeGreaterThan(0);
      expect(text, r.id).toContain(`saves ${fmtUsd(e.costSavingsUsd)} over the horizon`);
    }
    if (text.includes(" saves ")) {
      expect(e.costSavingsUsd, r.id).toBeGreaterThan(0);
      if (e.month12GrossMarginPctBefore !== null && e.month12GrossMarginPctAfter !== null) expect(e.month12GrossMarginPctAfter, r.id).toBeGreaterThanOrEqual(e.month12GrossMarginPctBefore);
      expect(e.cumulativeCashAtHorizonUsdAfter, r.id).toBeGreaterThanOrEqual(e.cumulativeCashAtHorizonUsdBefore);
    }
    const b = e.month12GrossMarginPctBefore;
    const a = e.month12GrossMarginPctAfter;
    if (b !== null && a !== null) {
      if (text.includes(`raises the month-${mm} gross margin`)) {
        expect(a, r.id).toBeGreaterThan(b);
        expect(text, r.id).toContain(`from ${fmtPct(b)} to ${fmtPct(a)}`);
      }
      expect(text.includes(`lowers the month-${mm} gross margin`), r.id).toBe(a < b - 0.05);
    }
    if (text.includes("extends the runway")) expect(e.runwayMonthsAfter, r.id).toBeGreaterThan(e.runwayMonthsBefore);
    if (text.includes("shortens the runway")) expect(e.runwayMonthsAfter, r.id).toBeLessThan(e.runwayMonthsBefore);
  }
}

describe("recommendations say what their numbers say", () => {
  it("writes each verb from the sign of its figure", () => {
    const base: RecommendationEffect = {
      month12GrossMarginPctBefore: 68.5, month12GrossMarginPctAfter: 58.3, totalCostUsdBefore: 10_000, totalCostUsdAfter: 7_971,
      costSavingsUsd: 2_029, runwayMonthsBefore: 12, runwayMonthsAfter: 12, cumulativeCashAtHorizonUsdBefore: 1000, cumulativeCashAtHorizonUsdAfter: 3029,
    };
    // the contradiction: a saving over the horizon with a lower month-12 margin
    const text = describeEffect(base, 12);
    expect(text).toContain("saves $2029 over the horizon");
    expect(text).toContain("lowers the month-12 gross margin from 68.5% to 58.3%");
    expect(improves(base)).toBe(false); // a trade-off, so never offered as a saving
    expect(improves({ ...base, month12GrossMarginPctAfter: 70 })).toBe(true);
    const costlier = describeEffect({ ...base, costSavingsUsd: -500, totalCostUsdAfter: 10_500 }, 12);
    expect(costlier).not.toContain("saves");
    expect(costlier).toContain("adds $500 of cost over the horizon");
  });

  it("holds for fixture plans with every kind of recommendation", () => {
    const plans = [
      buildPlan(scenario({ model: { strategy: "hosted-api", hostedModel: "h-pricey" } }), uc, fixtureCatalog(), { targetGrossMarginPct: 95 }),
      buildPlan(scenario({ model: { strategy: "self-host", preset: "m-big" }, hardware: { accelerator: "gpu-a" }, audience: { usersAtLaunch: 20_000, monthlyGrowthPct: 10, horizonMonths: 12 } }), uc, fixtureCatalog(), { reservedDiscountPct: 40 }),
      buildPlan(scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 50, horizonMonths: 12 }, pricing: { model: "perRequest", priceUsd: 0.004 } }), uc, fixtureCatalog()),
      buildPlan(scenario({ model: { strategy: "self-host", preset: "m-small" }, hardware: { accelerator: "gpu-a" }, audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 12 } }), uc, fixtureCatalog(), { reservedDiscountPct: 40 }),
    ];
    const categories = new Set(plans.flatMap((p) => p.recommendations.map((r) => r.category)));
    expect([...categories].sort()).toEqual(expect.arrayContaining(["batching", "caching", "hosted-model", "move-off-hosted", "pricing", "quantisation", "reserved-capacity", "smaller-model"]));
    for (const p of plans) expectConsistent(p);
  });

  it("holds on the real catalogs, self-hosted and hosted, where replica rounding could contradict the total", () => {
    const base = { id: "s", workspaceId: "w", version: 1, createdAt: "", updatedAt: "", name: "support", useCases: ["smart-customer-service"], usage: { requestsPerUserPerDay: 6 }, funding: { cashUsd: 1_500_000, monthlyNonComputeBurnUsd: 80_000 }, pricing: { model: "perSeatMonthly" as const, priceUsd: 12 }, funnel: { freeToPaidPct: 3, paidChurnPct: 4, acquisition: { cacUsd: 150 } } };
    const plans = [
      planScenario({ ...base, audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 24 }, model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" } }, useCases),
      planScenario({ ...base, audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 24 }, model: { strategy: "self-host", preset: "llama-3-8b" }, hardware: { accelerator: "a100-80gb-pcie" } }, useCases, { reservedDiscountPct: 30 }),
    ];
    expect(estimatorCatalog().hostedModels.length).toBeGreaterThan(10);
    for (const p of plans) expectConsistent(p);
    expect(plans.some((p) => p.recommendations.length > 0)).toBe(true);
    // LTV/CAC 1.8 in month 12 on the README scenario: lower the CAC to LTV / 3
    const cacRec = plans[0].recommendations.find((r) => r.category === "acquisition")!;
    const um = plans[0].results.unitEconomics;
    expect(um.ltvToCac!).toBeLessThan(3);
    expect(cacRec.change).toBe(`funnel.acquisition.cacUsd: 150 → ${Number((um.ltvUsd! / 3).toPrecision(4))}`);
    expect(cacRec.rationale).toContain("adds");
  });
});
