import { describe, it, expect } from "vitest";
import { buildPlan, HOURS_PER_MONTH } from "../src/index";
import { chatUseCase, fixtureCatalog, scenario, visionUseCase } from "./fixtures";

// Hand calculations use the fixture catalog (round prices and capacities) so every figure below can be
// re-derived with a pocket calculator. One month = 730 h = 30.4167 days (8,760 h / 12).
const DAYS = 730 / 24;
const SECONDS = 730 * 3600;
const uc = [chatUseCase, visionUseCase];

describe("flat scenario (hosted API, no growth)", () => {
  const plan = buildPlan(scenario(), uc, fixtureCatalog(), { projectionsOnly: true });
  // 1,000 users × 10 requests/day × 30.4167 days = 304,166.7 requests/month
  const requests = 1000 * 10 * DAYS;
  // H-Cheap: 1,000 in × $1/M + 200 out × $2/M = $0.0014 per request
  const compute = requests * 0.0014;

  it("projects users, requests, tokens and peak rps", () => {
    for (const m of plan.months) {
      expect(m.users).toBe(1000);
      expect(m.requests).toBeCloseTo(304_166.67, 1);
      expect(m.inputTokens).toBeCloseTo(requests * 1000, 0);
      expect(m.outputTokens).toBeCloseTo(requests * 200, 0);
      expect(m.averageRequestsPerSec).toBeCloseTo(requests / SECONDS, 9);
      expect(m.peakRequestsPerSec).toBeCloseTo((3 * requests) / SECONDS, 9);
    }
    expect(HOURS_PER_MONTH).toBe(730);
  });

  it("costs the hosted model, revenue, margin and cash by hand", () => {
    const m1 = plan.months[0];
    expect(m1.computeCostUsd).toBeCloseTo(425.8333, 3);
    expect(compute).toBeCloseTo(425.8333, 3);
    expect(m1.revenueUsd).toBe(5000);
    expect(m1.grossMarginPct).toBeCloseTo(((5000 - 425.8333) / 5000) * 100, 3); // 91.48%
    expect(m1.netCashFlowUsd).toBeCloseTo(5000 - 425.8333 - 10_000, 3);
    expect(plan.months[2].cumulativeCashUsd).toBeCloseTo(100_000 - 3 * 5425.8333, 2); // 83,722.50
    expect(plan.results.breakEvenMonth).toBeNull();
    expect(plan.results.runOutMonth).toBeNull();
    expect(plan.results.runwayMonths).toBe(3);
    expect(plan.results.runwayBeyondHorizon).toBe(true);
  });

  it("bills a cached prompt prefix at the cache-read price where the model lists one (hand)", () => {
    const cat = fixtureCatalog();
    cat.hostedModels = cat.hostedModels.map((h) => (h.id === "h-cheap" ? { ...h, cachedInputUsdPerMillionTokens: 0.1 } : h));
    const cached = buildPlan(scenario({ usage: { requestProfile: { cachedInputTokens: 600 } } }), uc, cat, { projectionsOnly: true });
    // H-Cheap: 400 uncached in × $1/M + 600 cached × $0.1/M + 200 out × $2/M = $0.00086 per request
    expect(cached.months[0].computeCostUsd).toBeCloseTo(requests * 0.00086, 6);
    expect(cached.options.find((o) => o.id === "test-chat/hosted:h-cheap")!.notes.join(" ")).toMatch(/60% of input tokens from the prompt cache at \$0\.1 per 1M/);
    // H-Pricey lists no cache-read price: its cached tokens cost the input price
    const pricey = (p: typeof cached) => p.options.find((o) => o.id === "test-chat/hosted:h-pricey")!.series.computeCostUsd[0];
    expect(pricey(cached)).toBeCloseTo(pricey(plan), 9);
  });

  it("prices a self-hosted replica for every hour and reports its idle share", () => {
    const od = plan.options.find((o) => o.id === "test-chat/self-host:m-small:bf16:gpu-a:p1:on-demand")!;
    // peak 0.347 rps < 10 rps × 0.8 → 1 replica × 730 h × $2
    expect(od.series.replicas![0]).toBe(1);
    expect(od.series.computeCostUsd[0]).toBeCloseTo(1460, 6);
    const util = requests / SECONDS / 10;
    expect(od.series.utilisation![0]).toBeCloseTo(util, 9);
    expect(od.series.idleCostUsd![0]).toBeCloseTo(1460 * (1 - util), 6);
    expect(od.series.costPerRequestUsd[0]).toBeCloseTo(1460 / requests, 9);
  });

  it("picks the cheapest non-spot option each month and the required price", () => {
    expect(plan.workloads[0].cheapestByMonth).toEqual(["test-chat/hosted:h-cheap", "test-chat/hosted:h-cheap", "test-chat/hosted:h-cheap"]);
    const spot = plan.options.find((o) => o.pricing === "spot")!;
    expect(spot.series.computeCostUsd[0]).toBeCloseTo(730, 6); // 1 replica × 730 h × $1 spot
    expect(spot.interruptible).toBe(true);
    // price p with (1000 p − 425.83) / (1000 p) = 60%  ⇒  p = 425.83 / (0.4 × 1000) = $1.0646
    expect(plan.results.requiredPrice.month1).toBeCloseTo(425.8333 / 400, 6);
    expect(plan.results.requiredPrice.unit).toBe("USD per seat-month");
    // break-even price at the horizon: (compute + burn) / users = 10,425.83 / 1,000
    expect(plan.results.requiredPrice.breakEvenAtHorizon).toBeCloseTo(10.4258, 4);
  });
});

