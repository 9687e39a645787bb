/**
 * Issue 14, findings 1 and 4: runs per upload and per profile are capped (422 naming the limit), runs
 * and profiles can be deleted (write scope, workspace isolation), benchmark jobs ask for no more workers
 * than the cores and share a bounded queue (429 with Retry-After).
 */
import { afterEach, describe, expect, it } from "vitest";
import { usableCores } from "@modelplan/bench";
import { createApiKey } from "../src/auth/api-keys.repository";
import { closeBenchmarkService, setBenchmarkLimits } from "../src/routes/benchmarks/index";
import { createTestApp, expectProblem, type TestApp } from "./helpers/test-app";
import { syntheticUpload } from "../../../tests/helpers/synthetic-upload";

let t: TestApp | undefined;

afterEach(async () => {
  if (t) {
    await t.close();
    t = undefined;
  }
});

const LIMITS = { requests: { capacity: 10_000, refillPerSec: 10_000 }, benchmarks: { capacity: 100, refillPerSec: 100 } };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A small benchmark job: one tiny MLP, per core only, no sgemm probe. */
const TINY = {
  items: [{ family: "mlp", config: { inputDim: 16, hiddenUnits: [32], classes: 4 }, batchSize: 8 }],
  budgetMs: 100,
  wholeMachine: false,
  sgemm: false,
  probeSizes: [64],
};

