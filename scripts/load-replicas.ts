/**
 * Throughput of N API replicas on one database: requests/s and p50/p99 latency of a scenario read
 * and a scenario write (PATCH with If-Match: *), the load spread evenly over the replicas.
 *
 *   npx tsx scripts/load-replicas.ts [--replicas 2] [--database-url postgres://user:pw@host:5432/db]
 *                                    [--duration 10] [--connections 32] [--warmup 2] [--json]
 *
 * Each replica is a child process (`node --import tsx services/api/src/server.ts`, open on loopback,
 * rate limits out of the way) on a fresh PostgreSQL database created on the server of --database-url
 * (its role needs CREATEDB; dropped at the end), or on one temporary SQLite file without it. autocannon
 * runs in this process, one instance per replica with connections/N connections each, all at once;
 * the latency percentiles are over every request of the row. On one machine the replicas, the load
 * generator and PostgreSQL share its cores: the figures say what a second process buys there, not
 * what a fleet on separate machines does.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { killAllChildGroups, startChildServer, type ChildServer } from "../tests/helpers/child-server";
import { createScratchPostgresDatabase } from "./scratch-postgres";

const { values } = parseArgs({
  options: {
    replicas: { type: "string", default: "2" },
    "database-url": { type: "string" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    warmup: { type: "string", default: "2" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: npx tsx scripts/load-replicas.ts [--replicas 2] [--database-url postgres://…] [--duration 10] [--connections 32] [--warmup 2] [--json]");
  process.exit(0);
}
const replicas = Math.max(1, Math.floor(Number(values.replicas)));
const duration = Number(values.duration);
const connections = Math.max(replicas, Math.floor(Number(values.connections)));
const warmup = Number(values.warmup);
const log = values.json ? () => {} : (s: string) => console.error(s);

const pgServer = values["database-url"];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-load-replicas-"));
let database = path.join(dir, "load.db");
const scratch = pgServer ? await createScratchPostgresDatabase(pgServer) : undefined;
if (scratch) database = scratch.url;

const env = { RATE_LIMIT_RPS: "1000000", RATE_LIMIT_BURST: "1000000", LOG_LEVEL: "silent" };
const servers: ChildServer[] = [];
try {
  // The first migrates the database; the others start on it as it stands.
  servers.push(await startChildServer({ runner: "node", dbPath: database, env }));
  servers.push(...(await Promise.all(Array.from({ length: replicas - 1 }, () => startChildServer({ runner: "node", dbPath: database, env })))));
  const json = { "content-type": "application/json" };
  const created = await fetch(`${servers[0].url}/v1/scenarios`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({
      name: "Load test scenario",
      audience: { usersAtLaunch: 1000, monthlyGrowthPct: 5, horizonMonths: 12 },
      usage: { requestsPerUserPerDay: 4 },
      model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
      funding: { cashUsd: 100_000, monthlyNonComputeBurnUsd: 5_000 },
    }),
  });
  if (created.status !== 201) throw new Error(`seeding a scenario answered ${created.status}`);
  const { id } = (await created.json()) as { id: string };
  const rows = [
    { name: "scenario read: GET /v1/scenarios/{id}", method: "GET", path: `/v1/scenarios/${id}` },
    { name: "scenario write: PATCH /v1/scenarios/{id} (If-Match: *)", method: "PATCH", path: `/v1/scenarios/${id}`, headers: { ...json, "if-match": "*" }, body: JSON.stringify({ description: "load" }) },
  ];
  const results: { name: string; reqPerS: number; p50: number; p99: number; non2xx: number; errors: number }[] = [];
  for (const row of rows) {
    const fire = (seconds: number) =>
      Promise.all(
        servers.map((s, i) =>
          autocannon({
            url: `${s.url}${row.path}`,
            method: row.method,
            headers: row.headers,
            body: row.body,
            // connections split as evenly as they go
            connections: Math.floor(connections / replicas) + (i < connections % replicas ? 1 : 0),
            duration: seconds,
            skipAggregateResult: true,
          }),
        ),
      );
    log(`${row.name}: ${replicas} replica(s), warm-up ${warmup} s, then ${duration} s at ${connections} connections`);
    if (warmup > 0) await fire(warmup);
    const raw = await fire(duration);
    const merged = autocannon.aggregateResult(raw, { url: `${servers[0].url}${row.path}`, connections });
    const done = raw.reduce((a, r) => a + r.totalCompletedRequests, 0);
    const seconds = Math.max(...raw.map((r) => r.duration));
    results.push({ name: row.name, reqPerS: Math.round(done / seconds), p50: merged.latency.p50, p99: merged.latency.p99, non2xx: raw.reduce((a, r) => a + r.non2xx, 0), errors: raw.reduce((a, r) => a + r.errors + r.timeouts, 0) });
  }
  const where = pgServer ? "PostgreSQL" : "SQLite (one file)";
  if (values.json) console.log(JSON.stringify({ replicas, database: where, connections, duration, results }, null, 2));
  else {
    console.log(`\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} CPUs, 1-min load average ${os.loadavg()[0].toFixed(2)} at the end; ${replicas} replica(s) on ${where}, ${connections} connections, ${duration} s per row\n`);
    console.log("| route | replicas | database | req/s | p50 ms | p99 ms | non-2xx / errors |");
    console.log("|---|---:|---|---:|---:|---:|---:|");
    for (const r of results) console.log(`| ${r.name} | ${replicas} | ${where} | ${r.reqPerS} | ${r.p50} | ${r.p99} | ${r.non2xx} / ${r.errors} |`);
  }
} finally {
  for (const s of servers) s.signal("SIGTERM");
  for (const s of servers) if (!(await s.waitGone(15_000))) s.signal("SIGKILL");
  killAllChildGroups();
  fs.rmSync(dir, { recursive: true, force: true });
  if (scratch) await scratch.drop().catch((err: unknown) => log(`could not drop ${scratch.name}: ${String(err)}`));
}
