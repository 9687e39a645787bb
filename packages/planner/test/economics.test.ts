import { describe, it, expect } from "vitest";
import { buildPlan, DEFAULT_SETTINGS, engineerMonthUsd } from "../src/index";
import { lifetimeValueUsd } from "../src/economics";
import type { Pricing } from "../src/types";
import { chatUseCase, fixtureCatalog, scenario, visionUseCase } from "./fixtures";

// Hand calculations with the fixture catalog: H-Cheap costs $0.0014 per request (1,000 tokens in × $1/M +
// 200 out × $2/M); at 10 requests per user per day a user makes 304.1667 requests a month (30.4167 days)
// and costs $0.425833 a month, whether free or paying.
const uc = [chatUseCase, visionUseCase];
const REQ = (730 / 24) * 10;
const USER_MONTH = REQ * 0.0014;
const ENGINEER_MONTH = engineerMonthUsd(DEFAULT_SETTINGS);

describe("customer funnel", () => {
  it("follows the audience: sign-ups replace churn and add growth, a share of them pays (by hand)", () => {
    const s = scenario({
      audience: { usersAtLaunch: 1000, monthlyGrowthPct: 10, horizonMonths: 3 },
      funnel: { freeToPaidPct: 10, paidChurnPct: 5, freeChurnPct: 20, acquisition: { cacUsd: 30 } },
    });
    const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
    const [m1, m2, m3] = plan.months;
    // month 1: the launch base, 10% of it paying, no acquisition cost
    expect([m1.users, m1.payingUsers, m1.freeUsers, m1.signups, m1.acquisitionCostUsd]).toEqual([1000, 100, 900, 0, 0]);
    // month 2: keep 95 paying and 720 free (815); the audience needs 1,100 → 285 sign-ups, 28.5 of whom pay
    expect(m2.signups).toBeCloseTo(285, 9);
    expect(m2.payingUsers).toBeCloseTo(123.5, 9);
    expect(m2.freeUsers).toBeCloseTo(976.5, 9);
    expect(m2.churnedPayingUsers).toBeCloseTo(5, 9);
    expect(m2.churnedFreeUsers).toBeCloseTo(180, 9);
    expect(m2.acquisitionCostUsd).toBeCloseTo(28.5 * 30, 9);
    // month 3: keep 117.325 + 781.2; 1,210 needed → 311.475 sign-ups
    expect(m3.signups).toBeCloseTo(311.475, 9);
    expect(m3.payingUsers).toBeCloseTo(148.4725, 9);
    expect(m3.users).toBeCloseTo(1210, 9);
  });

  it("is driven by sign-ups when the scenario gives them, or by visitors × their sign-up rate", () => {
    const funnel = { freeToPaidPct: 20, paidChurnPct: 10, freeChurnPct: 50, signupGrowthPct: 0 };
    const bySignups = buildPlan(scenario({ audience: { usersAtLaunch: 0, monthlyGrowthPct: 0, horizonMonths: 3 }, funnel: { ...funnel, signups: { signupsPerMonth: 1000 } } }), uc, fixtureCatalog(), { projectionsOnly: true });
    // paying: 200 → 180 + 200 = 380 → 342 + 200 = 542; free: 800 → 400 + 800 = 1,200 → 600 + 800 = 1,400
    expect(bySignups.months.map((m) => m.payingUsers)).toEqual([200, 380, 542].map((v) => expect.closeTo(v, 9)));
    expect(bySignups.months.map((m) => m.freeUsers)).toEqual([800, 1200, 1400].map((v) => expect.closeTo(v, 9)));
    const byVisitors = buildPlan(scenario({ audience: { usersAtLaunch: 0, monthlyGrowthPct: 0, horizonMonths: 3 }, funnel: { ...funnel, signups: { visitorsPerMonth: 10_000, visitorToSignupPct: 10 } } }), uc, fixtureCatalog(), { projectionsOnly: true });
    expect(byVisitors.months.map((m) => m.users)).toEqual(bySignups.months.map((m) => expect.closeTo(m.users, 9)));
  });

  it("applies sourced defaults to a scenario without a funnel and lists them", () => {
    const s = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 2 } });
    delete s.funnel;
    const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
    expect(plan.months[0].payingUsers).toBeCloseTo(30, 9); // 3% of 1,000
    const conv = plan.assumptions.find((a) => a.name === "funnel.freeToPaidPct")!;
    expect(conv.value).toBe(3);
    expect(conv.source).toMatch(/OpenView Partners.*2022/);
    expect(plan.assumptions.find((a) => a.name === "funnel.paidChurnPct")!.source).toMatch(/Recurly Research.*2019/);
    expect(plan.assumptions.find((a) => a.name === "funnel.freeChurnPct")!.source).toMatch(/^default — modelplan choice/);
    expect(plan.warnings.join(" ")).toContain("The scenario has no funnel");
  });
});