async function waitForJob(app: TestApp, id: string, headers: Record<string, string>, done: (s: string) => boolean) {
  const end = Date.now() + 60_000;
  for (;;) {
    const job = (await (await app.call("GET", `/v1/benchmarks/jobs/${id}`, undefined, headers)).json()) as { status: string; error: string | null };
    if (done(job.status) || Date.now() > end) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("runs per upload and per profile", () => {
  it("refuses an upload past either limit with 422 naming runs and the limit, storing nothing", async () => {
    t = await createTestApp({ rateLimits: LIMITS });
    setBenchmarkLimits(t.database, { maxRunsPerUpload: 5, maxRunsPerProfile: 8 });
    const tooMany = await expectProblem(await t.call("POST", "/v1/benchmarks/results", syntheticUpload(6)), 422);
    expect(tooMany.errors).toEqual([{ path: "runs", location: "body", message: expect.stringMatching(/6 runs exceed the limit of 5 runs per upload \(maxRunsPerUpload\)/) }]);
    // The document's own bound (the default per-upload limit) is checked before anything else.
    const schemaBound = await expectProblem(await t.call("POST", "/v1/benchmarks/results", syntheticUpload(251)), 422);
    expect(schemaBound.errors![0]).toMatchObject({ path: "runs", message: expect.stringMatching(/at most 250 runs per upload/) });

    const first = await t.call("POST", "/v1/benchmarks/results", syntheticUpload(5));
    expect(first.status).toBe(201);
    const { hardwareProfileId } = (await first.json()) as { hardwareProfileId: string };
    const full = await expectProblem(await t.call("POST", "/v1/benchmarks/results", syntheticUpload(5, { from: 5 })), 422);
    expect(full.errors![0]).toMatchObject({ path: "runs", message: expect.stringMatching(/holds 5 runs; 5 more would exceed the limit of 8 runs per profile \(maxRunsPerProfile\)/) });
    expect((await t.database.db.select().from(t.database.tables.benchmarkRuns))).toHaveLength(5);
    // Another profile (another fingerprint) has its own room.
    expect((await t.call("POST", "/v1/benchmarks/results", syntheticUpload(5, { tag: "other" }))).status).toBe(201);

    // Deleting runs makes room again.
    const runs = (await (await t.call("GET", `/v1/benchmarks/runs?hardwareProfileId=${hardwareProfileId}`)).json()) as { items: { id: string }[] };
    for (const r of runs.items.slice(0, 2)) expect((await t.call("DELETE", `/v1/benchmarks/runs/${r.id}`)).status).toBe(204);
    const profile = (await (await t.call("GET", `/v1/hardware-profiles/${hardwareProfileId}`)).json()) as { runCount: number };
    expect(profile.runCount).toBe(3);
    expect((await t.call("POST", "/v1/benchmarks/results", syntheticUpload(5, { from: 5 }))).status).toBe(201);
  });
});

describe("deleting runs and profiles", () => {
  it("deletes with write scope inside the workspace; another workspace's ids answer 404", async () => {
    t = await createTestApp({ rateLimits: LIMITS });
    const a = (await createApiKey(t.database, { workspaceId: "ws_a", scope: "write", name: "a" }, new Date())).key;
    const aRead = (await createApiKey(t.database, { workspaceId: "ws_a", scope: "read", name: "a-read" }, new Date())).key;
    const b = (await createApiKey(t.database, { workspaceId: "ws_b", scope: "admin", name: "b" }, new Date())).key;
    const upload = (await (await t.call("POST", "/v1/benchmarks/results", syntheticUpload(4), bearer(a))).json()) as { hardwareProfileId: string; runIds: string[] };
    const profile = upload.hardwareProfileId;
    const [run, ...rest] = upload.runIds;

    await expectProblem(await t.call("DELETE", `/v1/benchmarks/runs/${run}`, undefined, bearer(aRead)), 403);
    await expectProblem(await t.call("DELETE", `/v1/benchmarks/runs/${run}`, undefined, bearer(b)), 404);
    await expectProblem(await t.call("DELETE", `/v1/hardware-profiles/${profile}`, undefined, bearer(b)), 404);
    await expectProblem(await t.call("DELETE", `/v1/hardware-profiles/${profile}`, undefined, bearer(aRead)), 403);
    expect((await t.database.db.select().from(t.database.tables.benchmarkRuns))).toHaveLength(4);

    const deleted = await t.call("DELETE", `/v1/benchmarks/runs/${run}`, undefined, bearer(a));
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    await expectProblem(await t.call("DELETE", `/v1/benchmarks/runs/${run}`, undefined, bearer(a)), 404);
    expect(((await (await t.call("GET", `/v1/hardware-profiles/${profile}`, undefined, bearer(a))).json()) as { runCount: number }).runCount).toBe(3);

    // A job storing runs on the profile holds it; `local` is no handle for a delete.
    await t.database.db.insert(t.database.tables.benchmarkJobs).values({ id: "bjob_running", workspaceId: "ws_a", status: "running", suite: "quick", request: { suite: "quick" }, hardwareProfileId: profile, createdAt: new Date().toISOString() });
    const held = await expectProblem(await t.call("DELETE", `/v1/hardware-profiles/${profile}`, undefined, bearer(a)), 409);
    expect(held.detail).toMatch(/bjob_running/);
    await t.database.db.update(t.database.tables.benchmarkJobs).set({ status: "completed" });
    await expectProblem(await t.call("DELETE", "/v1/hardware-profiles/local", undefined, bearer(a)), 404);

    expect((await t.call("DELETE", `/v1/hardware-profiles/${profile}`, undefined, bearer(a))).status).toBe(204);
    await expectProblem(await t.call("GET", `/v1/hardware-profiles/${profile}`, undefined, bearer(a)), 404);
    expect((await t.database.db.select().from(t.database.tables.benchmarkRuns))).toEqual([]);
    await expectProblem(await t.call("DELETE", `/v1/benchmarks/runs/${rest[0]}`, undefined, bearer(a)), 404);
    const job = (await (await t.call("GET", "/v1/benchmarks/jobs/bjob_running", undefined, bearer(a))).json()) as { hardwareProfileId: string | null };
    expect(job.hardwareProfileId).toBeNull();
  });
});

describe("benchmark job bounds", () => {
  it("refuses more workers than the cores with 422 naming workers and the cap", async () => {
    t = await createTestApp({ rateLimits: LIMITS });
    const cores = usableCores();
    const res = await expectProblem(await t.call("POST", "/v1/benchmarks", { ...TINY, workers: cores + 1 }), 422);
    expect(res.errors).toEqual([{ path: "workers", location: "body", message: `${cores + 1} exceeds the ${cores} cores the benchmark backend can use on this machine (limit: min 1, max ${cores})` }]);
    expect((await t.database.db.select().from(t.database.tables.benchmarkJobs))).toEqual([]);
  });

  it(
    "caps a workspace's share of the queue with 429 and Retry-After, while another workspace is admitted",
    async () => {
      t = await createTestApp({ rateLimits: LIMITS });
      setBenchmarkLimits(t.database, { maxJobsPerWorkspace: 1, maxJobsQueued: 2 });
      const a = bearer((await createApiKey(t.database, { workspaceId: "ws_a", scope: "write", name: "a" }, new Date())).key);
      const b = bearer((await createApiKey(t.database, { workspaceId: "ws_b", scope: "write", name: "b" }, new Date())).key);
      const c = bearer((await createApiKey(t.database, { workspaceId: "ws_c", scope: "write", name: "c" }, new Date())).key);
      const first = (await (await t.call("POST", "/v1/benchmarks", TINY, a)).json()) as { id: string };
      const refused = await t.call("POST", "/v1/benchmarks", TINY, a);
      expect(refused.headers.get("retry-after")).toBe("60");
      const problem = await expectProblem(refused, 429);
      expect(problem.detail).toMatch(/already has 1 benchmark jobs queued or running .*\(maxJobsPerWorkspace 1\)/);
      const other = await t.call("POST", "/v1/benchmarks", TINY, b);
      expect(other.status).toBe(202);
      const global = await expectProblem(await t.call("POST", "/v1/benchmarks", TINY, c), 429);
      expect(global.detail).toMatch(/maxJobsQueued 2/);
      expect((await t.database.db.select().from(t.database.tables.benchmarkJobs))).toHaveLength(2); // refused jobs leave no row
      const second = (await other.json()) as { id: string };
      for (const [id, h] of [[second.id, b], [first.id, a]] as const) expect((await t.call("DELETE", `/v1/benchmarks/jobs/${id}`, undefined, h)).status).toBe(200);
    },
    120_000,
  );

  it(
    "fails a job whose hardware profile cannot take its runs, before it measures",
    async () => {
      t = await createTestApp({ rateLimits: LIMITS });
      setBenchmarkLimits(t.database, { maxRunsPerProfile: 2 });
      const job = (await (await t.call("POST", "/v1/benchmarks", TINY)).json()) as { id: string };
      const ended = await waitForJob(t, job.id, {}, (s) => s !== "queued" && s !== "running");
      expect(ended.status).toBe("failed");
      expect(ended.error).toMatch(/holds 0 runs and this job would add 3: the limit is 2 runs per profile \(maxRunsPerProfile\)/);
      expect((await t.database.db.select().from(t.database.tables.benchmarkRuns))).toEqual([]);
    },
    120_000,
  );
});
