import { describe, it, expect } from "vitest";
import { buildPlan, DEFAULT_SETTINGS, engineerMonthUsd, SENSITIVITY_VARIABLES } from "../src/index";
import { chatUseCase, fixtureCatalog, scenario, visionUseCase } from "./fixtures";

const uc = [chatUseCase, visionUseCase];

describe("sensitivity (tornado)", () => {
  it("ranks variables by their effect on month-12 gross margin, by hand", () => {
    // Flat hosted scenario: revenue $5,000 (1,000 seats × $5), compute $425.83 (H-Cheap), margin 91.48%.
    // price ±25%: margin 88.64% / 93.19% (swing 4.54 points)
    // hosted price, tokens, requests ±25%: compute × 0.75 / 1.25 → 93.61% / 89.35% (swing 4.26)
    // growth is 0 (±25% of 0 changes nothing); GPU price and utilisation do not touch a hosted plan.
    const plan = buildPlan(scenario(), uc, fixtureCatalog(), { sensitivityPct: 25 });
    const s = plan.sensitivity!;
    expect(s.metricMonth).toBe(3); // horizon shorter than 12 months
    const byVar = Object.fromEntries(s.rows.map((r) => [r.variable, r]));
    expect(byVar.price.grossMarginPctLow).toBeCloseTo((1 - 425.8333 / 3750) * 100, 3);
    expect(byVar.price.grossMarginPctHigh).toBeCloseTo((1 - 425.8333 / 6250) * 100, 3);
    expect(byVar.price.grossMarginSwingPct).toBeCloseTo(4.5422, 3);
    for (const v of ["hostedPrice", "tokensPerRequest", "requestsPerUser"]) expect(byVar[v].grossMarginSwingPct).toBeCloseTo(4.2583, 3);
    // conversion 100% −25% → 750 paying users pay $3,750 (the same as price −25%); +25% is capped at 100%
    expect(byVar.conversion.grossMarginPctLow).toBeCloseTo((1 - 425.8333 / 3750) * 100, 3);
    expect(byVar.conversion.highValue).toBe(100);
    expect(byVar.conversion.note).toBe("capped at 100");
    expect(s.rankByGrossMargin.slice(0, 5)).toEqual(["price", "hostedPrice", "requestsPerUser", "tokensPerRequest", "conversion"]);
    for (const v of ["growth", "gpuPrice", "utilisation", "cac", "paidChurn"]) expect(byVar[v].grossMarginSwingPct).toBe(0);
    expect(byVar.cac.note).toBe("no acquisition cost given");
    // the tornado's order: the swing in cash at the horizon, 3 months × the monthly change
    expect(byVar.price.cashSwingUsd).toBeCloseTo(3 * 2500, 6);
    expect(s.rows[0].variable).toBe("price");
  });

  it("measures runway swings and honours the configured percentage", () => {
    // Runs out in month 5 at base (see projection tests); price +/-50% moves the run-out month.
    const s = scenario({ audience: { usersAtLaunch: 100, monthlyGrowthPct: 0, horizonMonths: 12 }, pricing: { model: "perSeatMonthly", priceUsd: 10 }, funding: { cashUsd: 50_000, monthlyNonComputeBurnUsd: 12_000 } });
    const plan = buildPlan(s, uc, fixtureCatalog(), { sensitivityPct: 50 });
    const price = plan.sensitivity!.rows.find((r) => r.variable === "price")!;
    expect(price.lowValue).toBe(5);
    expect(price.highValue).toBe(15);
    // price $5: net −11,542.58/month → 50,000 − 4 × 11,542.58 = 3,829.7 after month 4, negative in month 5
    // price $15: net −10,542.58/month → 50,000 − 4 × 10,542.58 = 7,829.7 after month 4, negative in month 5
    expect(price.runwayMonthsLow).toBe(4);
    expect(price.runwayMonthsHigh).toBe(4);
    // growth 0, so only the variables that move monthly net cash can move runway; none moves it by a month here
    expect(plan.sensitivity!.rows.every((r) => r.runwaySwingMonths === 0)).toBe(true);
    expect(plan.sensitivity!.rankByRunway).toHaveLength(SENSITIVITY_VARIABLES.length);
    // one row per listed variable, each once
    expect(plan.sensitivity!.rows.map((r) => r.variable).sort()).toEqual([...SENSITIVITY_VARIABLES].sort());
    expect(plan.sensitivity!.pct).toBe(50);
  });

  it("ranks runway effects by hand", () => {
    // 1,000 seats × $5, compute $425.83, burn $10,000: net −$5,425.83 → $30,000 lasts 5 months (runs out in 6).
    // price $3.75: net −$6,675.83 → 4 months; price $6.25: net −$4,175.83 → 7 months → swing 3 months.
    // hosted price ±25%: net −$5,319.38 / −$5,532.29 → 5 / 5 months → swing 0.
    const s = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 24 }, funding: { cashUsd: 30_000, monthlyNonComputeBurnUsd: 10_000 } });
    const plan = buildPlan(s, uc, fixtureCatalog());
    expect(plan.results.runwayMonths).toBe(5);
    const price = plan.sensitivity!.rows.find((r) => r.variable === "price")!;
    expect([price.runwayMonthsLow, price.runwayMonthsHigh, price.runwaySwingMonths]).toEqual([4, 7, 3]);
    expect(plan.sensitivity!.rankByRunway[0]).toBe("price");
    expect(plan.sensitivity!.rows.find((r) => r.variable === "hostedPrice")!.runwaySwingMonths).toBe(0);
  });

  it("shows GPU price and utilisation effects on a self-hosted plan", () => {
    const s = scenario({ model: { strategy: "self-host", preset: "m-small" }, hardware: { accelerator: "gpu-a" }, pricing: { model: "perSeatMonthly", priceUsd: 5 } });
    const plan = buildPlan(s, uc, fixtureCatalog(), { selfHostEngineerMonthsPerMonth: 0 });
    const gpu = plan.sensitivity!.rows.find((r) => r.variable === "gpuPrice")!;
    // 1 replica × 730 h × $2 × (0.75 | 1.25) = $1,095 / $1,825 against $5,000 revenue
    expect(gpu.grossMarginPctLow).toBeCloseTo((1 - 1095 / 5000) * 100, 6);
    expect(gpu.grossMarginPctHigh).toBeCloseTo((1 - 1825 / 5000) * 100, 6);
    const hosted = plan.sensitivity!.rows.find((r) => r.variable === "hostedPrice")!;
    expect(hosted.grossMarginSwingPct).toBe(0);
  });
});

