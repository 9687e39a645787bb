import { describe, expect, it } from "vitest";
import { isStable, median, medianCi95Sorted, quantileSorted, summarize } from "../src/stats";
import { measure, type MeasureOptions } from "../src/measure";

describe("quantiles", () => {
  it("interpolates between order statistics (type 7)", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileSorted(xs, 0.5)).toBeCloseTo(5.5);
    // pos = 9 × 0.1 = 0.9 → 1 + 0.9 × (2 − 1)
    expect(quantileSorted(xs, 0.1)).toBeCloseTo(1.9);
    expect(quantileSorted(xs, 0.9)).toBeCloseTo(9.1);
    expect(quantileSorted(xs, 0)).toBe(1);
    expect(quantileSorted(xs, 1)).toBe(10);
    expect(median([3, 1, 2])).toBe(2);
    expect(() => quantileSorted([], 0.5)).toThrow();
  });

  it("takes the median's 95% CI from the binomial order-statistic ranks", () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    // n = 20: half = 1.96·√20 = 8.765; ranks ⌊(20 − 8.765)/2⌋ = 5 and ⌈1 + (20 + 8.765)/2⌉ = 16
    expect(medianCi95Sorted(xs)).toEqual({ low: 5, high: 16 });
    const ys = Array.from({ length: 100 }, (_, i) => i + 1);
    // n = 100: half = 19.6; ranks ⌊40.2⌋ = 40 and ⌈60.8⌉ = 61
    expect(medianCi95Sorted(ys)).toEqual({ low: 40, high: 61 });
    // small samples: the interval is the whole range
    expect(medianCi95Sorted([1, 2, 3])).toEqual({ low: 1, high: 3 });
  });

  it("summarises a sample and applies the ±5% stopping rule", () => {
    const tight = Array.from({ length: 30 }, (_, i) => 100 + (i % 3)); // 100..102
    const s = summarize(tight);
    expect(s.n).toBe(30);
    expect(s.median).toBe(101);
    expect(s.ciHalfWidthRel).toBeLessThanOrEqual(0.01);
    expect(isStable(tight, 0.05, 10)).toBe(true);
    expect(isStable(tight.slice(0, 5), 0.05, 10)).toBe(false); // below the minimum sample count
    const wide = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 50 : 150));
    expect(isStable(wide, 0.05, 10)).toBe(false);
  });
});

describe("timing loop", () => {
  const base: MeasureOptions = {
    warmupMinSteps: 2,
    warmupMinMs: 0,
    warmupMaxMs: 100,
    minSamples: 10,
    tolerance: 0.05,
    budgetMs: 2000,
    floorSamples: 3,
    maxSamples: 500,
  };
  /** A fake clock that each step advances by the step's duration: deterministic on a busy machine. */
  function fake(durations: (i: number) => number) {
    let t = 0;
    let i = 0;
    return { clock: () => t, step: () => void (t += durations(i++)), calls: () => i };
  }

  it("excludes warm-up and stops as soon as the median is stable", async () => {
    const f = fake((i) => (i < 2 ? 20 : 2 + (i % 3) * 0.01)); // slow first steps are warm-up
    const m = await measure(f.step, base, f.clock, f.clock);
    expect(m.cpuSamplesMs).toEqual(m.samplesMs);
    expect(m.warmupSteps).toBe(2);
    expect(m.stopReason).toBe("stable");
    expect(m.stable).toBe(true);
    expect(m.samplesMs.length).toBe(10); // stable at the minimum sample count
    expect(m.samplesMs.length).toBe(f.calls() - 2);
    expect(m.stats.median).toBeCloseTo(2.01, 5);
  });

  it("stops at the time budget when the median will not settle, keeping a floor of samples", async () => {
    const f = fake((i) => (i % 2 === 0 ? 1 : 6));
    const m = await measure(f.step, { ...base, budgetMs: 60 }, f.clock, f.clock);
    expect(m.stopReason).toBe("budget");
    expect(m.stable).toBe(false);
    // 60 ms of alternating 1/6 ms steps after the warm-up
    expect(m.samplesMs.length).toBeGreaterThanOrEqual(17);
    expect(m.samplesMs.length).toBeLessThanOrEqual(18);
    const slow = fake(() => 50);
    const s = await measure(slow.step, { ...base, budgetMs: 60 }, slow.clock, slow.clock);
    expect(s.samplesMs.length).toBe(3); // the floor, although the budget ran out after 2
  });

  it("times a fixed window for whole-machine runs", async () => {
    const f = fake(() => 1);
    const m = await measure(f.step, { ...base, budgetMs: 40, fixedWindow: true }, f.clock, f.clock);
    expect(m.stopReason).toBe("window");
    expect(m.samplesMs.length).toBe(40);
  });

  it("measures real steps with the default clock", async () => {
    const m = await measure(() => {
      const end = performance.now() + 1;
      while (performance.now() < end) {
        /* spin */
      }
    }, { ...base, budgetMs: 50 });
    expect(m.stats.median).toBeGreaterThanOrEqual(1);
    expect(m.samplesMs.length).toBeGreaterThanOrEqual(3);
    expect(m.cpuSamplesMs.length).toBe(m.samplesMs.length);
    expect(m.cpuStats.max).toBeGreaterThan(0); // a busy step uses CPU time
  });
});
