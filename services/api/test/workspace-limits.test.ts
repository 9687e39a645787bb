/**
 * Issue 14, finding 6: rate limits per workspace (a key's limit inside its workspace's), a cap on keys
 * per workspace, storage quotas per workspace (scenarios, plans, runs) answered with 429 problem+json
 * naming the quota, Idempotency-Key rows expiring after 24 h, and the configuration of every limit.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createApiKey } from "../src/auth/api-keys.repository";
import { ConfigError, DEFAULT_LIMITS, loadConfig, type ServiceLimits } from "../src/config";
import { DEFAULT_QUOTAS } from "../src/lib/quotas";
import { sweepIdempotencyKeys } from "../src/lib/idempotency";
import { setBenchmarkLimits } from "../src/routes/benchmarks/index";
import { syntheticUpload } from "../../../tests/helpers/synthetic-upload";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const FAST = { requests: { capacity: 10_000, refillPerSec: 10_000 }, benchmarks: { capacity: 100, refillPerSec: 100 } };

/** An app with keys made before it starts: name → [workspace, scope]. */
async function appWithKeys(keys: Record<string, [string, "read" | "write" | "admin"]>, options: Parameters<typeof createTestApp>[0] = {}) {
  const made: Record<string, string> = {};
  const t = await createTestApp({
    ...options,
    seed: async (d) => {
      for (const [name, [ws, scope]] of Object.entries(keys)) made[name] = (await createApiKey(d, { workspaceId: ws, scope, name }, new Date())).key;
    },
  });
  apps.push(t);
  return { t, keys: made };
}

function limits(over: { quotas?: Partial<ServiceLimits["quotas"]>; idempotencyTtlMs?: number } = {}): ServiceLimits {
  return { ...DEFAULT_LIMITS, quotas: { ...DEFAULT_QUOTAS, ...over.quotas }, ...(over.idempotencyTtlMs !== undefined ? { idempotencyTtlMs: over.idempotencyTtlMs } : {}) };
}

type QuotaProblem = Awaited<ReturnType<typeof expectProblem>> & { limit?: { name: string; value: number; used?: number } };

describe("rate limits per workspace", () => {
  it("every key of a workspace draws from one bucket: minting keys buys no capacity; another workspace is unaffected", async () => {
    const { t, keys } = await appWithKeys(
      { a1: ["acme", "read"], a2: ["acme", "read"], a3: ["acme", "read"], victim: ["globex", "read"] },
      { rateLimits: { requests: { capacity: 6, refillPerSec: 0.001 }, benchmarks: { capacity: 1, refillPerSec: 0.001 } } },
    );
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await t.call("GET", "/v1/use-cases?limit=1", undefined, bearer(keys[`a${(i % 3) + 1}`]))).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    const refused = await expectProblem(await t.call("GET", "/v1/use-cases?limit=1", undefined, bearer(keys.a1)), 429);
    expect(refused.detail).toMatch(/Too many requests of this workspace/);
    expect((await t.call("GET", "/v1/use-cases?limit=1", undefined, bearer(keys.victim))).status).toBe(200);
  });

  it("a key's own limit applies inside its workspace's, and a refused take costs the workspace nothing", async () => {
    const { t, keys } = await appWithKeys(
      { k1: ["acme", "read"], k2: ["acme", "read"] },
      { rateLimits: { requests: { capacity: 5, refillPerSec: 0.001 }, keyRequests: { capacity: 2, refillPerSec: 0.001 }, benchmarks: { capacity: 1, refillPerSec: 0.001 } } },
    );
    const s1 = [0, 1, 2, 3].map(() => t.call("GET", "/v1/use-cases?limit=1", undefined, bearer(keys.k1)));
    // Sent at once: which two are refused depends on arrival order (the key lookup awaits the database).
    expect((await Promise.all(s1)).map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
    // k1's refusals took nothing from the workspace: 3 of its 5 tokens are left for k2 (its own limit 2).
    const s2: number[] = [];
    for (let i = 0; i < 3; i++) s2.push((await t.call("GET", "/v1/use-cases?limit=1", undefined, bearer(keys.k2))).status);
    expect(s2).toEqual([200, 200, 429]);
    const p = await expectProblem(await t.call("GET", "/v1/use-cases?limit=1", undefined, bearer(keys.k1)), 429);
    expect(p.detail).toMatch(/this key/);
  });
});

