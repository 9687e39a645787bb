import { describe, expect, it } from "vitest";
import { leaveOneOut, type CalibrationRun } from "@modelplan/bench";
import { cachedLeaveOneOut, cachedReportCount, runsKey } from "../src/routes/benchmarks/loo-cache";

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

  it("answers the same runs from the cache with the report leaveOneOut computes", () => {
    const first = cachedLeaveOneOut(runs);
    expect(first).toEqual(leaveOneOut(runs));
    expect(cachedLeaveOneOut([...runs.map((r) => ({ ...r }))])).toBe(first); // equal runs, new objects: a hit
  });

  it("never answers changed, added or removed runs from a stale report", () => {
    const before = cachedLeaveOneOut(runs);
    const changed = runs.map((r, i) => (i === 2 ? { ...r, stepTimeMs: 9 } : r));
    expect(runsKey(changed)).not.toBe(runsKey(runs));
    expect(runsKey(runs.map((r, i) => ({ ...r, session: i < 2 ? "job-1" : "job-2" })))).not.toBe(runsKey(runs)); // sessions change the fit
    const after = cachedLeaveOneOut(changed);
    expect(after).not.toBe(before);
    expect(after.entries.find((e) => e.id === "c")!.measuredMs).toBe(9);
    expect(cachedLeaveOneOut(runs.slice(0, 3)).overall.n).toBe(3);
    expect(cachedLeaveOneOut([...runs, run("e", 128, 25)]).overall.n).toBe(5);
  });

  it("holds at most 32 reports", () => {
    for (let i = 0; i < 40; i++) cachedLeaveOneOut(runs.map((r) => ({ ...r, stepTimeMs: r.stepTimeMs + i / 100 })));
    expect(cachedReportCount()).toBe(32);
  });
});
