/**
 * Crash safety: no acknowledged write is lost when the server is killed.
 *
 *   npx tsx scripts/crash-test.ts [--rounds 20] [--clients 6] [--seed N] [--runner built|npx|tsx|node]
 *                                  [--min-kill-ms 300] [--max-kill-ms 2500] [--no-sigterm]
 *                                  [--sigterm-target group|leader] [--database-url postgres://…] [--json]
 *
 * Each round starts the service as a child process on one temporary SQLite file (or, with
 * --database-url, on a fresh PostgreSQL database created on that server and dropped at the end; the
 * URL's role needs CREATEDB), drives concurrent
 * writes (creates, If-Match patches, deletes of scenarios) from several clients, records every write
 * answered 2xx (and every version a client read), kills the whole process group with SIGKILL at a
 * random moment, then checks in the database that `PRAGMA integrity_check` is ok (SQLite) and every acknowledged write
 * is there (a scenario with at least the acknowledged version, the acknowledged value at that
 * version, acknowledged deletes still deleted), restarts the service and checks the same over HTTP.
 * The data accumulates over the rounds, so every round re-checks all earlier acknowledgements.
 * Finally a SIGTERM check: requests in flight when the signal arrives (creates and patches whose body
 * is still arriving) complete 2xx and are durable, new connections are refused, and every process of
 * the group exits; a request whose headers are still incomplete at the signal is reported, not judged.
 * Exits 1 on any lost write, corruption or failed drain.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { REPO_ROOT, RUNNERS, killAllChildGroups, startChildServer, type ChildServer, type Runner } from "../tests/helpers/child-server";
import { HttpClient } from "../tests/fuzz/lib/http";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "20" },
    clients: { type: "string", default: "6" },
    seed: { type: "string" },
    runner: { type: "string", default: "built" },
    "min-kill-ms": { type: "string", default: "300" },
    "max-kill-ms": { type: "string", default: "2500" },
    "no-sigterm": { type: "boolean", default: false },
    "sigterm-target": { type: "string", default: "group" },
    "database-url": { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: npx tsx scripts/crash-test.ts [--rounds 20] [--clients 6] [--seed N] [--runner built|npx|tsx|node] [--min-kill-ms 300] [--max-kill-ms 2500] [--no-sigterm] [--sigterm-target group|leader] [--database-url postgres://user:pw@host:5432/db] [--json]");
  process.exit(0);
}
function usage(message: string): never {
  throw new Error(message);
}
const rounds = Number(values.rounds);
const clients = Number(values.clients);
const minKill = Number(values["min-kill-ms"]);
const maxKill = Number(values["max-kill-ms"]);
const runner: Runner = RUNNERS.find((r) => r === values.runner) ?? usage(`--runner must be one of ${RUNNERS.join(", ")}`);
// "built" runs what npm start runs: build it first.
if (runner === "built") execFileSync(process.execPath, [path.join(REPO_ROOT, "services/api/scripts/build.mjs")], { stdio: "ignore" });
let seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const initialSeed = seed;
/** mulberry32: a small seeded PRNG, so a seed replays the same kill times and write mix. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const log = values.json ? (..._a: unknown[]) => {} : (...a: unknown[]) => console.error(...a);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-crash-"));
/** PostgreSQL: a database of this run on the server of --database-url. */
const postgres = values["database-url"] ? await createCrashDatabase(values["database-url"]) : undefined;
/** What the service is started on (its MODELPLAN_DB). */
const dbPath = postgres?.url ?? path.join(dir, "crash.db");

