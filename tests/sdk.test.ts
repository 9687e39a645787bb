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
