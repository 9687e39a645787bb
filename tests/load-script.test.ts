/**
 * The load benchmark (scripts/load.ts) still runs end to end: a one-second smoke run of the cache-hit
 * row. It checks what the run produced, never how fast — the figures belong in the README.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

interface Row {
  name: string;
  available: boolean;
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  non2xx?: number;
  errors?: number;
  cacheHits?: number;
  cacheLookups?: number;
  mainThreadUsPerRequest?: number;
  otherThreadsUsPerRequest?: number;
  percentOfBare?: number;
}

describe("scripts/load.ts", () => {
  it("measures the bare route and the cache-hit row, every request answered, every estimate from the cache", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "scripts/load.ts", "--duration", "1", "--warmup", "0", "--connections", "8", "--only", "cache hits", "--json"],
      { cwd: root, timeout: 60_000 },
    );
    const { meta, rows } = JSON.parse(stdout) as { meta: { connections: number; acceptEncoding: string | null }; rows: Row[] };
    expect(meta).toMatchObject({ connections: 8, acceptEncoding: null });
    expect(rows.map((r) => r.name)).toEqual(["bare Hono route (before)", expect.stringContaining("(cache hits)"), "bare Hono route (after)"]);
    for (const r of rows) {
      expect(r.available).toBe(true);
      expect(r.requestsPerSec).toBeGreaterThan(0);
      expect([r.non2xx, r.errors]).toEqual([0, 0]);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms!);
      expect(r.percentOfBare).toBeGreaterThan(0);
      if (process.platform === "linux") expect(r.mainThreadUsPerRequest).toBeGreaterThan(0);
    }
    expect(rows[1].cacheLookups).toBeGreaterThan(0);
    expect(rows[1].cacheHits).toBe(rows[1].cacheLookups);
  }, 90_000);
});