describe("recommendations are recomputed, not constants", () => {
  it("quantifies switching hosted model by re-running the plan", () => {
    const s = scenario({ model: { strategy: "hosted-api", hostedModel: "h-pricey" }, audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 3 } });
    const plan = buildPlan(s, uc, fixtureCatalog());
    const rec = plan.recommendations.find((r) => r.category === "hosted-model")!;
    expect(rec.change).toContain("h-cheap");
    const rerun = buildPlan({ ...s, model: { strategy: "hosted-api", hostedModel: "h-cheap" } }, uc, fixtureCatalog(), { projectionsOnly: true });
    expect(rec.effect.totalCostUsdAfter).toBeCloseTo(rerun.results.totalCostOfRevenueUsd, 6);
    expect(rec.effect.totalCostUsdBefore).toBeCloseTo(plan.results.totalCostOfRevenueUsd, 6);
    // H-Pricey: 1,000 × $10/M + 200 × $30/M = $0.016/request vs H-Cheap $0.0014 → saves 3 × 304,166.7 × 0.0146
    expect(rec.effect.costSavingsUsd).toBeCloseTo(3 * 304_166.667 * 0.0146, 1);
  });

  it("quantifies quantisation with the estimator's capacity at int8 and int4", () => {
    // Growing self-hosted plan where replica counts depend on capacity.
    const s = scenario({ model: { strategy: "self-host", preset: "m-big" }, hardware: { accelerator: "gpu-a" }, audience: { usersAtLaunch: 20_000, monthlyGrowthPct: 10, horizonMonths: 12 } });
    const plan = buildPlan(s, uc, fixtureCatalog());
    for (const q of ["int8", "int4"] as const) {
      const rec = plan.recommendations.find((r) => r.id === `quantise-${q}`)!;
      expect(rec).toBeDefined();
      const rerun = buildPlan({ ...s, model: { strategy: "self-host", preset: "m-big", quantization: q } }, uc, fixtureCatalog(), { projectionsOnly: true });
      expect(rec.effect.totalCostUsdAfter).toBeCloseTo(rerun.results.totalCostOfRevenueUsd, 6);
      expect(rec.effect.costSavingsUsd).toBeGreaterThan(0);
    }
    // month 1: 20,000 users → peak 6.944 rps; M-Big on GPU-A holds 2 rps × 0.8 = 1.6 → 5 replicas;
    // int4 (×2.5 in the fixture) holds 4 → 2 replicas: $7,300 → $2,920
    expect(plan.months[0].computeCostUsd).toBeCloseTo(5 * 1460, 6);
    const int4 = plan.recommendations.find((r) => r.id === "quantise-int4")!;
    const int4Plan = buildPlan({ ...s, model: { strategy: "self-host", preset: "m-big", quantization: "int4" } }, uc, fixtureCatalog(), { projectionsOnly: true });
    expect(int4Plan.months[0].computeCostUsd).toBeCloseTo(2 * 1460, 6);
    expect(int4.rationale).toContain("Re-running the plan");
  });

  it("recommends a smaller model, a cheaper accelerator, caching and batching with their effects", () => {
    const s = scenario({ model: { strategy: "self-host", preset: "m-big" }, hardware: { accelerator: "gpu-a" }, audience: { usersAtLaunch: 20_000, monthlyGrowthPct: 10, horizonMonths: 12 } });
    const plan = buildPlan(s, uc, fixtureCatalog());
    const cats = plan.recommendations.map((r) => r.category);
    expect(cats).toEqual(expect.arrayContaining(["smaller-model", "accelerator", "caching", "batching"]));
    const small = plan.recommendations.find((r) => r.category === "smaller-model")!;
    const rerun = buildPlan({ ...s, model: { strategy: "self-host", preset: "m-small" } }, uc, fixtureCatalog(), { projectionsOnly: true });
    expect(small.effect.totalCostUsdAfter).toBeCloseTo(rerun.results.totalCostOfRevenueUsd, 6);
    const cache = plan.recommendations.find((r) => r.category === "caching")!;
    const cached = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true, adjustments: { cacheHitRate: 0.2 } });
    expect(cache.effect.totalCostUsdAfter).toBeCloseTo(cached.results.totalCostOfRevenueUsd, 6);
    const batching = plan.recommendations.find((r) => r.category === "batching")!;
    expect(batching.caveats[0]).toContain("720 ms"); // fixture latency 400 ms × 1.8 at the doubled batch
  });

  it("recommends moving off the hosted API after the crossover and reserved capacity once steady", () => {
    // Compute only (no engineering for self-hosting, no hysteresis): the GPU bill crosses in month 5 (projection tests).
    const computeOnly = { selfHostEngineerMonthsPerMonth: 0, crossoverHysteresisPct: 0 };
    const s = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 50, horizonMonths: 12 }, pricing: { model: "perRequest", priceUsd: 0.004 } });
    const plan = buildPlan(s, uc, fixtureCatalog(), computeOnly);
    const move = plan.recommendations.find((r) => r.category === "move-off-hosted")!;
    expect(move.title).toContain("month 5");
    const rerun = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true, ...computeOnly, adjustments: { switchToOptionFromMonth: { month: 5, optionId: "test-chat/self-host:m-small:bf16:gpu-a:p1:on-demand" } } });
    expect(move.effect.totalCostUsdAfter).toBeCloseTo(rerun.results.totalCostOfRevenueUsd, 6);
    expect(move.effect.costSavingsUsd).toBeGreaterThan(0);

    const selfHosted = scenario({ model: { strategy: "self-host", preset: "m-small" }, hardware: { accelerator: "gpu-a" }, audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 12 } });
    const noQuote = buildPlan(selfHosted, uc, fixtureCatalog());
    expect(noQuote.recommendations.some((r) => r.category === "reserved-capacity")).toBe(false);
    expect(noQuote.warnings.join(" ")).toContain("reservedDiscountPct");
    const withQuote = buildPlan(selfHosted, uc, fixtureCatalog(), { reservedDiscountPct: 40 });
    const reserved = withQuote.recommendations.find((r) => r.category === "reserved-capacity")!;
    // 1 replica from month 1 → steady by month 3; months 3–12 at $1.20/h: saves 10 × 730 × $0.80
    expect(reserved.title).toContain("month 3");
    expect(reserved.effect.costSavingsUsd).toBeCloseTo(10 * 730 * 0.8, 6);
  });

  it("recommends the price needed for the target margin and quantifies it", () => {
    const s = scenario({ model: { strategy: "hosted-api", hostedModel: "h-pricey" }, pricing: { model: "perSeatMonthly", priceUsd: 15 } });
    const plan = buildPlan(s, uc, fixtureCatalog(), { targetGrossMarginPct: 80 });
    // H-Pricey: 304,166.7 requests × $0.016 = $4,866.67/month; p = 4,866.67 / (0.2 × 1,000) = $24.33, 1.6× the $15 price
    expect(plan.results.requiredPrice.month1).toBeCloseTo(24.3333, 3);
    const rec = plan.recommendations.find((r) => r.category === "pricing")!;
    expect(rec.effect.month12GrossMarginPctAfter).toBeCloseTo(80, 6);
    expect(rec.title).toBe("Charge $24.33 per seat-month for a gross margin of 80%");
    expect(rec.rationale).toContain("(1.6× the current $15.00)");
    // a price within reach is listed first, then the others by cost saved
    expect(plan.recommendations[0]).toBe(rec);
    const savings = plan.recommendations.slice(1).map((r) => r.effect.costSavingsUsd);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
    expect(plan.recommendations.length).toBeGreaterThan(1);
  });

  it("says when the margin target is out of reach by pricing alone, and ranks that price last", () => {
    // the same plan at $5: the $24.33 it takes is 4.9× today's price, beyond the 2× a price change carries
    const s = scenario({ model: { strategy: "hosted-api", hostedModel: "h-pricey" }, pricing: { model: "perSeatMonthly", priceUsd: 5 } });
    const plan = buildPlan(s, uc, fixtureCatalog(), { targetGrossMarginPct: 80 });
    const rec = plan.recommendations.find((r) => r.category === "pricing")!;
    expect(rec.title).toBe("The 80% gross margin target is out of reach by pricing alone: it would take $24.33 per seat-month, 4.9× the current $5.00");
    expect(rec.change).toBe("pricing.priceUsd: 5 → 24.33");
    expect(rec.rationale).toContain("beyond the 2× rise the plan puts forward as a step to take");
    expect(rec.rationale).toContain("Lower the cost of revenue first");
    // the cost changes lead (switching to H-Cheap saves the most), the price comes last
    expect(plan.recommendations.length).toBeGreaterThan(1);
    expect(plan.recommendations.at(-1)).toBe(rec);
    expect(plan.recommendations[0].category).toBe("hosted-model");
    const savings = plan.recommendations.slice(0, -1).map((r) => r.effect.costSavingsUsd);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
  });
});

