// The SDK in one page: list and paginate, create, update with If-Match, and the errors.
// Run: MODELPLAN_URL=http://127.0.0.1:8787 node quickstart.js (after tsc), or npx tsx quickstart.ts
import { createClient, unwrap, ModelplanApiError, ModelplanNetworkError, type components } from "@modelplan/sdk";

const client = createClient({
  baseUrl: process.env.MODELPLAN_URL ?? "http://127.0.0.1:8787",
  apiKey: process.env.MODELPLAN_API_KEY, // optional while a local service runs open; sent as Bearer
});

// One page: openapi-fetch's { data, error, response }, error being the RFC 9457 problem document...
const { data, error } = await client.GET("/v1/use-cases", { params: { query: { domain: "language", limit: 5 } } });
if (error) throw new Error(`${error.status} ${error.detail}`);
console.log(`first page: ${data.items.map((u) => u.slug).join(", ")}`);

// ...or every page: paginate() follows nextCursor as the loop asks for more.
let count = 0;
for await (const useCase of client.paginate("/v1/use-cases", { query: { limit: 20 } })) {
  count += 1;
  if (useCase.slug === "smart-customer-service") console.log(`${useCase.title}: ${useCase.requestProfile.inputTokens} input tokens per request`);
}
console.log(`use cases in the catalog: ${count}`);

// unwrap(): the data, or a thrown ModelplanApiError carrying the problem. POSTs carry an automatic
// Idempotency-Key, so the SDK's retries (429, 503) never create a second scenario.
const body: components["schemas"]["ScenarioInput"] = {
  name: "Support bot — 50k users",
  useCases: ["smart-customer-service"],
  audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 24 },
  usage: { requestsPerUserPerDay: 6 },
  model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
  pricing: { model: "perSeatMonthly", priceUsd: 12 },
  funding: { cashUsd: 1_500_000, monthlyNonComputeBurnUsd: 80_000 },
};
const created = await client.POST("/v1/scenarios", { body });
if (!created.data) throw new Error(`create failed: ${created.error.detail}`);
const etag = created.response.headers.get("etag") ?? "";
const updated = await unwrap(
  client.PATCH("/v1/scenarios/{id}", { params: { path: { id: created.data.id }, header: { "if-match": etag } }, body: { name: "Support bot — renamed" } }),
);
console.log(`scenario ${updated.id} is at version ${updated.version}`);

try {
  // The same, now stale, ETag: the service answers 412 and changes nothing.
  await unwrap(client.PATCH("/v1/scenarios/{id}", { params: { path: { id: updated.id }, header: { "if-match": etag } }, body: { name: "Lost update" } }));
} catch (e) {
  if (e instanceof ModelplanApiError) console.log(`refused: ${e.status} ${e.problem.title} (request id ${e.requestId})`);
  else if (e instanceof ModelplanNetworkError) console.log(`no answer: ${e.code} (request id ${e.requestId})`);
  else throw e;
}