async function createCrashDatabase(serverUrl: string): Promise<{ url: string; name: string; admin: string }> {
  const name = `modelplan_crash_${process.pid}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, admin: serverUrl };
}

async function dropCrashDatabase(): Promise<void> {
  if (!postgres) return;
  const client = new pg.Client({ connectionString: postgres.admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${postgres.name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The rows the checks read, from the SQLite file or the PostgreSQL database. */
interface Store {
  /** SQLite's integrity_check ("ok"); "n/a" on PostgreSQL, which has no equivalent to run here. */
  integrity(): Promise<string>;
  foreignKeyViolations(): Promise<number>;
  scenario(id: string): Promise<{ version: number; usersAtLaunch: number } | undefined>;
  close(): Promise<void>;
}

async function openStore(): Promise<Store> {
  const users = (spec: unknown) => (typeof spec === "string" ? (JSON.parse(spec) as { audience: { usersAtLaunch: number } }) : (spec as { audience: { usersAtLaunch: number } })).audience.usersAtLaunch;
  if (postgres) {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    return {
      integrity: async () => "n/a",
      // PostgreSQL checks every foreign key on every write; there is nothing to find afterwards.
      foreignKeyViolations: async () => 0,
      async scenario(id) {
        const r = await client.query<{ version: number; spec: unknown }>("SELECT version, spec FROM scenarios WHERE id = $1", [id]);
        return r.rows[0] ? { version: r.rows[0].version, usersAtLaunch: users(r.rows[0].spec) } : undefined;
      },
      close: () => client.end(),
    };
  }
  const db = new Database(dbPath, { fileMustExist: true });
  const get = db.prepare("SELECT version, spec FROM scenarios WHERE id = ?");
  return {
    integrity: async () => String(db.pragma("integrity_check", { simple: true })),
    foreignKeyViolations: async () => (db.pragma("foreign_key_check") as unknown[]).length,
    async scenario(id) {
      const row = get.get(id) as { version: number; spec: string } | undefined;
      return row ? { version: row.version, usersAtLaunch: users(row.spec) } : undefined;
    },
    close: async () => void db.close(),
  };
}
// Removed on every way out: the normal end, an error, and SIGINT/SIGTERM, whose handler
// (child-server.ts) kills the servers and calls process.exit, which skips the finally below.
const removeDir = () => {
  killAllChildGroups(); // no server left to write into the folder
  fs.rmSync(dir, { recursive: true, force: true });
};
process.on("exit", removeDir);
// Rate limits out of the way: this measures durability, not throttling.
// Limits out of the way: the rounds create thousands of scenarios in one workspace (its quota is 1,000 by default).
const env = { RATE_LIMIT_RPS: "1000000", RATE_LIMIT_BURST: "1000000", SHUTDOWN_GRACE_MS: "10000", MAX_SCENARIOS_PER_WORKSPACE: "10000000" };

/** What a client was told (2xx) or saw (a read): the durable floor for each scenario. */
interface Ack {
  version: number;
  usersAtLaunch: number;
  deleted: boolean;
  round: number;
  /** A DELETE was sent without an answer (killed): the row may legitimately be gone. */
  deleteSent?: boolean;
}
const acks = new Map<string, Ack>();

interface RoundStats {
  round: number;
  killAfterMs: number;
  creates: number;
  patches: number;
  deletes: number;
  conflicts: number;
  inFlightAtKill: number;
  committedBeyondAck: number;
  checked: number;
  lost: string[];
  integrity: string;
  foreignKeys: number;
  restartMs: number;
}

function scenarioBody(name: string) {
  return {
    name,
    audience: { usersAtLaunch: 0, monthlyGrowthPct: 3, horizonMonths: 12 },
    usage: { requestsPerUserPerDay: 2 },
    model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
    funding: { cashUsd: 100_000, monthlyNonComputeBurnUsd: 5_000 },
  };
}

function acknowledge(id: string, a: Omit<Ack, "round">, round: number) {
  const prev = acks.get(id);
  if (!prev || a.deleted || a.version > prev.version) acks.set(id, { ...a, round });
}

/** One writer: creates, If-Match patches and deletes of its own scenarios until the server dies. */
async function writer(server: ChildServer, client: number, own: string[], round: number, stats: RoundStats, stop: { killed: boolean }) {
  const http = new HttpClient(server.url, 10_000);
  let n = 0;
  try {
    for (;;) {
      const r = random();
      const json = { "content-type": "application/json" };
      if (!own.length || r < 0.3) {
        const res = await http.send({ method: "POST", path: "/v1/scenarios", headers: json, body: Buffer.from(JSON.stringify(scenarioBody(`crash c${client} r${round} n${n++}`))) });
        if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.text.slice(0, 200)}`);
        const s = JSON.parse(res.text) as { id: string; version: number };
        acknowledge(s.id, { version: s.version, usersAtLaunch: 0, deleted: false }, round);
        own.push(s.id);
        stats.creates++;
      } else if (r < 0.34) {
        const id = own.splice(Math.floor(random() * own.length), 1)[0];
        const a = acks.get(id)!;
        a.deleteSent = true;
        const res = await http.send({ method: "DELETE", path: `/v1/scenarios/${id}`, headers: { "if-match": `"${a.version}"` } });
        if (res.status === 204) {
          acknowledge(id, { version: a.version, usersAtLaunch: a.usersAtLaunch, deleted: true }, round);
          stats.deletes++;
        } else if (res.status === 412) {
          stats.conflicts++;
          a.deleteSent = false;
          own.push(id);
          await refresh(http, id, round);
        } else throw new Error(`delete answered ${res.status}: ${res.text.slice(0, 200)}`);
      } else {
        const id = own[Math.floor(random() * own.length)];
        const a = acks.get(id)!;
        const value = a.usersAtLaunch + 1;
        const res = await http.send({
          method: "PATCH",
          path: `/v1/scenarios/${id}`,
          headers: { ...json, "if-match": `"${a.version}"` },
          body: Buffer.from(JSON.stringify({ audience: { usersAtLaunch: value } })),
        });
        if (res.status === 200) {
          const s = JSON.parse(res.text) as { version: number; audience: { usersAtLaunch: number } };
          if (s.audience.usersAtLaunch !== value) throw new Error(`patch answered usersAtLaunch ${s.audience.usersAtLaunch}, sent ${value}`);
          acknowledge(id, { version: s.version, usersAtLaunch: value, deleted: false }, round);
          stats.patches++;
        } else if (res.status === 412) {
          // A write of ours committed just before the previous kill without being acknowledged.
          stats.conflicts++;
          await refresh(http, id, round);
        } else throw new Error(`patch answered ${res.status}: ${res.text.slice(0, 200)}`);
      }
    }
  } catch (err) {
    if (!stop.killed) throw err;
    stats.inFlightAtKill++;
  } finally {
    http.close();
  }
}