describe("growing scenario (50% a month)", () => {
  const s = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 50, horizonMonths: 12 }, pricing: { model: "perRequest", priceUsd: 0.004 } });
  // Compute only: no engineering cost for self-hosting and no hysteresis, so the crossovers below are
  // those of the GPU bill alone (the people cost and hysteresis are tested in economics.test.ts).
  const computeOnly = { selfHostEngineerMonthsPerMonth: 0, crossoverHysteresisPct: 0 };
  const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true, ...computeOnly });

  it("compounds users", () => {
    plan.months.forEach((m, i) => expect(m.users).toBeCloseTo(1000 * 1.5 ** i, 6));
  });

  it("finds the build-vs-buy crossover by hand", () => {
    // Hosted H-Cheap costs $0.42583 per user-month; one M-Small replica on GPU-A costs $1,460 and holds
    // 8 rps at 80% utilisation. Hosted passes $1,460 above 3,428.6 users: month 4 has 3,375 users
    // ($1,437.19), month 5 has 5,062.5 ($2,155.78) → self-hosting is cheapest from month 5.
    expect(plan.months[3].users).toBe(3375);
    const hosted = plan.options.find((o) => o.id === "test-chat/hosted:h-cheap")!;
    expect(hosted.series.computeCostUsd[3]).toBeCloseTo(1437.1875, 3);
    expect(hosted.series.computeCostUsd[4]).toBeCloseTo(2155.78, 2);
    expect(plan.workloads[0].cheapestByMonth[3]).toBe("test-chat/hosted:h-cheap");
    expect(plan.workloads[0].cheapestByMonth[4]).toBe("test-chat/self-host:m-small:bf16:gpu-a:p1:on-demand");
    expect(plan.workloads[0].buildVsBuyCrossoverMonth).toBe(5);
    // Spot GPU-A ($730/month) is cheaper than on-demand but never counted as the cheapest
    expect(plan.workloads[0].cheapestByMonth.some((id) => id.endsWith(":spot"))).toBe(false);
    expect(plan.results.crossovers[0]).toMatchObject({ month: 5, from: "test-chat/hosted:h-cheap", to: "test-chat/self-host:m-small:bf16:gpu-a:p1:on-demand" });
  });

  it("sizes replicas for the peak", () => {
    // month 12: 86,497.6 users × 304.17 requests × 3 / 2,628,000 s = 30.03 rps peak
    const peak = (1000 * 1.5 ** 11 * 10 * DAYS * 3) / SECONDS;
    expect(plan.months[11].peakRequestsPerSec).toBeCloseTo(peak, 6);
    // GPU-A: ceil(30.03 / (10 × 0.8)) = 4 replicas × 730 h × $2 = $5,840
    // GPU-B: ceil(30.03 / (25 × 0.8)) = 2 replicas × 730 h × $3.5 = $5,110 → the cheapest in month 12
    expect(plan.workloads[0].cheapestByMonth[11]).toBe("test-chat/self-host:m-small:bf16:gpu-b:p2:on-demand");
    const b = plan.options.find((o) => o.id === "test-chat/self-host:m-small:bf16:gpu-b:p2:on-demand")!;
    expect(b.series.replicas![11]).toBe(2);
    expect(b.series.computeCostUsd[11]).toBeCloseTo(5110, 6);
    expect(b.series.utilisation![11]).toBeCloseTo(peak / 3 / (2 * 25), 9);
  });

  it("charges revenue per request", () => {
    plan.months.forEach((m) => expect(m.revenueUsd).toBeCloseTo(m.requests * 0.004, 6));
    // Hosted at $0.0014/request vs $0.004 price: gross margin 65% every month
    plan.months.forEach((m) => expect(m.grossMarginPct).toBeCloseTo(65, 9));
  });

  it("finds the break-even month by hand", () => {
    // net = requests × (0.004 − 0.0014) − 10,000 ≥ 0 ⇔ users × 304.1667 × 0.0026 ≥ 10,000 ⇔ users ≥ 12,644.6
    // users: 1000, 1500, 2250, 3375, 5062.5, 7593.75, 11390.6, 17085.9 → month 8
    expect(plan.results.breakEvenMonth).toBe(8);
  });
});

