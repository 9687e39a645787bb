import { describe, expect, it } from "vitest";
import { busiestMonth, DAYS_PER_MONTH, projectTraffic } from "../src/index";
import { scenario } from "./fixtures";

describe("the scenario's traffic (plans and scenario estimates)", () => {
  it("paying users at their rate, free users at theirs under the free tier's cap, plus API/SDK lines (hand)", () => {
    // 1,000 users, a quarter of them paying, nobody leaves, no growth: every month alike
    const s = scenario({
      usage: { requestsPerUserPerDay: 10, freeRequestsPerUserPerDay: 4 },
      funnel: { freeToPaidPct: 25, paidChurnPct: 0, freeChurnPct: 0 },
      pricing: { model: "perSeatMonthly", priceUsd: 5, freeTier: { requestsPerUserPerMonth: 30 } },
      revenueLines: [{ kind: "api-sdk", requestsPerMonth: 10_000, priceUsdPerRequest: 0.01, startMonth: 2 }],
    });
    const t = projectTraffic(s);
    const [m1, m2] = t.months;
    expect(m1.payingUsers).toBeCloseTo(250, 9);
    expect(m1.paidRequests).toBeCloseTo(250 * 10 * DAYS_PER_MONTH, 6);
    // 4 a day would be 122 a month: the free tier caps it at 30
    expect(m1.freeRequests).toBeCloseTo(750 * 30, 6);
    expect(m1.lineRequests).toBe(0);
    expect(m2.lineRequests).toBe(10_000);
    expect(m2.requests).toBeCloseTo(m2.paidRequests + m2.freeRequests + 10_000, 6);
    // the API line starts in month 2, so months 2 and 3 tie: the earliest is the busiest
    expect(busiestMonth(t).month).toBe(2);
  });

  it("without a free-user rate or cap, every active user makes the scenario's requests", () => {
    const s = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 10, horizonMonths: 12 }, funnel: { freeToPaidPct: 3 } });
    const peak = busiestMonth(projectTraffic(s));
    expect(peak.month).toBe(12);
    expect(peak.requests).toBeCloseTo(peak.users * 10 * DAYS_PER_MONTH, 6);
  });
});