describe("risks", () => {
  it("lists the use case's risks with mitigations and quantifies on-premise serving", () => {
    const plan = buildPlan(scenario(), uc, fixtureCatalog());
    const privacy = plan.risks.find((r) => r.dimension === "privacy")!;
    expect(privacy.level).toBe("high");
    expect(privacy.mitigations.map((m) => m.name)).toEqual(["anonymisation", "on-premise serving", "federated learning"]);
    const onPrem = privacy.mitigations.find((m) => m.name === "on-premise serving")!;
    // self-hosting M-Small on GPU-A from month 1: $1,460 of GPU plus half an engineer a month vs $425.83 → costs more
    expect(onPrem.effect!.totalCostUsdAfter).toBeCloseTo(3 * (1460 + 0.5 * engineerMonthUsd(DEFAULT_SETTINGS)), 6);
    expect(onPrem.effect!.costSavingsUsd).toBeLessThan(0);
    const regulation = plan.risks.find((r) => r.dimension === "regulation")!;
    expect(regulation.mitigations.map((m) => m.name)).toEqual(["human review"]);
    expect(plan.risks.some((r) => r.dimension === "interpretability")).toBe(false); // low in the fixture
  });
});

describe("re-runs reuse the workloads when only money changes", () => {
  it("gives the same months and results with and without reuse", async () => {
    const { runProjection } = await import("../src/projection");
    const { resolveSettings } = await import("../src/settings");
    const s = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 20, horizonMonths: 6 }, funnel: { freeToPaidPct: 10, paidChurnPct: 5, freeChurnPct: 20, acquisition: { cacUsd: 30 } } });
    const settings = resolveSettings({});
    const catalog = fixtureCatalog();
    const base = runProjection(s, uc, catalog, settings);
    // a price and a CAC change keep the traffic: the workloads are reused
    const variant = { ...s, pricing: { model: "perSeatMonthly" as const, priceUsd: 9 }, funnel: { ...s.funnel, acquisition: { cacUsd: 45 } } };
    const reused = runProjection(variant, uc, catalog, settings, {}, base);
    const fresh = runProjection(variant, uc, fixtureCatalog(), settings, {});
    expect(reused.states).toBe(base.states);
    expect(reused.months).toEqual(fresh.months);
    expect(reused.results).toEqual(fresh.results);
    // more users is other traffic: costed again
    const grown = runProjection({ ...s, audience: { ...s.audience, monthlyGrowthPct: 30 } }, uc, catalog, settings, {}, base);
    expect(grown.states).not.toBe(base.states);
    // and another catalog is never reused
    expect(runProjection(variant, uc, fixtureCatalog(), settings, {}, base).states).not.toBe(base.states);
  });
});