/** Reads the current version: what a client has read was committed, so it is durable too. */
async function refresh(http: HttpClient, id: string, round: number) {
  const res = await http.send({ method: "GET", path: `/v1/scenarios/${id}`, headers: {} });
  if (res.status !== 200) throw new Error(`GET after 412 answered ${res.status}`);
  const s = JSON.parse(res.text) as { version: number; audience: { usersAtLaunch: number } };
  acknowledge(id, { version: s.version, usersAtLaunch: s.audience.usersAtLaunch, deleted: false }, round);
}

/** Check in the database after the kill, before any restart. */
async function checkDisk(stats: RoundStats) {
  const db = await openStore();
  try {
    stats.integrity = await db.integrity();
    stats.foreignKeys = await db.foreignKeyViolations();
    for (const [id, a] of acks) {
      stats.checked++;
      const row = await db.scenario(id);
      if (a.deleted) {
        if (row) stats.lost.push(`${id}: delete acknowledged in round ${a.round}, row still present (version ${row.version})`);
        continue;
      }
      if (!row) {
        if (a.deleteSent) {
          // Our DELETE was in flight at the kill and committed: a write beyond the acknowledgement.
          stats.committedBeyondAck++;
          a.deleted = true;
        } else stats.lost.push(`${id}: acknowledged version ${a.version} (round ${a.round}) missing`);
        continue;
      }
      if (row.version < a.version) stats.lost.push(`${id}: version ${row.version} on disk < acknowledged ${a.version}`);
      else if (row.version > a.version) stats.committedBeyondAck++;
      else {
        const users = row.usersAtLaunch;
        if (users !== a.usersAtLaunch) stats.lost.push(`${id}: version ${row.version} holds usersAtLaunch ${users}, acknowledged ${a.usersAtLaunch}`);
      }
    }
  } finally {
    await db.close();
  }
}

/** The same check over HTTP on the restarted service; adopts versions committed beyond the ack. */
async function checkHttp(server: ChildServer): Promise<string[]> {
  const http = new HttpClient(server.url);
  const lost: string[] = [];
  try {
    for (const [id, a] of acks) {
      const res = await http.send({ method: "GET", path: `/v1/scenarios/${id}`, headers: {} });
      if (a.deleted) {
        if (res.status !== 404) lost.push(`${id}: deleted, but GET answered ${res.status} after restart`);
        continue;
      }
      if (res.status !== 200) {
        lost.push(`${id}: GET answered ${res.status} after restart`);
        continue;
      }
      const s = JSON.parse(res.text) as { version: number; audience: { usersAtLaunch: number } };
      if (s.version < a.version) lost.push(`${id}: GET version ${s.version} < acknowledged ${a.version}`);
      else acks.set(id, { ...a, version: s.version, usersAtLaunch: s.audience.usersAtLaunch });
    }
  } finally {
    http.close();
  }
  return lost;
}

/**
 * A request that arrives slowly: the request line, headers and part of the body now, the rest on
 * `finish()` (or, with `splitHeaders`, part of the headers now and the rest later).
 */
