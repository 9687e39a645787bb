/**
 * Type-level checks of the SDK's public signatures, run by `npm run typecheck` (never executed): each
 * `@ts-expect-error` fails the typecheck if the line it marks starts to compile.
 */
import { createClient, unwrap, type PageItem } from "@modelplan/sdk";

export async function typeChecks(): Promise<void> {
  const client = createClient({ baseUrl: "http://127.0.0.1:8787", timeoutMs: 5_000, retry: { maxRetries: 1 } });

  // Per-call controls are typed.
  await client.GET("/v1/hardware", { timeoutMs: 1_000, retry: false, signal: AbortSignal.timeout(1_000) });
  await client.GET("/v1/hardware", { retry: { maxRetries: 3, statuses: [429] } });
  // @ts-expect-error timeoutMs is a number
  await client.GET("/v1/hardware", { timeoutMs: "1s" });
  // @ts-expect-error retry is a policy or false
  await client.GET("/v1/hardware", { retry: true });
  // @ts-expect-error unknown path
  await client.GET("/v1/nowhere");
  // @ts-expect-error the body is required
  await client.POST("/v1/estimates/training");

  // Answers are typed through unwrap.
  const training = await unwrap(client.POST("/v1/estimates/training", { body: { model: { preset: "gpt-2" }, tokens: 1e6, hardware: "t4" } }));
  const gpuHours: number = training.gpuHours.expected;
  // @ts-expect-error a band is not a string
  const wrong: string = training.gpuHours;
  void gpuHours;
  void wrong;

  // paginate: only cursor-paginated lists, typed items and query, path parameters when the path has them.
  for await (const useCase of client.paginate("/v1/use-cases", { query: { domain: "health", limit: 10 } })) {
    const slug: string = useCase.slug;
    void slug;
  }
  for await (const estimate of client.paginate("/v1/scenarios/{id}/estimates", { path: { id: "scn_1" } })) void estimate.scenarioId;
  const item: PageItem<"/v1/benchmarks/runs"> | undefined = undefined;
  void item;
  // @ts-expect-error /v1/hardware is not a paginated list
  client.paginate("/v1/hardware");
  // @ts-expect-error the scenario id is required
  client.paginate("/v1/scenarios/{id}/estimates");
  // @ts-expect-error domain is one of the catalog's domains
  client.paginate("/v1/use-cases", { query: { domain: "cooking" } });
}
