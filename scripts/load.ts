/**
 * Load benchmark: requests/s and p50/p99 latency of real API routes beside a bare Hono route,
 * measured in the same run and the same process.
 *
 *   npx tsx scripts/load.ts [--duration 10] [--connections 32] [--warmup 2] [--auth] [--log-level info] [--only TEXT]
 *                           [--slices 1] [--max-steal PCT [--retries 2]] [--accept-encoding "gzip, deflate"]
 *                           [--database-url postgres://user:pw@host:5432/db] [--json]
 *
 * The API runs in-process (startServer on a temporary SQLite file — or, with --database-url, on a
 * fresh PostgreSQL database created on that server and dropped at the end — one scenario seeded) next to
 * `new Hono().get("/bare", c => c.json({ ok: true }))` on @hono/node-server; autocannon fires from a
 * worker thread so that the load generator does not share the servers' event loop. The bare route is
 * measured first and last; "% of bare" compares with the mean of the two — or, with --slices N > 1,
 * with the bare route measured in between the N parts of the row itself. Rows whose route is not
 * mounted (404) or does not accept the request report "not available".
 * --auth sends an admin API key (keys required, as when exposed); --log-level info writes the request
 * logs (to /dev/null) as a production server would; by default the API runs open on loopback, silent.
 * --only keeps the rows whose name contains TEXT (and the bare rows).
 *
 * A reference row measures a bare Hono POST route that answers with the estimate's bytes without
 * reading the body: the cost of moving that answer alone (the load generator shares the 2 cores and
 * parses every byte), with no middleware, body reading or computation.
 *
 * Requests carry no Accept-Encoding by default (as autocannon and curl send them), so every answer
 * comes as it is. --accept-encoding "gzip, deflate" sends what Node's fetch (and so the SDK) sends:
 * the service answers a cached estimate gzip-encoded then, and the reference row answers the same
 * gzip bytes. autocannon never inflates a body but decodes every body into a string as UTF-8
 * (its request queue's addBody): ~26 µs per 3.2 KB of gzip bytes on this machine, against ~3 µs for
 * the 9 KB ASCII JSON itself — a cost of the load generator, which shares the 2 cores, not of the
 * service or of a client that inflates.
 *
 * Each row also says where the CPU time went, per request (Linux): on the main thread, which runs
 * both servers, and on the process's other threads — the load generator's worker, and V8's
 * background GC threads.
 *
 * The training estimate is measured twice: with one body repeated (stored on its second request, every
 * answer after that comes from the service's estimate cache) and with a different body for every
 * request (scripts/load-unique-body.cjs varies the token count, so every estimate is computed; asked
 * once, none is stored).
 * Each row reports how many of its requests the cache answered, counted by the server, and (on
 * Linux) the share of CPU time the host stole from this virtual machine while it ran: a row measured
 * under steal is slowed by load it cannot see. --max-steal PCT measures such a row again (up to
 * --retries more times) and keeps the attempt with the least steal; the table says how many were made.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import pino from "pino";
import { createApiKey } from "../services/api/src/auth/api-keys.repository";
import { startServer } from "../services/api/src/bootstrap";
import { loadConfig } from "../services/api/src/config";
import { acceptsGzip, MIN_GZIP_BYTES } from "../services/api/src/lib/response-cache";
import { createScratchPostgresDatabase } from "./scratch-postgres";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    warmup: { type: "string", default: "2" },
    auth: { type: "boolean", default: false },
    "log-level": { type: "string", default: "silent" },
    only: { type: "string" },
    "max-steal": { type: "string" },
    retries: { type: "string", default: "2" },
    slices: { type: "string", default: "1" },
    "accept-encoding": { type: "string", default: "" },
    "database-url": { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    'usage: npx tsx scripts/load.ts [--duration 10] [--connections 32] [--warmup 2] [--auth] [--log-level info] [--only TEXT] [--slices 1] [--max-steal PCT [--retries 2]] [--accept-encoding "gzip, deflate"] [--database-url postgres://…] [--json]',
  );
  process.exit(0);
}
const duration = Number(values.duration);
const connections = Number(values.connections);
const warmup = Number(values.warmup);
const maxSteal = values["max-steal"] === undefined ? undefined : Number(values["max-steal"]);
const maxStealRetries = maxSteal === undefined ? 0 : Number(values.retries);
const slices = Math.max(1, Math.floor(Number(values.slices)));
const acceptEncoding = values["accept-encoding"];
const encodingHeader: Record<string, string> = acceptEncoding ? { "accept-encoding": acceptEncoding } : {};
const log = values.json ? () => {} : (s: string) => console.error(s);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-load-"));
const logLevel = values["log-level"] as pino.LevelWithSilent;
const logger = pino({ level: logLevel, base: { service: "modelplan-api" } }, pino.destination({ dest: "/dev/null", sync: false }));
/** PostgreSQL: a database of this run on the server of --database-url (its role needs CREATEDB). */
const pgServer = values["database-url"];
let databaseUrl = path.join(dir, "load.db");
const scratch = pgServer ? await createScratchPostgresDatabase(pgServer) : undefined;
if (scratch) databaseUrl = scratch.url;
const config = loadConfig({ HOST: "127.0.0.1", PORT: "0", DATABASE_URL: databaseUrl, RATE_LIMIT_RPS: "1000000", RATE_LIMIT_BURST: "1000000" });
const api = await startServer(config, logger);

