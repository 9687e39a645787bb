import { describe, expect, it } from "vitest";
import { leaveOneOut, type CalibrationRun } from "@modelplan/bench";
import { cachedLeaveOneOutAsync, cachedReportCount, runsKey } from "../src/routes/benchmarks/loo-cache";

const run = (id: string, batchSize: number, stepTimeMs: number): CalibrationRun => ({
  id,
  family: "mlp",
  config: { inputDim: 32, hiddenUnits: [64], classes: 4 },
  phase: "training",
  batchSize,
  scope: "per-core",
  workers: 1,
  stepTimeMs,
});

describe("leave-one-out report cache", () => {
  const runs = [run("a", 8, 2), run("b", 16, 3.1), run("c", 32, 5.9), run("d", 64, 12.2)];

  it("answers the same runs from the cache with the report leaveOneOut computes", async () => {
    const first = await cachedLeaveOneOutAsync(runs);
    expect(first).toEqual(leaveOneOut(runs));
    expect(await cachedLeaveOneOutAsync([...runs.map((r) => ({ ...r }))])).toBe(first); // equal runs, new objects: a hit
  });

  it("never answers changed, added or removed runs from a stale report", async () => {
    const before = await cachedLeaveOneOutAsync(runs);
    const changed = runs.map((r, i) => (i === 2 ? { ...r, stepTimeMs: 9 } : r));
    expect(runsKey(changed)).not.toBe(runsKey(runs));
    expect(runsKey(runs.map((r, i) => ({ ...r, session: i < 2 ? "job-1" : "job-2" })))).not.toBe(runsKey(runs)); // sessions change the fit
    const after = await cachedLeaveOneOutAsync(changed);
    expect(after).not.toBe(before);
    expect(after.entries.find((e) => e.id === "c")!.measuredMs).toBe(9);
    expect((await cachedLeaveOneOutAsync(runs.slice(0, 3))).overall.n).toBe(3);
    expect((await cachedLeaveOneOutAsync([...runs, run("e", 128, 25)])).overall.n).toBe(5);
  });

  it("computes in turns, letting other work run between refits, and shares one computation", async () => {
    const many = Array.from({ length: 12 }, (_, i) => run(`t${i}`, 4 + 4 * i, 1 + 0.5 * i + (i % 3) * 0.1));
    let turnsTaken = 0;
    let done = false;
    // another request's work, queued for the event loop: it must run while the report is computed
    const ticker = async () => {
      while (!done) {
        turnsTaken++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const ticking = ticker();
    const [a, b] = await Promise.all([cachedLeaveOneOutAsync(many), cachedLeaveOneOutAsync(many)]);
    done = true;
    await ticking;
    expect(a).toBe(b); // one computation for both
    expect(turnsTaken).toBeGreaterThanOrEqual(many.length - 1);
    expect(a).toEqual(leaveOneOut(many));
    expect(await cachedLeaveOneOutAsync(many)).toBe(a);
  });

  it("holds at most 32 reports", async () => {
    for (let i = 0; i < 40; i++) await cachedLeaveOneOutAsync(runs.map((r) => ({ ...r, stepTimeMs: r.stepTimeMs + i / 100 })));
    expect(cachedReportCount()).toBe(32);
  });
});
