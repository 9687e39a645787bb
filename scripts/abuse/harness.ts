/**
 * The abuse run's machinery: the service as a child process on a temporary database (with API keys
 * made before it starts, as an operator would), a /health probe in a worker thread (so the attack's own
 * work never delays a measurement), and a tally of every answer an attack got.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createApiKey } from "../../services/api/src/auth/api-keys.repository";
import { openDatabase } from "@modelplan/db";
import { startChildServer, type ChildServer } from "../../tests/helpers/child-server";
import { HttpClient, type RawRequest, type RawResponse } from "../../tests/fuzz/lib/http";

export interface KeyPair {
  id: string;
  key: string;
  workspaceId: string;
}

export interface AbuseServer {
  server: ChildServer;
  url: string;
  port: number;
  dir: string;
  keys: Record<string, KeyPair>;
  close(): Promise<void>;
}

/**
 * Starts the real server (`tsx services/api/src/server.ts`) on a temporary database after creating
 * `keys` (name → workspace and scope) in it; without keys it runs open on loopback.
 */
export async function startAbuseServer(opts: { keys?: Record<string, { workspaceId: string; scope: "read" | "write" | "admin" }>; env?: Record<string, string> } = {}): Promise<AbuseServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-abuse-"));
  const dbPath = path.join(dir, "abuse.db");
  const keys: Record<string, KeyPair> = {};
  const db = await openDatabase(dbPath);
  try {
    for (const [name, k] of Object.entries(opts.keys ?? {})) {
      const { row, key } = await createApiKey(db, { workspaceId: k.workspaceId, scope: k.scope, name }, new Date());
      keys[name] = { id: row.id, key, workspaceId: k.workspaceId };
    }
  } finally {
    await db.close();
  }
  let server: ChildServer;
  try {
    server = await startChildServer({ runner: "tsx", dbPath, env: { LOG_LEVEL: "error", ...opts.env } });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    server,
    url: server.url,
    port: server.port,
    dir,
    keys,
    async close() {
      server.signal("SIGKILL");
      await server.waitGone(10_000);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------------------------------------

/** What an attack was answered: counts per status, and whether every error was problem+json. */
export class Tally {
  readonly statuses = new Map<number, number>();
  errorsNotProblemJson = 0;
  transportErrors = 0;
  /** Problems by status → their `type`s seen (to tell a budget 503 from another). */
  readonly problemTypes = new Map<number, Set<string>>();

  record(res: RawResponse): RawResponse {
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 400) {
      const type = String(res.headers["content-type"] ?? "");
      if (!type.startsWith("application/problem+json")) this.errorsNotProblemJson++;
      else {
        try {
          const p = JSON.parse(res.text) as { type?: string };
          if (!this.problemTypes.has(res.status)) this.problemTypes.set(res.status, new Set());
          this.problemTypes.get(res.status)!.add(String(p.type));
        } catch {
          this.errorsNotProblemJson++;
        }
      }
    }
    return res;
  }

  count(status: number): number {
    return this.statuses.get(status) ?? 0;
  }

  get total(): number {
    let n = 0;
    for (const v of this.statuses.values()) n += v;
    return n;
  }

  /** "201×2 422×1" */
  summary(): string {
    const parts = [...this.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    if (this.transportErrors) parts.push(`no answer×${this.transportErrors}`);
    return parts.join(" ") || "—";
  }
}

/** An HTTP client that tallies what it is answered, with an optional API key. */
export class AttackClient {
  readonly http: HttpClient;
  constructor(
    baseUrl: string,
    readonly tally: Tally,
    private readonly key?: string,
    timeoutMs = 120_000,
  ) {
    this.http = new HttpClient(baseUrl, timeoutMs);
  }

  async send(req: Omit<RawRequest, "headers"> & { headers?: Record<string, string> }): Promise<RawResponse | undefined> {
    const headers = { ...(this.key ? { authorization: `Bearer ${this.key}` } : {}), ...(req.headers ?? {}) };
    try {
      return this.tally.record(await this.http.send({ ...req, headers }));
    } catch {
      this.tally.transportErrors++;
      return undefined;
    }
  }

  get(p: string, headers: Record<string, string> = {}) {
    return this.send({ method: "GET", path: p, headers });
  }

  json(method: string, p: string, body: unknown, headers: Record<string, string> = {}) {
    return this.send({ method, path: p, headers: { "content-type": "application/json", ...headers }, body: Buffer.from(JSON.stringify(body)) });
  }

  close(): void {
    this.http.close();
  }
}

// ------------------------------------------------------------------------------------------------

/** The probe's loop, run in a worker thread: GET /health one after another, `intervalMs` apart. */
const PROBE_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let running = false;
let port = 0;
let loop = Promise.resolve();
function once() {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = http.get({ host: "127.0.0.1", port, path: "/health", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200 ? performance.now() - t : Infinity));
    });
    req.setTimeout(10000, () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(Infinity));
  });
}
parentPort.on("message", (m) => {
  if (m.start !== undefined) {
    port = m.start;
    running = true;
    const samples = [];
    loop = (async () => {
      while (running) {
        samples.push(await once());
        await new Promise((r) => setTimeout(r, workerData.intervalMs));
      }
      return samples;
    })();
  } else if (m.stop) {
    running = false;
    loop.then((samples) => parentPort.postMessage(samples));
  }
});
`;

export interface Latency {
  samples: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

/** Measures /health latency of a port in a worker thread (started once) between start() and stop(). */
export class HealthProbe {
  private readonly worker: Worker;
  constructor(intervalMs = 10) {
    this.worker = new Worker(PROBE_SOURCE, { eval: true, workerData: { intervalMs } });
  }

  start(port: number): void {
    this.worker.postMessage({ start: port });
  }

  async stop(): Promise<Latency> {
    const samples = await new Promise<number[]>((resolve) => {
      this.worker.once("message", resolve);
      this.worker.postMessage({ stop: true });
    });
    const sorted = [...samples].sort((a, b) => a - b);
    const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : NaN);
    return { samples: samples.length, failed: samples.filter((s) => !Number.isFinite(s)).length, p50Ms: q(0.5), p99Ms: q(0.99) };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
