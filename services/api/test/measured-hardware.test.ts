/** A measured profile as the estimator's accelerator: peak, utilisation band, memory. Pure, no database. */
import { BenchInputError, type DeviceInfo } from "@modelplan/bench";
import { describe, expect, it } from "vitest";
import { profileAsAccelerator, profileMemory } from "../src/routes/benchmarks/measured-hardware";

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
});