describe("unit economics", () => {
  const s = scenario({
    audience: { usersAtLaunch: 1000, monthlyGrowthPct: 10, horizonMonths: 3 },
    funnel: { freeToPaidPct: 10, paidChurnPct: 5, freeChurnPct: 20, acquisition: { cacUsd: 30 } },
  });
  const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
  const m2 = plan.months[1];

  it("computes gross and contribution margin, CAC payback, LTV and LTV/CAC by hand", () => {
    // month 2: 123.5 paying × $5 = $617.50; compute for all 1,100 users = $468.42
    expect(m2.revenueUsd).toBeCloseTo(617.5, 9);
    expect(m2.computeCostUsd).toBeCloseTo(1100 * USER_MONTH, 6);
    const gp = (617.5 - 1100 * USER_MONTH) / 123.5; // $1.207 of gross profit per paying user
    expect(m2.grossProfitPerPayingUserUsd).toBeCloseTo(gp, 9);
    expect(m2.arpuUsd).toBeCloseTo(5, 12);
    expect(m2.cacUsd).toBeCloseTo(30, 9);
    expect(m2.cacPaybackMonths).toBeCloseTo(30 / gp, 9); // 24.85 months
    expect(m2.ltvUsd).toBeCloseTo(gp / 0.05, 9);
    expect(m2.ltvToCac).toBeCloseTo(gp / 0.05 / 30, 9); // 0.80
    expect(m2.contributionMarginUsd).toBeCloseTo(617.5 - 1100 * USER_MONTH - 855, 6);
  });

  it("computes the burn multiple and the runway at the current burn by hand", () => {
    // net cash flow month 2 = 617.50 − 468.42 − 855 − 10,000; net new ARR = 12 × (617.50 − 500)
    const net2 = 617.5 - 1100 * USER_MONTH - 855 - 10_000;
    expect(m2.netCashFlowUsd).toBeCloseTo(net2, 6);
    expect(m2.netNewArrUsd).toBeCloseTo(12 * 117.5, 9);
    expect(m2.burnMultiple).toBeCloseTo(-net2 / (12 * 117.5), 9); // 7.59
    const cash2 = 100_000 + (500 - 1000 * USER_MONTH - 10_000) + net2;
    expect(m2.runwayMonthsAtCurrentBurn).toBeCloseTo(cash2 / -net2, 9);
    expect(plan.months[0].netNewArrUsd).toBeNull(); // no month 0 to compare with
  });

  it("summarises the metric month in the results", () => {
    const um = plan.results.unitEconomics;
    expect(um.month).toBe(3);
    expect(um.ltvToCac).toBeCloseTo(plan.months[2].ltvToCac!, 12);
    expect(plan.results.totalAcquisitionCostUsd).toBeCloseTo(855 + 31.1475 * 30, 6);
  });

  it("has no LTV or LTV/CAC when a paying user brings no gross profit: a negative lifetime value is not a figure", () => {
    // H-Pricey costs $4.87 a user-month (free users included) against $5 from each of the 10% who pay
    const losing = buildPlan(scenario({ ...s, model: { strategy: "hosted-api", hostedModel: "h-pricey" } }), uc, fixtureCatalog(), { projectionsOnly: true });
    for (const m of losing.months) {
      expect(m.grossProfitPerPayingUserUsd!).toBeLessThan(0);
      expect([m.ltvUsd, m.ltvToCac, m.cacPaybackMonths]).toEqual([null, null, null]);
    }
    expect(losing.results.unitEconomics).toMatchObject({ cacUsd: 30, ltvUsd: null, ltvToCac: null, cacPaybackMonths: null });
  });

  it("defines LTV only for a positive gross profit and a paid churn", () => {
    expect(lifetimeValueUsd(10, 0.05)).toBeCloseTo(200, 12);
    expect(lifetimeValueUsd(0, 0.05)).toBeNull();
    expect(lifetimeValueUsd(-5, 0.05)).toBeNull();
    expect(lifetimeValueUsd(null, 0.05)).toBeNull();
    expect(lifetimeValueUsd(10, 0)).toBeNull();
  });

  it("has no CAC figures when the scenario gives no acquisition cost", () => {
    const noCac = buildPlan(scenario({ funnel: { freeToPaidPct: 10, paidChurnPct: 5, freeChurnPct: 20 } }), uc, fixtureCatalog(), { projectionsOnly: true });
    expect(noCac.months.every((m) => m.cacUsd === null && m.cacPaybackMonths === null && m.ltvToCac === null)).toBe(true);
    expect(noCac.months.every((m) => m.ltvUsd !== null)).toBe(true);
  });
});