// The bare route, and a bare POST route that answers with the bytes of the training estimate (set
// below, once the API has computed it) without looking at its body (@hono/node-server drains it):
// the cost of moving the estimate's 9 KB answer alone, with no middleware, body reading,
// validation or computation.
let estimateBytes = new Uint8Array(0);
let estimateGzip: Uint8Array<ArrayBuffer> | undefined;
const bareApp = new Hono()
  .get("/bare", (c) => c.json({ ok: true }))
  .post("/bare-estimate", (c) =>
    estimateGzip
      ? c.body(estimateGzip, 200, { "Content-Type": "application/json", "Content-Encoding": "gzip", Vary: "Accept-Encoding" })
      : c.body(estimateBytes, 200, { "Content-Type": "application/json" }),
  );
const bare = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: bareApp.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
});
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

const auth: Record<string, string> = {};
if (values.auth) auth.authorization = `Bearer ${(await createApiKey(api.database, { workspaceId: "load", scope: "admin", name: "load" }, new Date())).key}`;

async function call(method: string, url: string, body?: unknown) {
  const res = await fetch(url, { method, headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, text: await res.text() };
}

const scenario = await call("POST", `${api.url}/v1/scenarios`, {
  name: "Load test scenario",
  audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 24 },
  usage: { requestsPerUserPerDay: 6 },
  model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
  funding: { cashUsd: 1_500_000, monthlyNonComputeBurnUsd: 80_000 },
});
if (scenario.status !== 201) throw new Error(`seeding the scenario answered ${scenario.status}: ${scenario.text}`);
const scenarioId = (JSON.parse(scenario.text) as { id: string }).id;

interface Target {
  name: string;
  url: string;
  method?: "GET" | "POST";
  body?: unknown;
  /** Path of an autocannon setupRequest module that rewrites every request (see load-unique-body.cjs). */
  setupRequest?: string;
  bare?: boolean;
}
const estimateBody = { model: { preset: "llama-2-7b" }, hardware: "a100-80gb", gpus: 8, tokens: 2e9 };
const firstEstimate = await call("POST", `${api.url}/v1/estimates/training`, estimateBody);
if (firstEstimate.status === 200) estimateBytes = Buffer.from(firstEstimate.text, "utf8");
// What the service sends a client that accepts gzip on a hit (lib/response-cache.ts: level 9, ≥ 1 KiB).
if (estimateBytes.length >= MIN_GZIP_BYTES && acceptsGzip(acceptEncoding || undefined)) estimateGzip = new Uint8Array(gzipSync(estimateBytes, { level: 9 }));
const uniqueBody = fileURLToPath(new URL("./load-unique-body.cjs", import.meta.url));
const loadWorker = fileURLToPath(new URL("./load-worker.cjs", import.meta.url));
const allTargets: Target[] = [
  { name: "bare Hono route (before)", url: `${bareUrl}/bare`, bare: true },
  { name: "catalog read: GET /v1/use-cases?limit=20", url: `${api.url}/v1/use-cases?limit=20` },
  { name: "scenario read: GET /v1/scenarios/{id}", url: `${api.url}/v1/scenarios/${scenarioId}` },
  { name: "training estimate, one body repeated (cache hits): POST /v1/estimates/training", url: `${api.url}/v1/estimates/training`, method: "POST", body: estimateBody },
  {
    name: "training estimate, a new body every request (computed): POST /v1/estimates/training",
    url: `${api.url}/v1/estimates/training`,
    method: "POST",
    body: estimateBody,
    setupRequest: uniqueBody,
  },
  {
    name: `reference: bare Hono POST answering the estimate's ${(estimateBytes.length / 1024).toFixed(1)} KB${estimateGzip ? ` (${(estimateGzip.length / 1024).toFixed(1)} KB gzip)` : ""}, body unread`,
    url: `${bareUrl}/bare-estimate`,
    method: "POST",
    body: estimateBody,
  },
  { name: "bare Hono route (after)", url: `${bareUrl}/bare`, bare: true },
];
const targets = allTargets
  .filter((t) => t.url !== `${bareUrl}/bare-estimate` || estimateBytes.length > 0) // the estimate answered
  .filter((t) => t.bare || values.only === undefined || t.name.includes(values.only));

