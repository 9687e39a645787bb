/** A measured profile as the estimator's accelerator: peak, utilisation band, memory. Pure, no database. */
import { BenchInputError, type DeviceInfo } from "@modelplan/bench";
import { describe, expect, it } from "vitest";
import { profileAsAccelerator, profileMemory } from "../src/routes/benchmarks/measured-hardware";
import { keepBestMeasurements, type KeptMeasurements } from "../src/routes/benchmarks/profile-measurements";

const RUNS = [0.1, 0.2, 0.3, 0.4, 0.5].map((fraction, i) => ({
  id: `r${i}`,
  phase: "training" as const,
  scope: "whole-machine" as const,
  achievedFlopsPerS: fraction * 40e9,
  fractionOfCeiling: fraction,
}));
const PROFILE = {
  id: "p1",
  name: "2-core Xeon (wasm)",
  kind: "cpu" as const,
  matmulFlopsPerS: 40e9,
  matmulRunId: "probe-1",
  bandwidthBytesPerS: 8e9,
  bandwidthRunId: "probe-2",
  memoryBytes: 24e9,
  memorySource: "system memory",
  measuredAt: "2026-11-22",
};

describe("measured profile as an accelerator", () => {
  it("takes the utilisation band from its runs and cites them", () => {
    const acc = profileAsAccelerator(PROFILE, RUNS, "training");
    expect(acc.peakFlopsPerS.fp32).toBe(40e9);
    expect(acc.utilisation?.compute?.expected).toBeCloseTo(0.3, 9);
    expect(acc.utilisation?.compute?.low).toBeCloseTo(0.14, 9);
    expect(acc.utilisation?.compute?.high).toBeCloseTo(0.46, 9);
    expect(acc.utilisation?.compute?.source).toMatch(/r0, r1, r2, r3, r4/);
    expect(acc.source).toMatch(/probe-1/);
    expect(acc.memoryBandwidthBytesPerS).toBe(8e9);
    expect(() => profileAsAccelerator(PROFILE, RUNS, "inference")).toThrow(BenchInputError);
    expect(() => profileAsAccelerator({ ...PROFILE, bandwidthBytesPerS: undefined }, RUNS, "training")).toThrow(/bandwidth/);
  });

  it("gives a GPU profile the GPU's memory (recorded source, or nvidia-smi for older records) and a CPU profile the machine's", () => {
    const machine = { memoryBytes: 128 * 2 ** 30, gpus: [{ name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, driver: "550.54.15" }] } satisfies Partial<DeviceInfo>;
    expect(profileMemory("gpu", { ...machine, gpuMemory: { bytes: 80e9, source: "nvidia-smi memory.total of NVIDIA H100 80GB HBM3 (81559 MiB)" } })?.bytes).toBe(80e9);
    expect(profileMemory("gpu", machine)).toEqual({ bytes: 81559 * 2 ** 20, source: "nvidia-smi memory.total of NVIDIA H100 80GB HBM3" });
    // The CPU (wasm) profile of the same GPU machine computes in system memory.
    expect(profileMemory("cpu", machine)?.bytes).toBe(128 * 2 ** 30);
    // A WebGPU GPU profile whose memory no tool reported: unknown, not guessed.
    expect(profileMemory("gpu", { memoryBytes: 1, gpus: [] })).toBeNull();
    const acc = profileAsAccelerator({ ...PROFILE, kind: "gpu", memoryBytes: 80e9, memorySource: "nvidia-smi" }, RUNS, "training");
    expect(acc.memoryBytes).toBe(80e9);
    expect(acc.kind).toBe("gpu");
  });

  it("applies each run's share of the profile's ceiling of its own scope, not the share recorded against its suite's", () => {
    // Recorded shares of another suite's ceiling (20 GFLOP/s) are not applied to this peak (40): restated.
    const stale = RUNS.map((r) => ({ ...r, fractionOfCeiling: r.achievedFlopsPerS / 20e9 }));
    const acc = profileAsAccelerator({ ...PROFILE, ceilings: { "whole-machine": 40e9, "per-core": 25e9 } }, stale, "training");
    expect(acc.utilisation?.compute?.expected).toBeCloseTo(0.3, 9);
    expect(acc.peakFlopsPerS.fp32! * acc.utilisation!.compute!.expected).toBeCloseTo(12e9, -2); // the median run's achieved rate

    // Per-core runs only: their share of the per-core ceiling, lent to the whole-machine peak, and said so.
    const perCore = RUNS.map((r) => ({ ...r, scope: "per-core" as const, achievedFlopsPerS: r.achievedFlopsPerS / 2 }));
    const lent = profileAsAccelerator({ ...PROFILE, ceilings: { "whole-machine": 40e9, "per-core": 20e9 } }, perCore, "training");
    expect(lent.utilisation?.compute?.expected).toBeCloseTo(0.3, 9);
    expect(lent.utilisation?.compute?.source).toMatch(/per-core ceiling 20\.0 GFLOP\/s over 5 per-core runs \(no whole-machine training runs/);

    // A profile no suite measured over the whole machine: the per-core ceiling is the peak, and its per-core runs the band.
    const onePeak = profileAsAccelerator({ ...PROFILE, matmulFlopsPerS: 20e9, peakScope: "per-core", ceilings: { "per-core": 20e9 } }, [...perCore, ...RUNS], "training");
    expect(onePeak.peakFlopsPerS.fp32).toBe(20e9);
    expect(onePeak.utilisation?.compute?.expected).toBeCloseTo(0.3, 9);
    expect(onePeak.utilisation?.compute?.source).toMatch(/peak = per-core float32 matmul ceiling 20\.0 GFLOP\/s \(probe-1\) — no suite measured the whole machine/);
  });
});

describe("what a profile keeps of its suites", () => {
  const ceiling = (scope: "per-core" | "whole-machine", flopsPerS: number) => ({ scope, workers: scope === "per-core" ? 1 : 2, precision: "float32" as const, flopsPerS, bestN: 512 });
  const bw = (scope: "per-core" | "whole-machine", bytesPerS: number) => ({ scope, workers: 1, bytesPerS });
  const sgemm = (wholeMachineFlopsPerS: number) => ({ perCoreFlopsPerS: 1e11, wholeMachineFlopsPerS, tool: "numpy", method: "2048³" });
  const EMPTY: KeptMeasurements = { ceilings: null, bandwidth: null, sgemm: null, matmulFlopsPerS: null, measuredBy: null };

  it("keeps per scope the highest figure, with the suite that measured it; the peak is the whole-machine ceiling", () => {
    const a = keepBestMeasurements(EMPTY, { ceilings: { perCore: ceiling("per-core", 18.7e9), wholeMachine: { ...ceiling("whole-machine", 33.2e9), probes: [] } as never }, bandwidth: { perCore: bw("per-core", 8.66e9), wholeMachine: bw("whole-machine", 22.4e9) }, sgemm: sgemm(1.7e11) }, "bjob_a", "t1");
    expect(a).toMatchObject({ matmulFlopsPerS: 33.2e9, measuredBy: "bjob_a", sgemm: { wholeMachineFlopsPerS: 1.7e11, measuredBy: "bjob_a" } });
    expect(a.ceilings?.wholeMachine).not.toHaveProperty("probes");
    // per core only (and no sgemm): nothing of the whole machine changes, nothing is erased
    const b = keepBestMeasurements(a, { ceilings: { perCore: ceiling("per-core", 19e9) }, bandwidth: { perCore: bw("per-core", 8e9) }, sgemm: null }, "bjob_b", "t2");
    expect(b).toMatchObject({ matmulFlopsPerS: 33.2e9, measuredBy: "bjob_a", sgemm: { measuredBy: "bjob_a" } });
    expect(b.ceilings?.perCore).toMatchObject({ flopsPerS: 19e9, measuredBy: "bjob_b", storedAt: "t2" });
    expect(b.bandwidth).toMatchObject({ perCore: { bytesPerS: 8.66e9, measuredBy: "bjob_a" }, wholeMachine: { bytesPerS: 22.4e9, measuredBy: "bjob_a" } });
    // a lower whole-machine ceiling (a small budget) lowers nothing; a higher one becomes the peak
    expect(keepBestMeasurements(b, { ceilings: { wholeMachine: ceiling("whole-machine", 21.7e9) }, sgemm: null }, "bjob_c", "t3")).toMatchObject({ matmulFlopsPerS: 33.2e9, measuredBy: "bjob_a" });
    expect(keepBestMeasurements(b, { ceilings: { wholeMachine: ceiling("whole-machine", 35e9) }, sgemm: null }, "bjob_d", "t4")).toMatchObject({ matmulFlopsPerS: 35e9, measuredBy: "bjob_d" });
  });

  it("takes the per-core ceiling as the peak only until a suite measures the whole machine, and attributes figures stored before provenance to the suite the row names", () => {
    const single = keepBestMeasurements(EMPTY, { ceilings: { perCore: ceiling("per-core", 18e9) }, sgemm: null }, "cli 2026-11-22T06:00:00.000Z", "t1");
    expect(single).toMatchObject({ matmulFlopsPerS: 18e9, measuredBy: "cli 2026-11-22T06:00:00.000Z" });
    expect(keepBestMeasurements(single, { ceilings: { wholeMachine: ceiling("whole-machine", 30e9) }, sgemm: null }, "bjob_w", "t2")).toMatchObject({ matmulFlopsPerS: 30e9, measuredBy: "bjob_w" });
    // a row stored by the earlier rule (latest suite wins, no provenance per figure)
    const legacy: KeptMeasurements = { ceilings: { wholeMachine: ceiling("whole-machine", 33e9), perCore: ceiling("per-core", 18e9) }, bandwidth: { wholeMachine: bw("whole-machine", 22e9) }, sgemm: null, matmulFlopsPerS: 33e9, measuredBy: "bjob_old" };
    const next = keepBestMeasurements(legacy, { ceilings: { perCore: ceiling("per-core", 17e9) }, sgemm: null }, "bjob_new", "t3");
    expect(next.ceilings).toMatchObject({ wholeMachine: { flopsPerS: 33e9, measuredBy: "bjob_old" }, perCore: { flopsPerS: 18e9, measuredBy: "bjob_old" } });
    expect(next.bandwidth?.wholeMachine).toMatchObject({ bytesPerS: 22e9, measuredBy: "bjob_old" });
    expect(next.measuredBy).toBe("bjob_old");
  });

  it("keeps the WebGPU probes of one suite, the one with the highest float32 rate (so the float16 speed-up is of one suite)", () => {
    const probes = (f32: number, f16: number) => ({ matmulKernel: "k", copyKernel: "c", matmul: [], notes: [], bestFloat32: { flopsPerS: f32, n: 1024 }, bestFloat16: { flopsPerS: f16, n: 1024 } });
    const a = keepBestMeasurements(EMPTY, { ceilings: { wholeMachine: ceiling("whole-machine", 1e12) }, sgemm: null, webgpuProbes: probes(8e12, 15e12) }, "bjob_a", "t1");
    const b = keepBestMeasurements(a, { ceilings: { wholeMachine: ceiling("whole-machine", 1e12) }, sgemm: null, webgpuProbes: probes(6e12, 14e12) }, "bjob_b", "t2");
    expect(b.ceilings?.webgpuProbes).toMatchObject({ bestFloat32: { flopsPerS: 8e12 }, bestFloat16: { flopsPerS: 15e12 }, measuredBy: "bjob_a" });
  });
});
