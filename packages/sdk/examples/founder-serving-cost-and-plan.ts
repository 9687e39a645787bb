// The founder's question: what will my customer-service bot cost to serve to 50,000 users, hosted
// model or my own, and when do the margins and the money work?
// Run: MODELPLAN_URL=http://127.0.0.1:8787 node founder-serving-cost-and-plan.js (after tsc)
import { createClient, unwrap } from "@modelplan/sdk";

const client = createClient({ baseUrl: process.env.MODELPLAN_URL ?? "http://127.0.0.1:8787", apiKey: process.env.MODELPLAN_API_KEY });
const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;

// 1. The product plan: who uses it, how much, on which model, at what price, with how much money.
const scenario = await unwrap(
  client.POST("/v1/scenarios", {
    body: {
      name: "Support bot — 50k users",
      useCases: ["smart-customer-service"],
      audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 24 },
      usage: { requestsPerUserPerDay: 6 },
      model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
      pricing: { model: "perSeatMonthly", priceUsd: 12 },
      funding: { cashUsd: 1_500_000, monthlyNonComputeBurnUsd: 80_000 },
    },
  }),
);

// 2. Serving cost at the peak month of the horizon, with the assumptions behind it.
const estimate = await unwrap(client.POST("/v1/scenarios/{id}/estimates", { params: { path: { id: scenario.id } }, body: {} }));
if (estimate.hostedApi) {
  const h = estimate.hostedApi;
  console.log(`serving at the peak (month ${estimate.traffic.peakMonth}, ${Math.round(estimate.traffic.usersAtPeak).toLocaleString("en-US")} users):`);
  console.log(`  ${h.hostedModel.name}: ${usd(h.monthlyCostUsd)} a month, $${h.costPerRequestUsd} a request`);
  for (const a of h.assumptions) console.log(`  assumes ${a.name} = ${a.value} ${a.unit} — ${a.source}`);
}

// 3. The startup plan: every deployment option month by month, break-even and runway.
const stored = await unwrap(client.POST("/v1/scenarios/{id}/plan", { params: { path: { id: scenario.id } }, body: { targetGrossMarginPct: 70 } }));
const r = stored.plan.results;
console.log(`cheapest now: ${r.cheapestNow.label} at ${usd(r.cheapestNow.monthlyCostUsd)} a month`);
console.log(`cheapest at month ${stored.plan.horizonMonths}: ${r.cheapestAtHorizon.label} at ${usd(r.cheapestAtHorizon.monthlyCostUsd)} a month`);
for (const c of r.crossovers) console.log(`  month ${c.month}: ${c.reason}`);
console.log(`break-even month: ${r.breakEvenMonth ?? "not within the horizon"}; runway: ${r.runwayBeyondHorizon ? `beyond ${r.runwayMonths} months` : `${r.runwayMonths} months`}`);
const price = r.requiredPrice;
if (price.metricMonth !== null) console.log(`price for a ${price.targetGrossMarginPct}% gross margin: $${price.metricMonth.toFixed(2)} ${price.unit} (now $${price.current})`);
console.log(`report: ${stored.reportUrl}`);