interface Row {
  name: string;
  available: boolean;
  note?: string;
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  non2xx?: number;
  errors?: number;
  percentOfBare?: number;
  /** Requests of the measured run answered from the estimate cache, as the server counted them. */
  cacheHits?: number;
  cacheLookups?: number;
  /** CPU time the host stole from this machine during the measured run (Linux). */
  stealPercent?: number;
  /** Measurements made of this row (more than 1 with --max-steal). */
  attempts?: number;
  /** CPU time per request of the main thread (both servers) and of the other threads (load generator, GC), Linux. */
  mainThreadUsPerRequest?: number;
  /** Of the main thread's time, what it spent in the kernel (system calls: mostly the sockets' reads and writes). */
  mainThreadKernelUsPerRequest?: number;
  otherThreadsUsPerRequest?: number;
  /** With --slices > 1: the bare route's req/s in the slices between this row's. */
  bareBesideRequestsPerSec?: number;
}

/**
 * One measurement of a target, unaggregated (see load-worker.cjs), with this process's CPU times at
 * the moment the run started (after the worker's start-up).
 */
function run(t: Target, seconds: number): Promise<{ result: autocannon.RawResult; cpuAtStart: ReturnType<typeof cpuSplit> }> {
  const opts: autocannon.Options = {
    url: t.url,
    method: t.method ?? "GET",
    connections,
    duration: seconds,
    headers: t.bare ? { ...encodingHeader } : { ...encodingHeader, ...auth, ...(t.body ? { "content-type": "application/json" } : {}) },
    body: t.body ? JSON.stringify(t.body) : undefined,
  };
  return new Promise((resolve, reject) => {
    // Plain CommonJS all the way down: no tsx loader in the worker (execArgv: []).
    const worker = new Worker(loadWorker, { workerData: { opts, setupRequest: t.setupRequest }, execArgv: [] });
    let cpuAtStart: ReturnType<typeof cpuSplit>;
    worker.on("message", (m: { type: "start" } | { type: "result"; result: autocannon.RawResult }) => {
      if (m.type === "start") cpuAtStart = cpuSplit();
      else resolve({ result: m.result, cpuAtStart });
    });
    worker.once("error", reject);
  });
}

/**
 * CPU time of the whole machine from /proc/stat (Linux; undefined elsewhere): "steal" is time this
 * virtual machine's CPUs wanted to run but the host ran someone else — load this run cannot see in
 * its own figures, and a reason to discard them.
 */
function cpuTimes(): { total: number; steal: number } | undefined {
  try {
    const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * CPU time of this process in µs (Linux; undefined elsewhere): of its main thread, which runs both
 * servers, and of the whole process — the rest is the load generator's worker thread (its time stays
 * counted after it exits) and V8's background GC threads.
 */
function cpuSplit(): { mainUs: number; mainKernelUs: number; processUs: number } | undefined {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1].split(" ");
    const ticksToUs = 1e6 / 100; // USER_HZ
    const usage = process.cpuUsage();
    // utime, stime: the main thread's time in user space and in the kernel (system calls: the socket's reads and writes)
    return { mainUs: (Number(fields[11]) + Number(fields[12])) * ticksToUs, mainKernelUs: Number(fields[12]) * ticksToUs, processUs: usage.user + usage.system };
  } catch {
    return undefined;
  }
}

