import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ maxBodyBytes: 4096 });
});
afterEach(() => t.close());

describe("protocol errors are problem+json", () => {
  it("malformed JSON → 400", async () => {
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", "{not json"), 400);
    expect(p.detail).toMatch(/not valid JSON/);
  });

  it("wrong content type → 415", async () => {
    await expectProblem(await t.call("POST", "/v1/scenarios", "name=x", { "content-type": "text/plain" }), 415);
    await expectProblem(await t.call("POST", "/v1/scenarios", "<a/>", { "content-type": "application/xml" }), 415);
    const gz = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario(), { "content-encoding": "gzip" }), 415);
    expect(gz.detail).toContain("gzip");
  });

  it("body over the limit → 413", async () => {
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario({ description: "x".repeat(5000) })), 413);
    expect(p.detail).toContain("4096");
  });

  it("wrong method → 405 with Allow", async () => {
    const res = await t.call("PUT", "/v1/scenarios");
    await expectProblem(res, 405);
    expect(res.headers.get("allow")).toContain("POST");
  });

  it("unknown route → 404", async () => {
    const p = await expectProblem(await t.call("GET", "/v1/nothing-here"), 404);
    expect(p.instance).toBe("/v1/nothing-here");
  });

  it("every response carries a request id, echoed in problems", async () => {
    const res = await t.call("GET", "/v1/scenarios/nope");
    const p = await expectProblem(res, 404);
    expect(res.headers.get("x-request-id")).toBe(p.requestId);
  });

  it("an unexpected failure is a 500 without internals", async () => {
    await t.database.execute(sql.raw(t.database.dialect === "postgres" ? "DROP TABLE scenarios CASCADE" : "DROP TABLE scenarios"));
    const res = await t.call("GET", "/v1/scenarios");
    const p = await expectProblem(res, 500);
    expect(p.detail).not.toMatch(/table|sqlite|at \w+ \(/i);
    expect(Object.keys(p).sort()).toEqual(["detail", "instance", "requestId", "status", "title", "type"]);
  });
});

describe("meta routes", () => {
  it("GET /health reports version and db", async () => {
    const res = await t.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", db: "ok", version: expect.any(String) });
  });

  it("GET /ready answers 200 with the dialect while the database answers", async () => {
    const res = await t.call("GET", "/ready");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, db: "ok", dialect: t.database.dialect, draining: false });
  });

  it("GET /health answers 503 when the database is gone, and so does GET /ready", async () => {
    await t.database.close();
    const res = await t.call("GET", "/health");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", db: "error" });
    const ready = await t.call("GET", "/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, db: "error" });
  });

  it("GET /docs serves the interactive reference with its assets from the service itself", async () => {
    const res = await t.call("GET", "/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    const scripts = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.every((u) => u.startsWith("/docs/assets/"))).toBe(true); // no CDN
    for (const u of scripts) {
      const asset = await t.call("GET", u);
      expect(asset.status, u).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, u).toBeGreaterThan(100);
    }
    await expectProblem(await t.call("GET", "/docs/assets/..%2Fpackage.json"), 404);
    await expectProblem(await t.call("GET", "/docs/assets/index.html"), 404);
  });
});

describe("hostile JSON", () => {
  it("refuses nesting deeper than 32 levels with 422 naming where", async () => {
    const deep = `${'{"a":'.repeat(40)}1${"}".repeat(40)}`;
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", deep), 422);
    expect(p.errors?.[0].path).toMatch(/^a(\.a)+$/);
  });

  it("refuses lone surrogates instead of storing text that would read back changed", async () => {
    const body = JSON.stringify(sampleScenario({ name: "lone \ud800 surrogate" }));
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", body), 422);
    expect(p.errors?.[0].path).toBe("name");
  });

  it("a 413 closes the connection", async () => {
    const res = await t.call("POST", "/v1/scenarios", sampleScenario({ description: "x".repeat(5000) }));
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
  });
});
