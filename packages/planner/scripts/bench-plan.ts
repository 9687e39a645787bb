// Prints how long the planner takes on the real catalogs: a projection alone, a full plan (with the
// sensitivity re-runs, recommendations and risks), and the HTML report with its five charts.
// Run: npx tsx packages/planner/scripts/bench-plan.ts [iterations]
import catalog from "@modelplan/db/seed/use-cases.json";
import { estimatorCatalog, planScenario, renderPlanHtml, type Scenario, type UseCase } from "../src/index";

const iterations = Number(process.argv[2] ?? 5);
const useCases = catalog.items as UseCase[];

function scenario(useCase: string, model: Scenario["model"]): Scenario {
  return {
    id: "bench", workspaceId: "bench", version: 1, createdAt: "", updatedAt: "", name: `bench ${useCase}`,
    useCases: [useCase],
    audience: { usersAtLaunch: 5000, monthlyGrowthPct: 12, horizonMonths: 36 },
    usage: { requestsPerUserPerDay: 6 },
    model,
    pricing: { model: "perSeatMonthly", priceUsd: 15 },
    funnel: { freeToPaidPct: 3, paidChurnPct: 4, acquisition: { cacUsd: 150 } },
    funding: { cashUsd: 1_000_000, monthlyNonComputeBurnUsd: 80_000 },
  };
}

const cases: [string, Scenario][] = [
  ["text, hosted gpt-4o-mini", scenario("smart-customer-service", { strategy: "hosted-api", hostedModel: "gpt-4o-mini" })],
  ["text, self-host llama-3-8b", scenario("smart-customer-service", { strategy: "self-host", preset: "llama-3-8b" })],
  ["image, self-host resnet-50", scenario("species-image-classification", { strategy: "self-host", preset: "resnet-50" })],
  ["tabular, generic scorer", scenario("credit-scoring", { strategy: "hosted-api", hostedModel: "gpt-4o-mini" })],
];

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const warm = time(() => estimatorCatalog());
console.log(`catalog adapter build: ${warm.toFixed(1)} ms (once per process)`);
console.log(`${iterations} iterations each; 36-month horizon; median ms`);
console.log("case".padEnd(30), "projection".padStart(11), "full plan".padStart(10), "html+charts".padStart(12), "options".padStart(8));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label, s] of cases) {
  const proj: number[] = [], full: number[] = [], html: number[] = [];
  let options = 0;
  for (let i = 0; i < iterations; i++) {
    proj.push(time(() => planScenario(s, useCases, { projectionsOnly: true })));
    let plan!: ReturnType<typeof planScenario>;
    full.push(time(() => (plan = planScenario(s, useCases))));
    options = plan.options.length;
    html.push(time(() => renderPlanHtml(plan)));
  }
  console.log(label.padEnd(30), median(proj).toFixed(1).padStart(11), median(full).toFixed(1).padStart(10), median(html).toFixed(1).padStart(12), String(options).padStart(8));
}
