/**
 * The abuse run (scripts/abuse.ts) still runs end to end: a quick run of the phase A attacks against
 * the real server. It checks what the service answered — every attack refused or bounded with
 * problem+json — never how fast: the /health figures belong in docs/security.md, measured alone.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

interface Row {
  name: string;
  phase: "A" | "B";
  statuses: Record<string, number>;
  problemJson: boolean;
  bounded: boolean;
  detail: string;
  health: { samples: number; p50Ms: number; p99Ms: number };
}

describe("scripts/abuse.ts", () => {
  it("runs every phase A attack and each is refused or bounded with problem+json", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/abuse.ts", "--quick", "--phase", "A", "--target-ms", "1000000", "--json"], {
      cwd: root,
      timeout: 480_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`abuse run failed:\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
    });
    const { rows } = JSON.parse(stdout) as { rows: Row[] };
    expect(rows.length).toBeGreaterThanOrEqual(19);
    for (const r of rows) {
      expect(r.phase).toBe("A");
      expect({ name: r.name, bounded: r.bounded, problemJson: r.problemJson, detail: r.detail }).toMatchObject({ bounded: true, problemJson: true });
      expect(r.health.samples).toBeGreaterThan(0);
    }
    const byName = (text: string) => rows.find((r) => r.name.includes(text))!;
    expect(byName("uploads past the run caps").statuses["422"]).toBeGreaterThanOrEqual(2);
    expect(byName("48 workers").statuses["422"]).toBe(1);
    expect(byName("queue flood").statuses["429"]).toBeGreaterThanOrEqual(1);
    expect(byName("revoking its last key").statuses["401"]).toBe(2);
    expect(byName("DNS rebinding").statuses["403"]).toBe(2);
    expect(byName("storage quotas").statuses["429"]).toBe(3);
    expect(byName("Node's own").statuses).toEqual({ "400": 1, "431": 1 });
  }, 540_000);
});