describe("keys per workspace", () => {
  it("POST /v1/keys beyond maxKeysPerWorkspace answers 429 naming the quota; revoking one makes room", async () => {
    const { t, keys } = await appWithKeys({ admin: ["acme", "admin"], other: ["globex", "admin"] }, { limits: limits({ quotas: { maxKeysPerWorkspace: 3 } }) });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push(((await (await t.call("POST", "/v1/keys", { name: `k${i}`, scope: "read" }, bearer(keys.admin))).json()) as { id: string }).id);
    const res = await t.call("POST", "/v1/keys", { name: "one too many", scope: "read" }, bearer(keys.admin));
    const p = (await expectProblem(res, 429)) as QuotaProblem;
    expect(p.type).toBe("/problems/quota-exceeded");
    expect(p.limit).toEqual({ name: "maxKeysPerWorkspace", value: 3, used: 3 });
    expect(res.headers.get("retry-after")).toBeNull();
    expect((await t.call("POST", "/v1/keys", { name: "elsewhere", scope: "read" }, bearer(keys.other))).status).toBe(201);
    expect((await t.call("DELETE", `/v1/keys/${ids[0]}`, undefined, bearer(keys.admin))).status).toBe(204);
    expect((await t.call("POST", "/v1/keys", { name: "now it fits", scope: "read" }, bearer(keys.admin))).status).toBe(201);
  });
});

describe("storage quotas per workspace", () => {
  it("scenarios: 429 naming maxScenariosPerWorkspace; a delete makes room; other workspaces unaffected", async () => {
    const { t, keys } = await appWithKeys({ a: ["acme", "write"], b: ["globex", "write"] }, { limits: limits({ quotas: { maxScenariosPerWorkspace: 2 } }), rateLimits: FAST });
    const first = (await (await t.call("POST", "/v1/scenarios", sampleScenario(), bearer(keys.a))).json()) as { id: string };
    expect((await t.call("POST", "/v1/scenarios", sampleScenario(), bearer(keys.a))).status).toBe(201);
    const p = (await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario(), bearer(keys.a)), 429)) as QuotaProblem;
    expect(p.limit).toEqual({ name: "maxScenariosPerWorkspace", value: 2, used: 2 });
    expect(p.detail).toContain("DELETE /v1/scenarios/{id}");
    expect((await t.call("POST", "/v1/scenarios", sampleScenario(), bearer(keys.b))).status).toBe(201);
    expect((await t.call("DELETE", `/v1/scenarios/${first.id}`, undefined, { ...bearer(keys.a), "if-match": "*" })).status).toBe(204);
    expect((await t.call("POST", "/v1/scenarios", sampleScenario(), bearer(keys.a))).status).toBe(201);
  });

  it("plans: count and stored bytes, checked before computing; DELETE /v1/plans/{id} makes room", async () => {
    const { t, keys } = await appWithKeys({ a: ["acme", "write"] }, { limits: limits({ quotas: { maxPlansPerWorkspace: 2 } }), rateLimits: FAST });
    const scenario = (await (await t.call("POST", "/v1/scenarios", sampleScenario({ useCases: ["smart-customer-service"] }), bearer(keys.a))).json()) as { id: string };
    const plan = (await (await t.call("POST", `/v1/scenarios/${scenario.id}/plan`, {}, bearer(keys.a))).json()) as { id: string };
    expect((await t.call("POST", `/v1/scenarios/${scenario.id}/plan`, {}, bearer(keys.a))).status).toBe(201);
    const p = (await expectProblem(await t.call("POST", `/v1/scenarios/${scenario.id}/plan`, {}, bearer(keys.a)), 429)) as QuotaProblem;
    expect(p.limit).toEqual({ name: "maxPlansPerWorkspace", value: 2, used: 2 });
    expect((await t.call("DELETE", `/v1/plans/${plan.id}`, undefined, bearer(keys.a))).status).toBe(204);
    await expectProblem(await t.call("GET", `/v1/plans/${plan.id}`, undefined, bearer(keys.a)), 404);
    await expectProblem(await t.call("DELETE", `/v1/plans/${plan.id}`, undefined, bearer(keys.a)), 404);
    expect((await t.call("POST", `/v1/scenarios/${scenario.id}/plan`, {}, bearer(keys.a))).status).toBe(201);

    const tight = await appWithKeys({ a: ["acme", "write"] }, { limits: limits({ quotas: { maxPlanBytesPerWorkspace: 1000 } }), rateLimits: FAST });
    const s2 = (await (await tight.t.call("POST", "/v1/scenarios", sampleScenario({ useCases: ["smart-customer-service"] }), bearer(tight.keys.a))).json()) as { id: string };
    const bytes = (await expectProblem(await tight.t.call("POST", `/v1/scenarios/${s2.id}/plan`, {}, bearer(tight.keys.a)), 429)) as QuotaProblem;
    expect(bytes.limit?.name).toBe("maxPlanBytesPerWorkspace");
    expect(bytes.limit?.used).toBeGreaterThan(1000);
  });

  it("benchmark runs: an upload past maxRunsPerWorkspace over several profiles answers 429 and stores nothing", async () => {
    const { t, keys } = await appWithKeys({ a: ["acme", "write"] }, { rateLimits: FAST });
    setBenchmarkLimits(t.database, { maxRunsPerWorkspace: 30, maxRunsPerProfile: 20 });
    expect((await t.call("POST", "/v1/benchmarks/results", syntheticUpload(20, { tag: "one" }), bearer(keys.a))).status).toBe(201);
    const p = (await expectProblem(await t.call("POST", "/v1/benchmarks/results", syntheticUpload(11, { tag: "two" }), bearer(keys.a)), 429)) as QuotaProblem;
    expect(p.limit).toEqual({ name: "maxRunsPerWorkspace", value: 30, used: 20 });
    expect((await t.call("POST", "/v1/benchmarks/results", syntheticUpload(10, { tag: "two" }), bearer(keys.a))).status).toBe(201);
  });
});

