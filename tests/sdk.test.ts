import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, ModelplanApiError, unwrap, type ModelplanClient } from "@modelplan/sdk";
import { startServer, type RunningServer } from "../services/api/src/bootstrap";
import { loadConfig } from "../services/api/src/config";
import { createLogger } from "../services/api/src/lib/logger";

let server: RunningServer;
let client: ModelplanClient;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-sdk-"));
  server = await startServer(loadConfig({ PORT: "0", MODELPLAN_DB: path.join(dir, "sdk.db") }), createLogger("silent"));
  client = createClient({ baseUrl: server.url });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("SDK against the real server over HTTP", () => {
  it("lists use cases with a domain filter", async () => {
    const page = await unwrap(client.GET("/v1/use-cases", { params: { query: { domain: "health", limit: 5 } } }));
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((u) => u.domain === "health")).toBe(true);
  });

  it("creates, updates with If-Match, and deletes a scenario", async () => {
    const slug = (await unwrap(client.GET("/v1/use-cases", { params: { query: { limit: 1 } } }))).items[0].slug;
    const created = await client.POST("/v1/scenarios", {
      body: {
        name: "SDK scenario",
        useCases: [slug],
        audience: { usersAtLaunch: 1000, monthlyGrowthPct: 5, horizonMonths: 12 },
        usage: { requestsPerUserPerDay: 3 },
        model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
        funding: { cashUsd: 100_000, monthlyNonComputeBurnUsd: 10_000 },
      },
      params: { header: { "idempotency-key": "sdk-test-1" } },
    });
    expect(created.response.status).toBe(201);
    const etag = created.response.headers.get("etag")!;
    const id = created.data!.id;

    const updated = await unwrap(
      client.PATCH("/v1/scenarios/{id}", { params: { path: { id }, header: { "if-match": etag } }, body: { name: "Renamed" } }),
    );
    expect(updated).toMatchObject({ name: "Renamed", version: 2 });

    await expect(
      unwrap(client.PATCH("/v1/scenarios/{id}", { params: { path: { id }, header: { "if-match": etag } }, body: { name: "Lost update" } })),
    ).rejects.toMatchObject({ status: 412 });

    const del = await client.DELETE("/v1/scenarios/{id}", { params: { path: { id }, header: {} } });
    expect(del.response.status).toBe(204);
  });

  it("surfaces problems as a typed ModelplanApiError naming the field", async () => {
    const call = client.POST("/v1/scenarios", {
      // @ts-expect-error — deliberately invalid to exercise the server's validation
      body: { name: "bad", audience: { usersAtLaunch: -5, monthlyGrowthPct: 5, horizonMonths: 12 } },
      params: { header: {} },
    });
    const err = await unwrap(call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelplanApiError);
    const problem = (err as ModelplanApiError).problem;
    expect(problem.status).toBe(422);
    expect(problem.errors?.map((e) => e.path)).toContain("audience.usersAtLaunch");
  });

  // Issue 16 §4: semantic checks (unknown preset, accelerator, use case, hosted model, profile) are in the
  // same 422 errors[] as the schema's, so that one round trip names every problem.
  it("one 422 names an unknown preset, an unknown accelerator and tokens: -5 together", async () => {
    const call = client.POST("/v1/estimates/training", {
      body: { model: { preset: "llama-9-7b" }, hardware: "a100-800gb", gpus: 8, tokens: -5 },
    });
    const err = await unwrap(call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelplanApiError);
    const problem = (err as ModelplanApiError).problem;
    expect(problem.status).toBe(422);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(["hardware", "model.preset", "tokens"]);
    expect(problem.errors?.find((e) => e.path === "model.preset")?.message).toContain("llama-9-7b");
    expect(problem.errors?.find((e) => e.path === "hardware")?.message).toContain("a100-800gb");
    expect(problem.detail).toBe("3 fields are invalid: tokens, model.preset, hardware");
  });

  it("sends the API key as a bearer token", async () => {
    let seen: string | null = null;
    const spy = createClient({
      baseUrl: server.url,
      apiKey: "mp_test_key",
      fetch: (input, init) => {
        seen = new Request(input, init).headers.get("authorization");
        return fetch(input, init);
      },
    });
    await unwrap(spy.GET("/health"));
    expect(seen).toBe("Bearer mp_test_key");
  });
});

describe("paginate: every item of a cursor-paginated list", () => {
  /** A client whose fetch counts the pages it asks for. */
  function countingClient() {
    const pages: string[] = [];
    const counted = createClient({
      baseUrl: server.url,
      fetch: (input, init) => {
        const request = new Request(input, init);
        pages.push(new URL(request.url).search);
        return fetch(request);
      },
    });
    return { pages, client: counted };
  }

  it("walks every page of the use-case catalog, with the query kept on each page", async () => {
    const all = await unwrap(client.GET("/v1/use-cases", { params: { query: { limit: 100 } } }));
    expect(all.nextCursor).toBeNull();
    const { pages, client: counted } = countingClient();
    const slugs: string[] = [];
    for await (const useCase of counted.paginate("/v1/use-cases", { query: { limit: 7 } })) slugs.push(useCase.slug);
    expect(slugs).toEqual(all.items.map((u) => u.slug));
    expect(pages).toHaveLength(Math.ceil(all.items.length / 7));
    expect(pages.every((q) => q.includes("limit=7"))).toBe(true);
    expect(pages.slice(1).every((q) => q.includes("cursor="))).toBe(true);

    const health: string[] = [];
    for await (const useCase of client.paginate("/v1/use-cases", { query: { domain: "health", limit: 2 } })) health.push(useCase.domain);
    expect(health.length).toBe(all.items.filter((u) => u.domain === "health").length);
    expect(new Set(health)).toEqual(new Set(["health"]));
  });

  it("fetches the next page only when the loop asks for more", async () => {
    const { pages, client: counted } = countingClient();
    for await (const useCase of counted.paginate("/v1/use-cases", { query: { limit: 3 } })) {
      expect(useCase.slug).toBeTruthy();
      break;
    }
    expect(pages).toHaveLength(1);
  });

  it("takes path parameters: the estimates of one scenario", async () => {
    const scenario = await unwrap(
      client.POST("/v1/scenarios", {
        body: {
          name: "Paginated estimates",
          useCases: ["smart-customer-service"],
          audience: { usersAtLaunch: 1000, monthlyGrowthPct: 5, horizonMonths: 12 },
          usage: { requestsPerUserPerDay: 3 },
          model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
          funding: { cashUsd: 100_000, monthlyNonComputeBurnUsd: 10_000 },
        },
      }),
    );
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await unwrap(client.POST("/v1/scenarios/{id}/estimates", { params: { path: { id: scenario.id } }, body: {} }))).id);
    const seen: string[] = [];
    for await (const estimate of client.paginate("/v1/scenarios/{id}/estimates", { path: { id: scenario.id }, query: { limit: 2 } })) {
      expect(estimate.scenarioId).toBe(scenario.id);
      seen.push(estimate.id);
    }
    expect(seen.sort()).toEqual(made.sort());
  });

  it("throws the page's problem as ModelplanApiError", async () => {
    const walk = async () => {
      for await (const _ of client.paginate("/v1/scenarios/{id}/estimates", { path: { id: "scn_missing" } })) void _;
    };
    await expect(walk()).rejects.toMatchObject({ name: "ModelplanApiError", status: 404 });
    const badCursor = async () => {
      for await (const _ of client.paginate("/v1/use-cases", { query: { cursor: "not-a-cursor" } })) void _;
    };
    await expect(badCursor()).rejects.toBeInstanceOf(ModelplanApiError);
  });
});