/** The server's estimate-cache counters (zero for a build without the cache, to compare with one). */
function cacheStats(): { hits: number; misses: number } {
  return (api as { responseCache?: { stats: { hits: number; misses: number } } }).responseCache?.stats ?? { hits: 0, misses: 0 };
}

const bareTarget = targets.find((t) => t.bare);

/**
 * One measurement of a row: `duration` seconds of it, in `--slices` parts; with more than one part
 * each is followed by as long on the bare route, so that the row's "% of bare" compares figures
 * taken minutes apart no more (this machine's speed drifts by tens of percent within a minute).
 * req/s are totals over the parts; p50 and p99 are those of all the parts' requests (their latency
 * histograms merged).
 */
async function measure(t: Target): Promise<Row> {
  const interleave = slices > 1 && !t.bare && bareTarget !== undefined;
  const parts = interleave ? slices : 1;
  const seconds = duration / parts;
  const before = { ...cacheStats() };
  const cpuBefore = cpuTimes();
  const own: autocannon.RawResult[] = [];
  const beside: autocannon.RawResult[] = [];
  const cpu = { mainUs: 0, mainKernelUs: 0, otherUs: 0 };
  for (let i = 0; i < parts; i++) {
    const { result, cpuAtStart: before } = await run(t, seconds);
    const after = cpuSplit();
    own.push(result);
    if (before && after) {
      cpu.mainUs += after.mainUs - before.mainUs;
      cpu.mainKernelUs += after.mainKernelUs - before.mainKernelUs;
      cpu.otherUs += after.processUs - after.mainUs - (before.processUs - before.mainUs);
    }
    if (interleave) beside.push((await run(bareTarget, seconds)).result);
  }
  const cpuAfter = cpuTimes();
  const hits = cacheStats().hits - before.hits;
  const lookups = hits + cacheStats().misses - before.misses;
  const rate = (rs: autocannon.RawResult[]) => rs.reduce((a, r) => a + r.totalCompletedRequests, 0) / rs.reduce((a, r) => a + r.duration, 0);
  const requests = Math.max(1, own.reduce((a, r) => a + r.totalCompletedRequests, 0));
  // The latency histograms of the row's slices merged: percentiles of all its requests.
  const { latency } = autocannon.aggregateResult(own, { url: t.url, connections });
  return {
    name: t.name,
    available: true,
    requestsPerSec: rate(own),
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    non2xx: own.reduce((a, r) => a + r.non2xx, 0),
    errors: own.reduce((a, r) => a + r.errors + r.timeouts, 0),
    ...(interleave ? { bareBesideRequestsPerSec: rate(beside) } : {}),
    ...(lookups > 0 ? { cacheHits: hits, cacheLookups: lookups } : {}),
    ...(cpuSplit() ? { mainThreadUsPerRequest: cpu.mainUs / requests, mainThreadKernelUsPerRequest: cpu.mainKernelUs / requests, otherThreadsUsPerRequest: cpu.otherUs / requests } : {}),
    ...(cpuBefore && cpuAfter ? { stealPercent: (100 * (cpuAfter.steal - cpuBefore.steal)) / Math.max(1, cpuAfter.total - cpuBefore.total) } : {}),
  };
}

const cpuAtStart = cpuTimes();
const rows: Row[] = [];
for (const t of targets) {
  const pre = await call(t.method ?? "GET", t.url, t.body);
  if (pre.status < 200 || pre.status >= 300) {
    const note = pre.status === 404 ? "not available (route not mounted)" : `not available (answered ${pre.status}: ${pre.text.slice(0, 120)})`;
    log(`${t.name}: ${note}`);
    rows.push({ name: t.name, available: false, note });
    continue;
  }
  log(`${t.name}: warm-up ${warmup} s, then ${duration} s at ${connections} connections`);
  if (warmup > 0) await run(t, warmup);
  let kept: Row | undefined;
  for (let attempt = 1; attempt <= 1 + maxStealRetries; attempt++) {
    const row = { ...(await measure(t)), attempts: attempt };
    // The least disturbed attempt is kept: chosen by the host's steal, never by the figures.
    if (!kept || (row.stealPercent ?? 0) < (kept.stealPercent ?? 0)) kept = { ...row };
    kept.attempts = attempt;
    if (maxSteal === undefined || row.stealPercent === undefined || row.stealPercent <= maxSteal) break;
    log(`${t.name}: the host stole ${row.stealPercent.toFixed(1)}% of CPU time (over ${maxSteal}%), measuring again`);
  }
  rows.push(kept!);
}

