import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readUseCaseCatalog } from "../src/routes/use-cases/use-cases.catalog";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";

let t: TestApp;
const slug = () => readUseCaseCatalog().items[0].slug;
type Scn = { id: string; version: number; name: string; createdAt: string; updatedAt: string; audience: { usersAtLaunch: number; monthlyGrowthPct: number }; usage: Record<string, unknown>; pricing?: unknown };

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function create(overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await t.call("POST", "/v1/scenarios", sampleScenario({ useCases: [slug()], ...overrides }), headers);
  return { res, body: (await res.json()) as Scn };
}

describe("scenario lifecycle", () => {
  it("creates, reads, lists, patches with If-Match and deletes", async () => {
    const { res, body } = await create();
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe(`/v1/scenarios/${body.id}`);
    expect(body).toMatchObject({ version: 1, workspaceId: "ws_default", useCases: [slug()] });
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);

    const got = await t.call("GET", `/v1/scenarios/${body.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe('"1"');

    const patched = await t.call("PATCH", `/v1/scenarios/${body.id}`, { audience: { monthlyGrowthPct: 12 }, pricing: null }, { "if-match": '"1"' });
    expect(patched.status).toBe(200);
    const p = (await patched.json()) as Scn;
    expect(p.version).toBe(2);
    expect(p.audience).toEqual({ usersAtLaunch: 50_000, monthlyGrowthPct: 12, horizonMonths: 24 });
    expect(p.pricing).toBeUndefined();
    expect(patched.headers.get("etag")).toBe('"2"');

    const list = (await (await t.call("GET", "/v1/scenarios")).json()) as { items: Scn[] };
    expect(list.items.map((s) => s.id)).toEqual([body.id]);

    const stale = await t.call("DELETE", `/v1/scenarios/${body.id}`, undefined, { "if-match": '"1"' });
    await expectProblem(stale, 412);
    const del = await t.call("DELETE", `/v1/scenarios/${body.id}`, undefined, { "if-match": '"2"' });
    expect(del.status).toBe(204);
    await expectProblem(await t.call("GET", `/v1/scenarios/${body.id}`), 404);
  });

  it("merges a funnel patch field by field: null restores a default, the acquisition is replaced whole", async () => {
    const created = await t.call("POST", "/v1/scenarios", sampleScenario({ funnel: { freeToPaidPct: 3, paidChurnPct: 4, acquisition: { cacUsd: 150 } } }));
    const body = (await created.json()) as { id: string; funnel: Record<string, unknown> };
    expect(body.funnel).toEqual({ freeToPaidPct: 3, paidChurnPct: 4, acquisition: { cacUsd: 150 } });
    const patched = await t.call("PATCH", `/v1/scenarios/${body.id}`, { funnel: { paidChurnPct: null, acquisition: { marketingUsdPerMonth: 20_000 }, signups: { signupsPerMonth: 2000 } } }, { "if-match": '"1"' });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { funnel: unknown }).funnel).toEqual({ freeToPaidPct: 3, acquisition: { marketingUsdPerMonth: 20_000 }, signups: { signupsPerMonth: 2000 } });
    const bad = await expectProblem(await t.call("PATCH", `/v1/scenarios/${body.id}`, { funnel: { acquisition: { cacUsd: 1, marketingUsdPerMonth: 2 } } }, { "if-match": '"2"' }), 422);
    expect(bad.errors?.map((e) => e.path)).toEqual(["funnel.acquisition"]);
  });

  it("rejects a stale If-Match with 412 and leaves the row unchanged", async () => {
    const { body } = await create();
    await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "first" }, { "if-match": '"1"' });
    const stale = await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "second" }, { "if-match": '"1"' });
    const problem = await expectProblem(stale, 412);
    expect(problem.detail).toContain('"2"');
    const now = (await (await t.call("GET", `/v1/scenarios/${body.id}`)).json()) as Scn;
    expect(now).toMatchObject({ name: "first", version: 2 });
  });

  it("accepts application/merge-patch+json and null removes optional usage fields", async () => {
    const { body } = await create({ usage: { requestsPerUserPerDay: 6, peakToAverage: 4 } });
    const res = await t.call("PATCH", `/v1/scenarios/${body.id}`, JSON.stringify({ usage: { peakToAverage: null } }), { "content-type": "application/merge-patch+json" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Scn).usage).toEqual({ requestsPerUserPerDay: 6 });
  });

  it("a patch that makes the scenario invalid is a 422 naming the field, and nothing changes", async () => {
    const { body } = await create();
    const res = await t.call("PATCH", `/v1/scenarios/${body.id}`, { model: { strategy: "self-host" } });
    const p = await expectProblem(res, 422);
    expect(p.errors?.map((e) => e.path)).toContain("model.preset");
    const now = (await (await t.call("GET", `/v1/scenarios/${body.id}`)).json()) as Scn;
    expect(now.version).toBe(1);
  });
});

describe("Idempotency-Key", () => {
  it("replays the original response for a retry and creates one row", async () => {
    const a = await create({}, { "idempotency-key": "retry-1" });
    const b = await create({}, { "idempotency-key": "retry-1" });
    expect(b.res.status).toBe(201);
    expect(b.res.headers.get("idempotent-replayed")).toBe("true");
    expect(b.body).toEqual(a.body);
    const list = (await (await t.call("GET", "/v1/scenarios")).json()) as { items: Scn[] };
    expect(list.items).toHaveLength(1);
  });

  it("rejects the same key with a different body", async () => {
    await create({}, { "idempotency-key": "retry-2" });
    const res = await t.call("POST", "/v1/scenarios", sampleScenario({ name: "different" }), { "idempotency-key": "retry-2" });
    const p = await expectProblem(res, 422);
    expect(p.type).toBe("/problems/idempotency-key-reused");
  });
});

describe("listing", () => {
  it("filters by name and paginates in every sort order", async () => {
    for (const name of ["delta", "alpha", "charlie", "bravo", "alphabet"]) await create({ name });
    const names = async (sort: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.call("GET", `/v1/scenarios?limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ""}`);
        const page = (await res.json()) as { items: Scn[]; nextCursor: string | null };
        out.push(...page.items.map((s) => s.name));
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    };
    expect(await names("name")).toEqual(["alpha", "alphabet", "bravo", "charlie", "delta"]);
    expect(await names("-name")).toEqual(["delta", "charlie", "bravo", "alphabet", "alpha"]);
    expect(await names("updatedAt")).toHaveLength(5);
    const filtered = (await (await t.call("GET", "/v1/scenarios?name=ALPHA")).json()) as { items: Scn[] };
    expect(filtered.items.map((s) => s.name).sort()).toEqual(["alpha", "alphabet"]);
  });

  it("refuses a cursor from another sort order", async () => {
    await create({ name: "a" });
    await create({ name: "b" });
    const page = (await (await t.call("GET", "/v1/scenarios?limit=1&sort=name")).json()) as { nextCursor: string };
    await expectProblem(await t.call("GET", `/v1/scenarios?sort=-updatedAt&cursor=${page.nextCursor}`), 400);
  });
});

describe("validation", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["negative users", { audience: { usersAtLaunch: -1, monthlyGrowthPct: 5, horizonMonths: 12 } }, "audience.usersAtLaunch"],
    ["horizon over 120", { audience: { usersAtLaunch: 1, monthlyGrowthPct: 5, horizonMonths: 121 } }, "audience.horizonMonths"],
    ["absurd growth", { audience: { usersAtLaunch: 1, monthlyGrowthPct: 1000, horizonMonths: 12 } }, "audience.monthlyGrowthPct"],
    ["long name", { name: "x".repeat(201) }, "name"],
    ["unknown strategy", { model: { strategy: "magic" } }, "model.strategy"],
    ["two model sources", { model: { strategy: "self-host", preset: "x", parameters: 7e9 } }, "model.parameters"],
    ["unknown field", { colour: "blue" }, "colour"],
    ["too many use cases", { useCases: Array.from({ length: 21 }, (_, i) => `u-${i}`) }, "useCases"],
    ["negative price", { pricing: { model: "perRequest", priceUsd: -1 } }, "pricing.priceUsd"],
    ["string for a number", { funding: { cashUsd: "lots", monthlyNonComputeBurnUsd: 1 } }, "funding.cashUsd"],
  ];
  it.each(cases)("%s → 422 naming %s", async (_label, override, path) => {
    const res = await t.call("POST", "/v1/scenarios", sampleScenario(override));
    const p = await expectProblem(res, 422);
    expect(p.errors?.map((e) => e.path)).toContain(path);
    expect(p.errors?.every((e) => e.location === "body")).toBe(true);
  });

  it("names every unknown use case", async () => {
    const res = await t.call("POST", "/v1/scenarios", sampleScenario({ useCases: [slug(), "nope-one", "nope-two"] }));
    const p = await expectProblem(res, 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["useCases.1", "useCases.2"]);
  });

  it("rejects a duplicated use case", async () => {
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario({ useCases: [slug(), slug()] })), 422);
    expect(p.errors?.[0].path).toBe("useCases.1");
  });

  it("stores nothing when a create is rejected", async () => {
    await t.call("POST", "/v1/scenarios", sampleScenario({ useCases: ["nope"] }));
    const list = (await (await t.call("GET", "/v1/scenarios")).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });
});

describe("catalog references", () => {
  it("accepts catalog models, presets and accelerators", async () => {
    const res = await t.call("POST", "/v1/scenarios", sampleScenario({ model: { strategy: "self-host", preset: "llama-3-8b", quantization: "int8" }, hardware: { accelerator: "a100-80gb" } }));
    expect(res.status).toBe(201);
  });

  it.each([
    [{ model: { strategy: "hosted-api", hostedModel: "gpt-99" } }, "model.hostedModel"],
    [{ model: { strategy: "self-host", preset: "no-such-model" } }, "model.preset"],
    [{ hardware: { accelerator: "abacus" } }, "hardware.accelerator"],
    [{ model: { strategy: "fine-tune", architecture: { family: "decoder", layers: 2, hidden: 100, heads: 3, ffn: 400, vocab: 1000 } } }, "model.architecture"],
  ])("rejects %j naming %s", async (override, path) => {
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario(override)), 422);
    expect(p.errors?.some((e) => e.path.startsWith(path))).toBe(true);
  });
});

describe("merge patch: null removes what may be left out, and only that", () => {
  it("removes a nested optional field of usage, audience's siblings untouched", async () => {
    const { body } = await create({ usage: { requestsPerUserPerDay: 6, freeRequestsPerUserPerDay: 2, peakToAverage: 4, requestProfile: { inputTokens: 600 } } });
    const res = await t.call("PATCH", `/v1/scenarios/${body.id}`, { usage: { freeRequestsPerUserPerDay: null } }, { "if-match": '"1"' });
    expect(res.status, await res.clone().text()).toBe(200);
    const p = (await res.json()) as Scn;
    expect(p.usage).toEqual({ requestsPerUserPerDay: 6, peakToAverage: 4, requestProfile: { inputTokens: 600 } });
    expect(p.version).toBe(2);
    // ...and the others of usage, in one patch, beside a change: the stored scenario has them no more.
    const again = await t.call("PATCH", `/v1/scenarios/${body.id}`, { usage: { peakToAverage: null, requestProfile: null, requestsPerUserPerDay: 7 } }, { "if-match": '"2"' });
    expect(again.status).toBe(200);
    expect(((await (await t.call("GET", `/v1/scenarios/${body.id}`)).json()) as Scn).usage).toEqual({ requestsPerUserPerDay: 7 });
  });

  it("removes every optional field the patch documents: top-level ones, the funnel's, and useCases back to its default []", async () => {
    const { body } = await create({ hardware: { accelerator: "l4" }, businessModel: "subscription", revenueLines: [{ kind: "technical-services", billableHoursPerMonth: 10, hourlyRateUsd: 100 }], funnel: { freeToPaidPct: 3, signups: { signupsPerMonth: 100 } } });
    const res = await t.call("PATCH", `/v1/scenarios/${body.id}`, { description: null, hardware: null, businessModel: null, revenueLines: null, funnel: { signups: null }, useCases: null });
    expect(res.status, await res.clone().text()).toBe(200);
    const p = (await res.json()) as Record<string, unknown>;
    for (const k of ["description", "hardware", "businessModel", "revenueLines"]) expect(p[k], k).toBeUndefined();
    expect(p.funnel).toEqual({ freeToPaidPct: 3 });
    expect(p.useCases).toEqual([]);
  });

  it("refuses null on a required field with a 422 naming each, and changes nothing", async () => {
    const { body } = await create();
    const before = await (await t.call("GET", `/v1/scenarios/${body.id}`)).json();
    const p = await expectProblem(
      await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: null, model: null, audience: { horizonMonths: null }, usage: { requestsPerUserPerDay: null }, funding: null }, { "if-match": '"1"' }),
      422,
    );
    expect(p.errors!.map((e) => e.path).sort()).toEqual(["audience.horizonMonths", "funding", "model", "name", "usage.requestsPerUserPerDay"]);
    expect(p.errors!.find((e) => e.path === "usage.requestsPerUserPerDay")!.message).toMatch(/received null/);
    expect(await (await t.call("GET", `/v1/scenarios/${body.id}`)).json()).toEqual(before);
  });

  it("the patch schema is built from the create schema: its bounds apply, nothing is copied", async () => {
    const { body } = await create();
    const p = await expectProblem(await t.call("PATCH", `/v1/scenarios/${body.id}`, { usage: { freeRequestsPerUserPerDay: -1, peakToAverage: 21 }, audience: { horizonMonths: 121 }, funnel: { paidChurnPct: 101 } }), 422);
    expect(p.errors!.map((e) => e.path).sort()).toEqual(["audience.horizonMonths", "funnel.paidChurnPct", "usage.freeRequestsPerUserPerDay", "usage.peakToAverage"]);
  });

  it("documents null where it is accepted, and only there (OpenAPI)", async () => {
    const doc = (await (await t.call("GET", "/openapi.json")).json()) as { components: { schemas: Record<string, { properties: Record<string, { type?: string | string[]; anyOf?: unknown[]; properties?: Record<string, { type?: string | string[]; anyOf?: unknown[] }> }> }> } };
    const patch = doc.components.schemas.ScenarioPatch.properties;
    const nullable = (s: { type?: string | string[]; anyOf?: unknown[] }) => (Array.isArray(s.type) && s.type.includes("null")) || (s.anyOf ?? []).some((x) => (x as { type?: string }).type === "null");
    expect(nullable(patch.usage.properties!.freeRequestsPerUserPerDay)).toBe(true);
    expect(nullable(patch.usage.properties!.requestProfile)).toBe(true);
    expect(nullable(patch.usage.properties!.requestsPerUserPerDay)).toBe(false);
    expect(nullable(patch.funnel.properties!.signups)).toBe(true);
    expect(nullable(patch.audience)).toBe(false);
    expect(nullable(patch.name)).toBe(false);
    expect(nullable(patch.hardware)).toBe(true);
  });
});

describe("a patch that changes nothing", () => {
  it("keeps the version, updatedAt and ETag: {} or the values already stored", async () => {
    const { body } = await create({ usage: { requestsPerUserPerDay: 6, peakToAverage: 4 } });
    for (const patch of [{}, { name: body.name }, { usage: { peakToAverage: 4 } }, { pricing: { priceUsd: 12, model: "perSeatMonthly" } }, { businessModel: null }]) {
      const res = await t.call("PATCH", `/v1/scenarios/${body.id}`, patch, { "if-match": '"1"' });
      expect(res.status, JSON.stringify(patch)).toBe(200);
      expect(res.headers.get("etag")).toBe('"1"');
      const p = (await res.json()) as Scn;
      expect(p).toMatchObject({ version: 1, updatedAt: body.updatedAt });
    }
    const got = await t.call("GET", `/v1/scenarios/${body.id}`);
    expect(got.headers.get("etag")).toBe('"1"');
    expect(((await got.json()) as Scn).updatedAt).toBe(body.updatedAt);
    // A real change still moves the version on.
    const changed = await t.call("PATCH", `/v1/scenarios/${body.id}`, { usage: { peakToAverage: 5 } }, { "if-match": '"1"' });
    expect(changed.headers.get("etag")).toBe('"2"');
  });

  it("still answers a stale If-Match with 412 and an invalid one with 422", async () => {
    const { body } = await create();
    await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "renamed" });
    await expectProblem(await t.call("PATCH", `/v1/scenarios/${body.id}`, {}, { "if-match": '"1"' }), 412);
    await expectProblem(await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "" }), 422);
  });
});

describe("If-Match syntax (RFC 9110 §13.1.1)", () => {
  it("answers an unquoted ETag with 400 saying to quote it, and changes nothing", async () => {
    const { body } = await create();
    for (const method of ["PATCH", "DELETE"]) {
      const p = await expectProblem(await t.call(method, `/v1/scenarios/${body.id}`, method === "PATCH" ? { name: "x" } : undefined, { "if-match": "1" }), 400);
      expect(p.detail).toContain('Quote it, as the ETag header gives it: If-Match: "1"');
    }
    expect(((await (await t.call("GET", `/v1/scenarios/${body.id}`)).json()) as Scn)).toMatchObject({ version: 1, name: body.name });
  });

  it("refuses other malformed values with 400, before looking the scenario up", async () => {
    const { body } = await create();
    for (const v of ['"1', "*, \"1\"", "a b", 'W/1']) {
      await expectProblem(await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "x" }, { "if-match": v }), 400);
    }
    await expectProblem(await t.call("PATCH", "/v1/scenarios/scn_missing", { name: "x" }, { "if-match": "1" }), 400);
  });

  it("matches a list with the current tag, never a weak tag, and * always", async () => {
    const { body } = await create();
    const weak = await expectProblem(await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "a" }, { "if-match": 'W/"1"' }), 412);
    expect(weak.detail).toContain("weak");
    expect((await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "a" }, { "if-match": '"7", "1"' })).status).toBe(200);
    expect((await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "b" }, { "if-match": '"2",, ' })).status).toBe(200);
    expect((await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "c" }, { "if-match": "*" })).status).toBe(200);
    const stale = await expectProblem(await t.call("PATCH", `/v1/scenarios/${body.id}`, { name: "d" }, { "if-match": '"1"' }), 412);
    expect(stale.detail).toBe('If-Match "1" does not match the current version "4"; read the resource again and retry.');
  });
});