describe("a scenario that runs out of cash", () => {
  const s = scenario({ audience: { usersAtLaunch: 100, monthlyGrowthPct: 0, horizonMonths: 12 }, pricing: { model: "perSeatMonthly", priceUsd: 10 }, funding: { cashUsd: 50_000, monthlyNonComputeBurnUsd: 12_000 } });
  const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });

  it("runs out in month 5", () => {
    // net = 100 × $10 − 100 × $0.42583 − $12,000 = −$11,042.58 a month
    // cash: 38,957.4 → 27,914.8 → 16,872.3 → 5,829.7 → −5,212.9 (month 5)
    expect(plan.months[0].netCashFlowUsd).toBeCloseTo(-11_042.5833, 3);
    expect(plan.months[3].cumulativeCashUsd).toBeCloseTo(5829.667, 2);
    expect(plan.months[4].cumulativeCashUsd).toBeCloseTo(-5212.917, 2);
    expect(plan.results.runOutMonth).toBe(5);
    expect(plan.results.runwayMonths).toBe(4);
    expect(plan.results.runwayBeyondHorizon).toBe(false);
  });
});

describe("deployment options", () => {
  it("includes fine-tuning as a one-off training cost charged to month 1", () => {
    const s = scenario({ model: { strategy: "fine-tune", preset: "m-small", trainingTokens: 50_000_000 }, audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 3 } });
    // GPU time only here (no data preparation, evaluation or operations effort); the full cost is tested in economics.test.ts
    const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true, selfHostEngineerMonthsPerMonth: 0, fineTuneDataPrepEngineerMonths: 0, fineTuneEvaluationEngineerMonths: 0 });
    // fixture training: $1 per M tokens per B parameters → 50 × 1 = $50
    const chosen = plan.options.find((o) => o.id === plan.workloads[0].chosenOptionId)!;
    expect(chosen.kind).toBe("fine-tune");
    expect(chosen.oneOffCostUsd).toBeCloseTo(50, 9);
    expect(plan.months[0].oneOffCostUsd).toBeCloseTo(50, 9);
    expect(plan.months[1].oneOffCostUsd).toBe(0);
    expect(plan.months[0].netCashFlowUsd).toBeCloseTo(5000 - 1460 - 50 - 10_000, 6);
  });

  it("serves non-text use cases only with self-hosted options", () => {
    const s = scenario({ useCases: ["test-vision"], model: { strategy: "hosted-api", hostedModel: "h-cheap" } });
    const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
    expect(plan.options.every((o) => o.kind !== "hosted")).toBe(true);
    expect(plan.workloads[0].chosenReason).toMatch(/does not serve this image use case/);
  });

  it("splits requests evenly across use cases", () => {
    const s = scenario({ useCases: ["test-chat", "test-vision"] });
    const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
    expect(plan.workloads.map((w) => w.share)).toEqual([0.5, 0.5]);
    expect(plan.workloads[0].months[0].requests).toBeCloseTo(plan.months[0].requests / 2, 6);
    // the vision workload counts images: 1 per request
    expect(plan.workloads[1].months[0].units).toBeCloseTo(plan.months[0].requests / 2, 6);
  });

  it("costs reserved capacity only with a committed-use discount", () => {
    const s = scenario({ model: { strategy: "self-host", preset: "m-small" } });
    const without = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
    expect(without.options.some((o) => o.pricing === "reserved")).toBe(false);
    const withDiscount = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true, reservedDiscountPct: 40 });
    const r = withDiscount.options.find((o) => o.pricing === "reserved" && o.model.id === "m-small")!;
    expect(r.series.computeCostUsd[0]).toBeCloseTo(730 * 2 * 0.6, 6);
  });
});