describe("pricing with a free tier", () => {
  // 10% of 1,000 users pay, nobody leaves; free users are capped at 100 requests a month.
  const base = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 2 }, funnel: { freeToPaidPct: 10, paidChurnPct: 0, freeChurnPct: 0 } });
  const plan = (pricing: Pricing) => buildPlan(scenario({ ...base, pricing }), uc, fixtureCatalog(), { projectionsOnly: true, targetGrossMarginPct: 60 });
  const paidRequests = 100 * REQ;
  const compute = (paidRequests + 900 * 100) * 0.0014;

  it("bills paying users' requests, caps free users at the free tier, and counts their compute", () => {
    const p = plan({ model: "perRequest", priceUsd: 0.01, freeTier: { requestsPerUserPerMonth: 100 } });
    expect(p.months[0].requests).toBeCloseTo(paidRequests + 90_000, 6);
    expect(p.months[0].revenueUsd).toBeCloseTo(paidRequests * 0.01, 9);
    expect(p.months[0].computeCostUsd).toBeCloseTo(compute, 9);
  });

  it("bills per million tokens", () => {
    const p = plan({ model: "perMillionTokens", priceUsd: 2, freeTier: { requestsPerUserPerMonth: 100 } });
    expect(p.months[0].revenueUsd).toBeCloseTo(((paidRequests * 1200) / 1e6) * 2, 9);
    expect(p.results.requiredPrice.unit).toBe("USD per million tokens");
  });

  it("bills a hybrid seat with included requests and overage, and solves the seat price for the margin", () => {
    const p = plan({ model: "hybrid", priceUsd: 5, includedRequestsPerSeat: 200, overageUsdPerRequest: 0.02, freeTier: { requestsPerUserPerMonth: 100 } });
    const overage = 100 * (REQ - 200) * 0.02;
    expect(p.months[0].revenueUsd).toBeCloseTo(500 + overage, 9);
    // seat price p with (100 p + overage − compute) / (100 p + overage) = 60%
    expect(p.months[0].requiredPriceUsd).toBeCloseTo((compute / 0.4 - overage) / 100, 9);
  });
});

describe("other revenue lines", () => {
  const s = scenario({
    audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 2 },
    revenueLines: [
      { kind: "api-sdk", requestsPerMonth: 100_000, priceUsdPerRequest: 0.003 },
      { kind: "technical-services", billableHoursPerMonth: 10, hourlyRateUsd: 150 },
      { kind: "data-products", customers: 5, priceUsdPerCustomerMonth: 1000, deliveryCostUsdPerMonth: 2000, startMonth: 2 },
    ],
  });
  const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
  const hourUsd = (ENGINEER_MONTH * 12) / 2080;

  it("adds each line's revenue and cost of delivery; API/SDK requests are served by the plan's model", () => {
    const [m1, m2] = plan.months;
    expect(m1.requests).toBeCloseTo(1000 * REQ + 100_000, 6);
    expect(m1.computeCostUsd).toBeCloseTo((1000 * REQ + 100_000) * 0.0014, 6);
    expect(m1.otherRevenueUsd).toBeCloseTo(300 + 1500, 9); // data products start in month 2
    expect(m2.otherRevenueUsd).toBeCloseTo(300 + 1500 + 5000, 9);
    expect(m1.deliveryCostUsd).toBeCloseTo(10 * hourUsd, 6);
    expect(m2.deliveryCostUsd).toBeCloseTo(10 * hourUsd + 2000, 6);
    // services are not recurring revenue
    expect(m2.recurringRevenueUsd).toBeCloseTo(5000 + 300 + 5000, 9);
  });

  it("reports each stream with its own cost of delivery", () => {
    const byKind = Object.fromEntries(plan.revenueStreams.map((r) => [r.businessModel, r]));
    expect(Object.keys(byKind).sort()).toEqual(["api-sdk", "data-products", "subscription", "technical-services"]);
    expect(byKind["api-sdk"].deliveryCostUsd[0]).toBeCloseTo(100_000 * 0.0014, 6); // its share of the hosted bill
    expect(byKind["subscription"].deliveryCostUsd[0]).toBeCloseTo(1000 * USER_MONTH, 6);
    expect(byKind["technical-services"].grossMarginPct).toBeCloseTo((1 - hourUsd / 150) * 100, 6);
  });
});
