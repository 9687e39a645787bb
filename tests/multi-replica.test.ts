/**
 * Two API processes on one PostgreSQL database (issue 18): what must agree across replicas lives in
 * the database, not in a process. The If-Match race through both loses no update; an Idempotency-Key
 * is replayed by the other replica (and two replicas receiving one key at once create one row); a
 * revoked key stops working on the other replica within the documented second; a queued benchmark
 * job is claimed by exactly one replica; and a replica killed mid-job leaves its job `interrupted`
 * for the other to see. Needs MODELPLAN_TEST_DATABASE (tests/helpers/test-database.ts).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase, type Database } from "@modelplan/db";
import { claimNextJob } from "../services/api/src/routes/benchmarks/jobs.repository";
import { killAllChildGroups, startChildServer, type ChildServer } from "./helpers/child-server";
import { ifMatchRace } from "./helpers/if-match-race";
import { describeWithPostgres, freshPostgresDatabase, type TestDatabase } from "./helpers/test-database";

const SCENARIO = {
  name: "Replicas",
  audience: { usersAtLaunch: 1, monthlyGrowthPct: 0, horizonMonths: 1 },
  usage: { requestsPerUserPerDay: 1 },
  model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
  funding: { cashUsd: 0, monthlyNonComputeBurnUsd: 0 },
};
const JSON_BODY = { "content-type": "application/json" };
/** The smallest benchmark suite (services/api/test/benchmarks.test.ts). */
const TINY = {
  items: [{ family: "mlp", config: { inputDim: 16, hiddenUnits: [32], classes: 4 }, batchSize: 8 }],
  budgetMs: 100,
  wholeMachine: false,
  sgemm: false,
  probeSizes: [64],
};
/** Short, so the killed replica's job is seen interrupted within seconds. */
const LEASE_MS = 3000;

