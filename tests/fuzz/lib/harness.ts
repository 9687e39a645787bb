/**
 * Runs the fuzzer against the real server: startServer on a temporary SQLite file, the OpenAPI
 * document read from the live /openapi.json, requests over HTTP. Shared by the npm-test run
 * (tests/fuzz/fuzz.test.ts) and the long run (scripts/fuzz.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { createApiKey, revokeApiKey } from "../../../services/api/src/auth/api-keys.repository";
import { startServer, type RunningServer } from "../../../services/api/src/bootstrap";
import { loadConfig } from "../../../services/api/src/config";
import { createLogger } from "../../../services/api/src/lib/logger";
import { changeDetector } from "./db-snapshot";
import { HttpClient } from "./http";
import { listOperations, type OpenApiDocument, type Operation } from "./openapi";
import { anyRequestArb, startsLongJob, type FuzzRequest } from "./requests";
import { FuzzSession, type Failure, type Principals } from "./session";

export interface FuzzServer {
  running: RunningServer;
  url: string;
  dir: string;
  dbPath: string;
  maxBodyBytes: number;
  close(): Promise<void>;
}

/**
 * Rate limits high enough that the fuzzer's few hundred requests per second are not throttled (the
 * limiter has its own tests); override with `env`.
 */
export const FUZZ_DEFAULT_ENV: Record<string, string> = {
  RATE_LIMIT_RPS: "1000000",
  RATE_LIMIT_BURST: "1000000",
  BENCHMARK_RATE_LIMIT_PER_HOUR: "100000",
  BENCHMARK_RATE_LIMIT_BURST: "10000",
};