describe("Idempotency-Key rows expire", () => {
  it("a key is replayed within the TTL, forgotten after it, and the sweep deletes expired rows in batches", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const t = await createTestApp({ now: () => now, limits: limits({ idempotencyTtlMs: 24 * 3600_000 }), rateLimits: FAST });
    apps.push(t);
    const headers = { "idempotency-key": "k1" };
    const first = (await (await t.call("POST", "/v1/scenarios", sampleScenario(), headers)).json()) as { id: string };
    now = new Date("2026-01-01T23:59:00Z");
    const replay = await t.call("POST", "/v1/scenarios", sampleScenario(), headers);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(first.id);
    now = new Date("2026-01-02T00:00:01Z");
    const fresh = await t.call("POST", "/v1/scenarios", sampleScenario({ name: "another body, same key" }), headers);
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();

    for (let i = 0; i < 7; i++) await t.call("POST", "/v1/scenarios", sampleScenario(), { "idempotency-key": `old-${i}` });
    const rows = async () => (await t.database.db.select().from(t.database.tables.idempotencyKeys)).length;
    expect(await rows()).toBe(8);
    const cutoff = new Date(now.getTime() + 1);
    expect(await sweepIdempotencyKeys(t.database, cutoff, 3)).toBe(3);
    expect(await sweepIdempotencyKeys(t.database, cutoff, 3)).toBe(3);
    expect(await sweepIdempotencyKeys(t.database, cutoff, 3)).toBe(2);
    expect(await rows()).toBe(0);
  });
});

describe("configuration", () => {
  it("reads every limit from the environment, with documented defaults", () => {
    const d = loadConfig({});
    expect(d.limits).toEqual(DEFAULT_LIMITS);
    expect(d.rateLimits.keyRequests).toEqual(d.rateLimits.requests);
    const c = loadConfig({
      MAX_KEYS_PER_WORKSPACE: "5", MAX_SCENARIOS_PER_WORKSPACE: "7", MAX_PLANS_PER_WORKSPACE: "9", MAX_PLAN_MB_PER_WORKSPACE: "2", MAX_RUNS_PER_WORKSPACE: "40",
      PLAN_TIME_BUDGET_MS: "5000", MAX_PLANS_IN_FLIGHT_PER_WORKSPACE: "1", MAX_PLANS_QUEUED: "3", IDEMPOTENCY_TTL_HOURS: "1",
      MAX_RUNS_PER_PROFILE: "50", MAX_RUNS_PER_UPLOAD: "10", FIT_TIME_BUDGET_MS: "1000", MAX_FITS_IN_FLIGHT_PER_WORKSPACE: "1", MAX_FITS_QUEUED: "2",
      MAX_JOBS_PER_WORKSPACE: "1", MAX_JOBS_QUEUED: "4", JOB_TIME_CAP_MINUTES: "5", KEY_RATE_LIMIT_RPS: "10", KEY_RATE_LIMIT_BURST: "20",
    });
    expect(c.limits.quotas).toEqual({ maxKeysPerWorkspace: 5, maxScenariosPerWorkspace: 7, maxPlansPerWorkspace: 9, maxPlanBytesPerWorkspace: 2 * 1024 * 1024 });
    expect(c.limits.plans).toEqual({ planTimeBudgetMs: 5000, maxPlansInFlightPerWorkspace: 1, maxPlansQueued: 3 });
    expect(c.limits.benchmarks).toEqual({
      maxRunsPerProfile: 50, maxRunsPerUpload: 10, maxRunsPerWorkspace: 40, fitTimeBudgetMs: 1000, maxFitsInFlightPerWorkspace: 1, maxFitsQueued: 2,
      maxJobsPerWorkspace: 1, maxJobsQueued: 4, jobTimeCapMs: 5 * 60_000,
    });
    expect(c.limits.idempotencyTtlMs).toBe(3600_000);
    expect(c.rateLimits.keyRequests).toEqual({ capacity: 20, refillPerSec: 10 });
    expect(() => loadConfig({ MAX_KEYS_PER_WORKSPACE: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ PLAN_TIME_BUDGET_MS: "soon" })).toThrow(/PLAN_TIME_BUDGET_MS/);
  });
});
