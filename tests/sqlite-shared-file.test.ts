/**
 * Two service processes on one SQLite file (issue 18): the benchmark CLI and the service share the
 * file the same way. Write transactions begin IMMEDIATE, so a process waits on the busy timeout for
 * the other's write lock instead of failing at once; a lock held longer than the timeout is a 503
 * problem with Retry-After, never a 500.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadUseCaseCatalog, openDatabase } from "@modelplan/db";
import { createApp } from "../services/api/src/app";
import { createLogger } from "../services/api/src/lib/logger";
import { readUseCaseCatalog } from "../services/api/src/routes/use-cases/use-cases.catalog";
import { killAllChildGroups, startChildServer, type ChildServer } from "./helpers/child-server";
import { ifMatchRace } from "./helpers/if-match-race";

const SCENARIO = {
  name: "Locked",
  audience: { usersAtLaunch: 1, monthlyGrowthPct: 0, horizonMonths: 1 },
  usage: { requestsPerUserPerDay: 1 },
  model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
  funding: { cashUsd: 0, monthlyNonComputeBurnUsd: 0 },
};

let dir: string;
let servers: ChildServer[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-shared-file-"));
  const dbPath = path.join(dir, "shared.db");
  // The first creates and migrates the file; the second opens it as it stands.
  servers.push(await startChildServer({ runner: "node", dbPath }));
  servers.push(await startChildServer({ runner: "node", dbPath }));
}, 180_000);

afterAll(async () => {
  for (const s of servers) {
    s.signal("SIGTERM");
    await s.waitGone(15_000);
  }
  killAllChildGroups();
  servers = [];
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("two services on one SQLite file", () => {
  it("If-Match PATCHes from four clients through both answer no 5xx and lose no update", async () => {
    const race = await ifMatchRace(
      servers.map((s) => s.url),
      { clients: 4, incrementsPerClient: 25 },
    );
    expect(race.serverErrors).toEqual([]);
    expect(race.acknowledged).toHaveLength(100);
    expect(race.final.value).toBe(100);
    expect(race.final.version).toBe(101);
    // The clients did race across the processes (412s), or the test proves nothing.
    expect(race.statuses[412] ?? 0).toBeGreaterThan(0);
  }, 180_000);

  it("a write lock held past the lock timeout answers 503 problem+json with Retry-After, and the write goes through after", async () => {
    const file = path.join(dir, "locked.db");
    const database = await openDatabase({ dialect: "sqlite", path: file }, { lockTimeoutMs: 150, seed: async (d) => void (await loadUseCaseCatalog(d, readUseCaseCatalog())) });
    const app = createApp({ db: database, logger: createLogger("silent") });
    const json = { "content-type": "application/json" };
    const created = await app.request("/v1/scenarios", {
      method: "POST",
      headers: json,
      body: JSON.stringify(SCENARIO),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // Another process (here: another connection) holds the write lock.
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    try {
      const started = Date.now();
      const patched = await app.request(`/v1/scenarios/${id}`, { method: "PATCH", headers: { ...json, "if-match": '"1"' }, body: JSON.stringify({ name: "Renamed" }) });
      expect(patched.status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140); // it waited for the lock first
      expect(patched.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(patched.headers.get("retry-after")).toBe("1");
      expect(((await patched.json()) as { detail: string }).detail).toMatch(/database is busy/);
      const retried = await app.request("/v1/scenarios", { method: "POST", headers: { ...json, "idempotency-key": "k-locked" }, body: JSON.stringify(SCENARIO) });
      expect(retried.status).toBe(503);
      // Readers are not blocked by a writer (WAL).
      expect((await app.request(`/v1/scenarios/${id}`)).status).toBe(200);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    const patched = await app.request(`/v1/scenarios/${id}`, { method: "PATCH", headers: { ...json, "if-match": '"1"' }, body: JSON.stringify({ name: "Renamed" }) });
    expect(patched.status).toBe(200);
    await database.close();
  });
});