/** Starts the API on an ephemeral port with its own temporary database file. */
export async function startFuzzServer(env: Record<string, string> = {}): Promise<FuzzServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-fuzz-"));
  const dbPath = path.join(dir, "fuzz.db");
  const config = loadConfig({ HOST: "127.0.0.1", PORT: "0", MODELPLAN_DB: dbPath, LOG_LEVEL: "silent", ...FUZZ_DEFAULT_ENV, ...env });
  const running = await startServer(config, createLogger(config.logLevel));
  return {
    running,
    url: running.url,
    dir,
    dbPath,
    maxBodyBytes: config.maxBodyBytes,
    async close() {
      await running.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Keys the fuzzer sends: admin keys in two workspaces, a read key, and a revoked key. Creating them
 * switches the service (AUTH=auto) from open to keys-required, as in production.
 */
export async function createPrincipals(server: FuzzServer): Promise<Principals> {
  const db = server.running.database;
  const now = new Date();
  const make = async (workspaceId: string, scope: "read" | "write" | "admin") => {
    const { row, key } = await createApiKey(db, { workspaceId, scope, name: `fuzz ${scope}` }, now);
    return { id: row.id, key, workspaceId };
  };
  const revoked = await make("fuzz-a", "admin");
  await revokeApiKey(db, revoked.id, now);
  return { main: await make("fuzz-a", "admin"), other: await make("fuzz-b", "admin"), read: await make("fuzz-a", "read"), revokedKey: revoked.key };
}

/** The fuzzer's server runs on SQLite: its change detector reads SQLite's own counters. */
function sqliteOf(server: FuzzServer) {
  const sqlite = server.running.database.sqlite;
  if (!sqlite) throw new Error("the fuzzer runs its server on SQLite (its change detector reads SQLite's counters)");
  return sqlite;
}

/** The document exactly as the running server serves it. */
export async function fetchDocument(url: string): Promise<OpenApiDocument> {
  const client = new HttpClient(url);
  try {
    const res = await client.send({ method: "GET", path: "/openapi.json", headers: {} });
    if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
    return JSON.parse(res.text) as OpenApiDocument;
  } finally {
    client.close();
  }
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Extra environment for loadConfig (e.g. rate-limit settings once they exist). */
  env?: Record<string, string>;
  /** Operations that only get invalid bodies (default: POSTs on benchmark paths). */
  invalidOnly?: (op: Operation) => boolean;
  /** Tables left out of the unchanged-data check. */
  ignoreTables?: RegExp;
  /** Called every `progressEvery` generated requests. */
  onProgress?: (done: number, session: FuzzSession) => void;
  progressEvery?: number;
}

export interface FailureWithContext extends Failure {
  seed: number;
  index: number;
}

export interface FuzzReport {
  seed: number;
  generated: number;
  requests: number;
  skipped: number;
  operations: Operation[];
  byOperation: Map<string, Map<number, number>>;
  byCategory: Map<string, Map<number, number>>;
  failures: FailureWithContext[];
  ms: number;
}

const CHUNK = 100;

/**
 * Generates `runs` requests with fast-check from the document (seeded, so a seed replays the same
 * sequence) and sends them one at a time, checking each answer. Never throws on a failed check:
 * failures are collected in the report.
 */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const server = await startFuzzServer(opts.env);
  const doc = await fetchDocument(server.url);
  const ops = listOperations(doc);
  const invalidOnly = opts.invalidOnly ?? startsLongJob;
  const session = new FuzzSession({
    principals: await createPrincipals(server),
    baseUrl: server.url,
    doc,
    ops,
    invalidOnly,
    changes: changeDetector(sqliteOf(server), opts.ignoreTables),
  });
  const failures: FailureWithContext[] = [];
  let generated = 0;
  try {
    for (let chunk = 0; generated < opts.runs; chunk++) {
      const n = Math.min(CHUNK, opts.runs - generated);
      // Rebuilt per chunk so that bodies the server accepted so far seed the perturbations.
      const arb = anyRequestArb(doc, ops, { maxBodyBytes: server.maxBodyBytes, invalidOnly, corpus: session.corpus });
      const batch: FuzzRequest[] = fc.sample(arb, { seed: opts.seed + chunk * 7919, numRuns: n });
      for (const req of batch) {
        const index = generated++;
        for (const f of await session.run(req)) failures.push({ ...f, seed: opts.seed, index });
        if (opts.onProgress && generated % (opts.progressEvery ?? 1000) === 0) opts.onProgress(generated, session);
      }
    }
  } finally {
    session.close();
    await server.close();
  }
  return {
    seed: opts.seed,
    generated,
    requests: session.requests,
    skipped: session.skipped,
    operations: ops,
    byOperation: session.byOperation,
    byCategory: session.byCategory,
    failures,
    ms: performance.now() - started,
  };
}

/** Markdown tables of the counts per operation and per category, by status. */
export function formatReport(report: FuzzReport): string {
  const table = (title: string, map: Map<string, Map<number, number>>) => {
    const statuses = [...new Set([...map.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
    const lines = [`| ${title} | total | ${statuses.map((s) => (s === 0 ? "no answer" : String(s))).join(" | ")} |`, `|---|---:|${statuses.map(() => "---:").join("|")}|`];
    for (const [name, m] of [...map.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      lines.push(`| ${name} | ${total} | ${statuses.map((s) => m.get(s) ?? "").join(" | ")} |`);
    }
    return lines.join("\n");
  };
  const docOps = report.operations.map((o) => o.operationId);
  const reached = new Set(report.byOperation.keys());
  const missing = docOps.filter((o) => !reached.has(o));
  return [
    `seed ${report.seed}: ${report.generated} generated, ${report.requests} HTTP requests sent (incl. read-backs), ${report.skipped} skipped (valid bodies for long-job operations), ${(report.ms / 1000).toFixed(1)} s`,
    "",
    table("operation reached", report.byOperation),
    "",
    table("category", report.byCategory),
    missing.length ? `\nOperations never reached: ${missing.join(", ")}` : "",
    "",
    `failures: ${report.failures.length}`,
  ].join("\n");
}

/** Failures grouped by kind, operation and message shape, with one example each. */
export function summarizeFailures(failures: FailureWithContext[], limit = 20): string {
  const groups = new Map<string, { count: number; example: FailureWithContext }>();
  for (const f of failures) {
    const key = `${f.kind} | ${f.message.replace(/\d{4,}/g, "N").replace(/'[^']*'/g, "'…'").slice(0, 120)}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { count: 1, example: f });
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, limit)
    .map(([key, g]) => `${g.count}× ${key}\n    e.g. #${g.example.index} (seed ${g.example.seed}): ${g.example.request}\n    → ${g.example.response ?? "(no response)"}`)
    .join("\n");
}