const bareRows = rows.filter((r, i) => targets[i].bare && r.available);
const bareRps = bareRows.reduce((a, r) => a + r.requestsPerSec!, 0) / Math.max(1, bareRows.length);
for (const r of rows) if (r.available) r.percentOfBare = (100 * r.requestsPerSec!) / (r.bareBesideRequestsPerSec ?? bareRps);

await api.close();
await new Promise<void>((resolve) => bare.close(() => resolve()));
fs.rmSync(dir, { recursive: true, force: true });
// Every connection of the run is closed by now (api.close()): a plain DROP suffices.
if (scratch) await scratch.drop().catch((err: unknown) => log(`could not drop ${scratch.name}: ${String(err)}`));

const cpuAtEnd = cpuTimes();
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  loadAverage1m: os.loadavg()[0],
  /** Share of the machine's CPU time stolen by the host during the measurements (Linux). */
  stealPercent: cpuAtStart && cpuAtEnd ? (100 * (cpuAtEnd.steal - cpuAtStart.steal)) / Math.max(1, cpuAtEnd.total - cpuAtStart.total) : undefined,
  durationSec: duration,
  connections,
  auth: values.auth,
  logLevel,
  acceptEncoding: acceptEncoding || null,
};
if (values.json) {
  console.log(JSON.stringify({ meta, rows }, null, 2));
} else {
  const f = (n: number | undefined, d = 0) => (n === undefined ? "" : n.toFixed(d));
  console.log(`\n${meta.date}, Node ${meta.node}, ${meta.cpus} CPUs (${meta.cpuModel}), 1-min load average ${meta.loadAverage1m.toFixed(2)} at the end${meta.stealPercent === undefined ? "" : `, CPU steal ${meta.stealPercent.toFixed(1)}% during the run`}; ${connections} connections, ${duration} s per route; auth ${values.auth ? "on (Bearer key)" : "open (loopback, no key)"}, logs ${logLevel}, Accept-Encoding ${acceptEncoding ? `"${acceptEncoding}"` : "none"}\n`);
  const cache = (r: Row) => (r.cacheLookups ? `${((100 * r.cacheHits!) / r.cacheLookups).toFixed(0)}%` : "");
  const steal = (r: Row) => (r.stealPercent === undefined ? "" : `${r.stealPercent.toFixed(1)}%${(r.attempts ?? 1) > 1 ? ` (best of ${r.attempts})` : ""}`);
  const beside = slices > 1;
  const cpuPerRequest = (r: Row) => (r.mainThreadUsPerRequest === undefined ? "" : `${f(r.mainThreadUsPerRequest)} (${f(r.mainThreadKernelUsPerRequest)}) / ${f(r.otherThreadsUsPerRequest)}`);
  console.log(`| route | req/s | p50 ms | p99 ms | % of bare |${beside ? " bare req/s beside |" : ""} CPU µs/request: main thread (servers) (of it in the kernel) / other threads (load generator, GC) | cache hits | non-2xx / errors | CPU steal |`);
  console.log(`|---|---:|---:|---:|---:|${beside ? "---:|" : ""}---:|---:|---:|---:|`);
  for (const r of rows) {
    if (!r.available) console.log(`| ${r.name} | ${r.note} | | | |${beside ? " |" : ""} | | | |`);
    else
      console.log(
        `| ${r.name} | ${f(r.requestsPerSec)} | ${f(r.p50Ms, 1)} | ${f(r.p99Ms, 1)} | ${f(r.percentOfBare)}% |${beside ? ` ${f(r.bareBesideRequestsPerSec)} |` : ""} ${cpuPerRequest(r)} | ${cache(r)} | ${r.non2xx} / ${r.errors} | ${steal(r)} |`,
      );
  }
}
process.exit(0);