describeWithPostgres("two API replicas on one PostgreSQL database", () => {
  let fresh: TestDatabase;
  let servers: ChildServer[] = [];
  let db: Database;
  /** The admin key of the tests after the keys test (the services require keys from then on). */
  let adminAuth: Record<string, string> = {};

  beforeAll(async () => {
    fresh = await freshPostgresDatabase();
    // Started together: one migrates (the advisory lock), the other waits and finds it done.
    servers = await Promise.all([0, 1].map(() => startChildServer({ runner: "node", dbPath: fresh.url, env: { JOB_LEASE_MS: String(LEASE_MS) } })));
    db = await openDatabase(fresh.url, { poolMax: 4 });
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) {
      s.signal("SIGTERM");
      await s.waitGone(15_000);
    }
    killAllChildGroups();
    await db?.close();
    await fresh?.drop();
  });

  it("If-Match PATCHes from four clients through both replicas: no 5xx, 0 lost updates", async () => {
    const race = await ifMatchRace(
      servers.map((s) => s.url),
      { clients: 4, incrementsPerClient: 20 },
    );
    expect(race.serverErrors).toEqual([]);
    expect(race.acknowledged).toHaveLength(80);
    expect(race.final.value).toBe(80);
    expect(race.final.version).toBe(81);
    expect(new Set(race.acknowledged.map((a) => a.version)).size).toBe(80);
    expect(race.statuses[412] ?? 0).toBeGreaterThan(0); // the clients did race
  }, 180_000);

  it("an Idempotency-Key is replayed by the other replica; one key sent to both at once creates one scenario", async () => {
    const [a, b] = servers;
    const post = (url: string, key: string) => fetch(`${url}/v1/scenarios`, { method: "POST", headers: { ...JSON_BODY, "idempotency-key": key }, body: JSON.stringify(SCENARIO) });
    const first = await post(a.url, "replica-key-1");
    expect(first.status).toBe(201);
    const replay = await post(b.url, "replica-key-1");
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);

    for (let round = 0; round < 5; round++) {
      const key = `replica-race-${round}`;
      const answers = await Promise.all([post(a.url, key), post(b.url, key), post(a.url, key), post(b.url, key)]);
      expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      const ids = new Set(await Promise.all(answers.map(async (r) => ((await r.json()) as { id: string }).id)));
      expect(ids.size).toBe(1);
      expect(answers.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(3);
    }
    const { scenarios } = db.tables;
    const rows = await db.db.select({ id: scenarios.id, name: scenarios.name }).from(scenarios);
    // The race's scenario, the first key's, and one per round.
    expect(rows.filter((r) => r.name === "Replicas")).toHaveLength(6);
  }, 60_000);

  it("queued jobs are claimed once each when replicas claim at the same moment (FOR UPDATE SKIP LOCKED)", async () => {
    // A database of its own: the service replicas above would claim (and run) these jobs too.
    const own = await freshPostgresDatabase();
    const replicas = await Promise.all([0, 1].map(() => openDatabase(own.url, { poolMax: 8 })));
    try {
      const { benchmarkJobs } = replicas[0].tables;
      const ids = Array.from({ length: 24 }, (_, i) => `bjob_claimrace_${String(i).padStart(2, "0")}`);
      await replicas[0].db
        .insert(benchmarkJobs)
        .values(ids.map((id, i) => ({ id, workspaceId: "ws_default", status: "queued", suite: "quick", request: { suite: "quick" }, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() })));
      // Two "replicas" (each its own pool), 16 claims at once each: more claims than jobs.
      const claims = await Promise.all(replicas.flatMap((r, ri) => Array.from({ length: 16 }, () => claimNextJob(r, `test-replica-${ri}`, new Date().toISOString()))));
      const claimed = claims.filter((c) => c !== undefined).map((c) => c.id);
      expect(new Set(claimed).size).toBe(claimed.length); // no job claimed twice
      expect([...claimed].sort()).toEqual(ids); // every job claimed
      expect(claims.filter((c) => c === undefined)).toHaveLength(8);
      const rows = await replicas[0].db.select({ replicaId: benchmarkJobs.replicaId, status: benchmarkJobs.status }).from(benchmarkJobs);
      expect(rows.every((r) => r.status === "running" && /^test-replica-[01]$/.test(r.replicaId ?? ""))).toBe(true);
      // Both replicas took a share (SKIP LOCKED: neither waited for the other's locked rows).
      expect(new Set(rows.map((r) => r.replicaId)).size).toBe(2);
    } finally {
      for (const r of replicas) await r.close();
      await own.drop();
    }
  }, 60_000);

  it("a key revoked through one replica is refused by the other within a second", async () => {
    const [a, b] = servers;
    // The first key closes both open services (the other sees it within KEY_LOOKUP_TTL_MS).
    const admin = await fetch(`${a.url}/v1/keys`, { method: "POST", headers: JSON_BODY, body: JSON.stringify({ name: "fleet admin", scope: "admin" }) });
    expect(admin.status).toBe(201);
    adminAuth = { authorization: `Bearer ${((await admin.json()) as { key: string }).key}` };
    const created = await fetch(`${a.url}/v1/keys`, { method: "POST", headers: { ...JSON_BODY, ...adminAuth }, body: JSON.stringify({ name: "to revoke", scope: "read" }) });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string };
    const auth = { authorization: `Bearer ${key.key}` };
    expect((await fetch(`${b.url}/v1/scenarios?limit=1`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${a.url}/v1/keys/${key.id}`, { method: "DELETE", headers: adminAuth })).status).toBe(204);
    const revokedAt = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - revokedAt < 3000) {
      status = (await fetch(`${b.url}/v1/scenarios?limit=1`, { headers: auth })).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
    // KEY_LOOKUP_TTL_MS (1 s), and the time of one request on a busy machine.
    expect(Date.now() - revokedAt).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetch(`${b.url}/v1/scenarios?limit=1`)).status).toBe(401);
  }, 30_000);

  it("a job runs on the one replica that claimed it; a replica killed mid-job leaves its job interrupted for the other", async () => {
    const job = async (url: string, body: object) => {
      const res = await fetch(`${url}/v1/benchmarks`, { method: "POST", headers: { ...JSON_BODY, ...adminAuth }, body: JSON.stringify(body) });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    const state = async (url: string, id: string) =>
      (await (await fetch(`${url}/v1/benchmarks/jobs/${id}`, { headers: adminAuth })).json()) as { status: string; error: string | null; progress: { fraction: number }; runs: { id: string; jobId: string }[] };
    const until = async <T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = await get();
        if (ok(v)) return v;
        if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v).slice(0, 300)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const ownerOf = async (id: string) => {
      const { benchmarkJobs } = db.tables;
      const [row] = await db.db.select({ replicaId: benchmarkJobs.replicaId }).from(benchmarkJobs).where(eq(benchmarkJobs.id, id));
      const pid = row?.replicaId?.split(":")[1];
      const owners = servers.filter((s) => String(s.child.pid) === pid);
      expect(owners, `replica ${row?.replicaId}`).toHaveLength(1);
      return owners[0];
    };

    const [a, b] = servers;
    // Long enough to outlast the quick job below: it is killed mid-way anyway.
    const slow = await job(a.url, { ...TINY, budgetMs: 60_000, probeSizes: [64, 128, 256] });
    await until("slow job running", () => state(b.url, slow), (j) => j.status === "running" && j.progress.fraction > 0);
    const busy = await ownerOf(slow);
    const other = busy === a ? b : a;
    // Submitted through the busy replica: the idle one claims it, runs it once, stores its runs once.
    const quick = await job(busy.url, TINY);
    const done = await until("quick job done", () => state(busy.url, quick), (j) => !["queued", "running"].includes(j.status));
    expect(done.status).toBe("completed");
    expect(await ownerOf(quick)).toBe(other);
    expect(done.runs.length).toBeGreaterThan(0);
    expect(new Set(done.runs.map((r) => r.id)).size).toBe(done.runs.length);
    expect(done.runs.every((r) => r.jobId === quick)).toBe(true);

    // A replica dies mid-job (its suite's worker processes with it): whichever claims this one.
    const doomed = await job(other.url, { ...TINY, budgetMs: 60_000, probeSizes: [64, 128, 256] });
    await until("job running", () => state(other.url, doomed), (j) => j.status === "running" && j.progress.fraction > 0);
    const victim = await ownerOf(doomed);
    const survivor = victim === a ? b : a;
    victim.signal("SIGKILL");
    expect(await victim.waitGone(15_000)).toBe(true);
    const killedAt = Date.now();
    const seen = await until("killed replica's job interrupted", () => state(survivor.url, doomed), (j) => j.status !== "running", LEASE_MS * 5);
    expect(seen.status).toBe("interrupted");
    expect(seen.error).toMatch(/service stopped/);
    // Within the lease and a heartbeat or two.
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS * 3);
    expect((await fetch(`${survivor.url}/ready`)).status).toBe(200);
  }, 240_000);
});