function slowRequest(port: number, method: string, target: string, body: string | undefined, splitHeaders = false) {
  const socket = net.connect(port, "127.0.0.1");
  let response = "";
  socket.on("data", (d) => (response += d.toString()));
  socket.on("error", () => {});
  const closed = new Promise<void>((r) => socket.on("close", () => r()));
  const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${body !== undefined ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nIf-Match: *\r\n` : ""}`;
  const whole = `${head}\r\n${body ?? ""}`;
  const cut = splitHeaders ? head.length - 4 : head.length + 2 + Math.min(20, Math.floor((body?.length ?? 0) / 2));
  socket.write(whole.slice(0, cut));
  return {
    finish: () => socket.write(whole.slice(cut)),
    result: closed.then(() => ({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0), id: /"id":"([^"]+)"/.exec(response)?.[1], version: Number(/"version":(\d+)/.exec(response)?.[1] ?? 0) })),
  };
}

async function sigtermCheck() {
  const server = await startChildServer({ runner, dbPath, env });
  const seedHttp = new HttpClient(server.url);
  const seeded = await seedHttp.send({ method: "POST", path: "/v1/scenarios", headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(scenarioBody("drain patch target"))) });
  seedHttp.close();
  const targetId = (JSON.parse(seeded.text) as { id: string }).id;
  // In flight by construction: the server has the headers and part of each body when the signal comes.
  const uploads = [
    ...[0, 1, 2].map((i) => slowRequest(server.port, "POST", "/v1/scenarios", JSON.stringify(scenarioBody(`drain upload ${i}`)))),
    ...[0, 1, 2].map((i) => slowRequest(server.port, "PATCH", `/v1/scenarios/${targetId}`, JSON.stringify({ description: `drain patch ${i}` }))),
  ];
  // Reported, not judged: a request whose headers are still incomplete at the signal.
  const partialHeaders = slowRequest(server.port, "GET", "/v1/use-cases?limit=5", undefined, true);
  await new Promise((r) => setTimeout(r, 300));
  // In flight means the server has them: a connection made after them is accepted after them (the
  // listen backlog is FIFO) and its request read in the same or a later turn, so once it is answered
  // the server has read what the slow requests sent. On a loaded machine 300 ms alone was not enough:
  // the signal came before the server had accepted them, and they were judged as lost drains.
  const ready = await fetch(`${server.url}/health`);
  await ready.text();
  const signalledAt = performance.now();
  server.signal("SIGTERM", values["sigterm-target"] === "leader" ? "leader" : "group");
  await new Promise((r) => setTimeout(r, 400));
  const refused = await new Promise<boolean>((resolve) => {
    const s = net.connect(server.port, "127.0.0.1");
    s.on("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.on("error", () => resolve(true));
  });
  for (const u of uploads) u.finish();
  partialHeaders.finish();
  const results = await Promise.all(uploads.map((u) => u.result));
  const partial = await partialHeaders.result;
  const gone = await server.waitGone(30_000);
  if (!gone) server.signal("SIGKILL"); // never leave a server behind
  const exitMs = performance.now() - signalledAt;
  const db = await openStore();
  const created = results.slice(0, 3);
  const patched = results.slice(3);
  let storedCreates = 0;
  for (const u of created) if (u.id && (await db.scenario(u.id))) storedCreates++;
  const finalVersion = (await db.scenario(targetId))?.version ?? 0;
  await db.close();
  const completed = results.filter((u) => u.status === 201 || u.status === 200).length;
  // Each acknowledged patch raised the version by one, and the last acknowledged version is on disk.
  const patchesDurable = finalVersion === 1 + patched.filter((p) => p.status === 200).length && patched.every((p) => p.status !== 200 || p.version <= finalVersion);
  const ok = completed === uploads.length && storedCreates === created.length && patchesDurable && refused && gone;
  return {
    ok,
    inFlight: uploads.length,
    completed,
    storedCreates,
    patchesDurable,
    partialHeadersStatus: partial.status,
    newConnectionsRefused: refused,
    exitedWithinMs: Math.round(exitMs),
    processGroupGone: gone,
  };
}

// ------------------------------------------------------------------------------------------------

log(`crash test: ${rounds} rounds, ${clients} clients, runner ${runner}, seed ${initialSeed}, db ${postgres ? `PostgreSQL database ${postgres.name}` : dbPath}`);
const results: RoundStats[] = [];
let failed = false;
try {
  for (let round = 1; round <= rounds; round++) {
    const started = performance.now();
    const server = await startChildServer({ runner, dbPath, env });
    const restartMs = performance.now() - started;
    const httpLost = round > 1 ? await checkHttp(server) : [];
    const stats: RoundStats = {
      round,
      killAfterMs: Math.round(minKill + random() * (maxKill - minKill)),
      creates: 0,
      patches: 0,
      deletes: 0,
      conflicts: 0,
      inFlightAtKill: 0,
      committedBeyondAck: 0,
      checked: 0,
      lost: httpLost.map((l) => `after restart: ${l}`),
      integrity: "",
      foreignKeys: 0,
      restartMs: Math.round(restartMs),
    };
    const stop = { killed: false };
    // Every writer's share of the live scenarios, fixed before any of them runs: a writer that starts
    // deleting would otherwise shift the shares of those that pick theirs after it (two owners, one scenario).
    const live = [...acks.entries()].filter(([, a]) => !a.deleted && !a.deleteSent).map(([id]) => id);
    const writers = Array.from({ length: clients }, (_, c) => writer(server, c, live.filter((_, i) => i % clients === c), round, stats, stop));
    await new Promise((r) => setTimeout(r, stats.killAfterMs));
    stop.killed = true;
    server.signal("SIGKILL");
    const outcomes = await Promise.allSettled(writers);
    for (const o of outcomes) if (o.status === "rejected") stats.lost.push(`writer error: ${(o.reason as Error).message}`);
    if (!(await server.waitGone(10_000))) throw new Error("the server survived SIGKILL");
    await checkDisk(stats);
    results.push(stats);
    if (stats.lost.length || (stats.integrity !== "ok" && stats.integrity !== "n/a") || stats.foreignKeys) failed = true;
    log(
      `round ${round}: killed after ${stats.killAfterMs} ms; acked ${stats.creates} creates, ${stats.patches} patches, ${stats.deletes} deletes; ` +
        `${stats.inFlightAtKill} in flight; ${stats.checked} acknowledged scenarios checked, ${stats.committedBeyondAck} committed beyond the ack, ` +
        `${stats.lost.length} lost; integrity ${stats.integrity}`,
    );
    for (const l of stats.lost.slice(0, 5)) log(`  LOST ${l}`);
  }
  const final = await startChildServer({ runner, dbPath, env });
  const finalLost = await checkHttp(final);
  final.signal("SIGKILL");
  await final.waitGone();
  if (finalLost.length) {
    failed = true;
    for (const l of finalLost.slice(0, 5)) log(`  LOST after final restart: ${l}`);
  }
  const sigterm = values["no-sigterm"] ? undefined : await sigtermCheck();
  if (sigterm && !sigterm.ok) failed = true;

  const total = (k: keyof RoundStats) => results.reduce((a, r) => a + (r[k] as number), 0);
  if (values.json) {
    console.log(JSON.stringify({ seed: initialSeed, runner, clients, rounds: results, finalLost, sigterm, failed }, null, 2));
  } else {
    console.log(`\n| round | kill after ms | acked creates | acked patches | acked deletes | in flight at kill | committed beyond ack | checked | lost | integrity_check |`);
    console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|`);
    for (const r of results) {
      console.log(`| ${r.round} | ${r.killAfterMs} | ${r.creates} | ${r.patches} | ${r.deletes} | ${r.inFlightAtKill} | ${r.committedBeyondAck} | ${r.checked} | ${r.lost.length} | ${r.integrity} |`);
    }
    console.log(
      `\n${results.length} SIGKILL rounds (runner ${runner}, ${clients} clients, seed ${initialSeed}): ${total("creates")} creates, ${total("patches")} patches, ${total("deletes")} deletes acknowledged; ` +
        `${total("inFlightAtKill")} requests in flight at the kills; ${results.reduce((a, r) => a + r.lost.length, 0) + finalLost.length} acknowledged writes lost; ` +
        (postgres ? "PostgreSQL (no integrity_check)." : `integrity_check ${results.every((r) => r.integrity === "ok") ? "ok" : "FAILED"} in every round.`),
    );
    if (sigterm) {
      console.log(
        `SIGTERM drain (${values["sigterm-target"]}): ${sigterm.completed}/${sigterm.inFlight} requests in flight at the signal (3 creates, 3 patches, bodies still arriving) completed 2xx; ` +
          `creates stored ${sigterm.storedCreates}/3, patches durable ${sigterm.patchesDurable ? "yes" : "NO"}; new connections ${sigterm.newConnectionsRefused ? "refused" : "STILL ACCEPTED"} after the signal; ` +
          `a request with incomplete headers at the signal got ${sigterm.partialHeadersStatus || "no answer (connection closed)"}; ` +
          `process group ${sigterm.processGroupGone ? `exited ${sigterm.exitedWithinMs} ms after SIGTERM` : "STILL RUNNING after 30 s (killed)"} -> ${sigterm.ok ? "ok" : "FAILED"}`,
      );
    }
    console.log(failed ? "FAILED" : "ok");
  }
} finally {
  removeDir();
  await dropCrashDatabase().catch((err: unknown) => log(`could not drop ${postgres?.name}: ${String(err)}`));
}
process.exit(failed ? 1 : 0);
