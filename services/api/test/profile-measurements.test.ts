/**
 * A hardware profile keeps, per scope, the highest matmul ceiling and bandwidth its suites measured,
 * and an estimate on it applies the runs' share of that same ceiling: a later suite that measured only
 * per core, or measured less (a small budget, small probe sizes), changes neither the peak, nor the
 * bandwidth, nor — when it adds no run of the band's scope — the estimate.
 *
 * The uploads are a test fixture (figures chosen to resemble a 2-core wasm quick suite: whole-machine
 * ceiling 33.2 GFLOP/s, per core 18.7, bandwidth 22.4 / 8.66 GB/s), not a measurement.
 */
import { afterEach, describe, expect, it } from "vitest";
import { modelKey, profileFingerprint, resolveModelSpec, runHeader, type BenchRun } from "@modelplan/bench";
import { measuredAccelerator } from "../src/routes/benchmarks/index";
import { recordProfileMeasurements } from "../src/routes/benchmarks/benchmarks.repository";
import { createTestApp, type TestApp } from "./helpers/test-app";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const DEVICE = { kind: "cpu" as const, cpuModel: "Fixture CPU", logicalCores: 2, memoryBytes: 16e9, platform: "linux", arch: "x64", gpus: [] };
const BACKEND = { choice: "wasm" as const, threadsPerInstance: 1, versions: { node: "20.20.2", "tfjs-core": "4.22.0", fixture: "ceilings" } };

/** A GPT training run achieving `gflops` GFLOP/s (the service recomputes achieved FLOP/s from samples/s). */
function gptTraining(batch: number, scope: "whole-machine" | "per-core", gflops: number): BenchRun {
  const spec = resolveModelSpec("gpt", {});
  const header = runHeader(spec, modelKey(spec), "training", "training", batch, scope, scope === "whole-machine" ? 2 : 1);
  const medianMs = (header.flopsPerStep / (gflops * 1e9)) * 1000;
  return {
    ...header,
    status: "ok",
    stepTime: { medianMs, p10Ms: medianMs * 0.9, p90Ms: medianMs * 1.2, ciLowMs: medianMs * 0.95, ciHighMs: medianMs * 1.05, n: 20 },
    samplesPerS: (batch * 1000) / medianMs,
    // a share of the run's own suite's ceiling, as the CLI records it (the service restates it)
    fractionOfCeiling: 0.999,
  };
}

const ceiling = (scope: "whole-machine" | "per-core", gflops: number) => ({ scope, workers: scope === "whole-machine" ? 2 : 1, precision: "float32", flopsPerS: gflops * 1e9, cpuFlopsPerS: gflops * 1e9, bestN: 512 });
const bandwidth = (scope: "whole-machine" | "per-core", gbps: number) => ({ scope, workers: scope === "whole-machine" ? 2 : 1, elements: 8388608, medianMs: 4, bytesPerS: gbps * 1e9, stable: true });

function upload(at: string, parts: { ceilings: object; bandwidth: object; runs: BenchRun[] }) {
  return { suite: "custom", status: "completed", startedAt: at, finishedAt: at, fingerprint: profileFingerprint(DEVICE, BACKEND), device: DEVICE, backend: BACKEND, sgemm: null, ...parts };
}

const ESTIMATE = { model: { preset: "gpt-2" }, method: "full-fine-tune", tokens: 1e8, hardware: "local" };
type Estimate = { hardware: { peakFlopsPerS: number; memoryBandwidthBytesPerS: number }; utilisation: { expected: number; source: string }; gpuHours: { expected: number } };
type Profile = { ceilings: { perCore?: { flopsPerS: number; measuredBy: string }; wholeMachine?: { flopsPerS: number; measuredBy: string } }; bandwidthBytesPerS: number; measuredBy: string };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe("a hardware profile's peak, bandwidth and utilisation across suites", () => {
  it("keeps the highest whole-machine ceiling and bandwidth, and restates every run's share against it", async () => {
    let clock = Date.parse("2026-11-22T10:00:00.000Z");
    t = await createTestApp({ now: () => new Date(clock) });
    const call = async <T>(method: string, path: string, body?: unknown, status = 200): Promise<T> => {
      const res = await t!.call(method, path, body);
      const text = await res.text();
      expect(res.status, text).toBe(status);
      return JSON.parse(text) as T;
    };
    // The local profile is the machine's own (source local): stored as `npm run bench` does.
    const store = async (body: ReturnType<typeof upload>) => {
      const posted = await call<{ hardwareProfileId: string }>("POST", "/v1/benchmarks/results", body, 201);
      await t!.database.db.update(t!.database.tables.hardwareProfiles).set({ source: "local" });
      clock += 60_000;
      return posted.hardwareProfileId;
    };

    // Suite A: a quick suite over the whole machine.
    const aRuns = [gptTraining(8, "whole-machine", 2.6), gptTraining(16, "whole-machine", 2.9), gptTraining(16, "per-core", 2.4)];
    const profileId = await store(upload("2026-11-22T10:00:00.000Z", { ceilings: { perCore: ceiling("per-core", 18.7), wholeMachine: ceiling("whole-machine", 33.2) }, bandwidth: { perCore: bandwidth("per-core", 8.66), wholeMachine: bandwidth("whole-machine", 22.4) }, runs: aRuns }));
    const first = await call<Estimate>("POST", "/v1/estimates/training", ESTIMATE);
    expect(first.hardware.peakFlopsPerS).toBeCloseTo(33.2e9, -3);
    expect(first.hardware.memoryBandwidthBytesPerS).toBeCloseTo(22.4e9, -3);

    // Suite B: the per-core ceiling only (wholeMachine false, probe sizes 128 and 256), per-core runs only.
    await store(upload("2026-11-22T10:01:00.000Z", { ceilings: { perCore: ceiling("per-core", 19.5) }, bandwidth: { perCore: bandwidth("per-core", 8.1) }, runs: [gptTraining(8, "per-core", 2.2)] }));
    const second = await call<Estimate>("POST", "/v1/estimates/training", ESTIMATE);
    expect(second.hardware.peakFlopsPerS).toBe(first.hardware.peakFlopsPerS);
    expect(second.hardware.memoryBandwidthBytesPerS).toBe(first.hardware.memoryBandwidthBytesPerS);
    // no whole-machine run was added: the same band, the same GPU-hours
    expect(second.utilisation.expected).toBe(first.utilisation.expected);
    expect(second.gpuHours.expected).toBe(first.gpuHours.expected);
    let profile = await call<Profile>("GET", `/v1/hardware-profiles/${profileId}`);
    expect(profile.ceilings.wholeMachine).toMatchObject({ flopsPerS: expect.closeTo(33.2e9, -3), measuredBy: "upload 2026-11-22T10:00:00.000Z" });
    // per scope: B's higher per-core ceiling is kept
    expect(profile.ceilings.perCore).toMatchObject({ flopsPerS: expect.closeTo(19.5e9, -3), measuredBy: "upload 2026-11-22T10:01:00.000Z" });
    expect(profile).toMatchObject({ bandwidthBytesPerS: expect.closeTo(22.4e9, -3), measuredBy: "upload 2026-11-22T10:00:00.000Z" });

    // Suite C: a small budget measured the whole machine lower (21.7), with slower whole-machine runs.
    const cRuns = [gptTraining(8, "whole-machine", 1.9), gptTraining(16, "whole-machine", 2.1)];
    await store(upload("2026-11-22T10:02:00.000Z", { ceilings: { perCore: ceiling("per-core", 12), wholeMachine: ceiling("whole-machine", 21.7) }, bandwidth: { wholeMachine: bandwidth("whole-machine", 15) }, runs: cRuns }));
    const third = await call<Estimate>("POST", "/v1/estimates/training", ESTIMATE);
    expect(third.hardware.peakFlopsPerS).toBe(first.hardware.peakFlopsPerS);
    expect(third.hardware.memoryBandwidthBytesPerS).toBe(first.hardware.memoryBandwidthBytesPerS);
    profile = await call<Profile>("GET", `/v1/hardware-profiles/${profileId}`);
    expect(profile.ceilings.wholeMachine!.flopsPerS).toBeCloseTo(33.2e9, -3);
    expect(profile.ceilings.perCore!.flopsPerS).toBeCloseTo(19.5e9, -3);

    // peak × utilisation = what the whole-machine runs achieved (their median), whichever suite set the peak
    const acc = await measuredAccelerator(t.database, "ws_default", "local", "training");
    const achieved = [...aRuns, ...cRuns].filter((r) => r.scope === "whole-machine").map((r) => (r.samplesPerS! / r.batchSize) * r.flopsPerStep);
    expect(acc.peakFlopsPerS.fp32! * acc.utilisation!.compute!.expected).toBeCloseTo(median(achieved), -3);
    expect(acc.utilisation!.compute!.source).toMatch(/achieved ÷ the profile's whole-machine ceiling 33\.2 GFLOP\/s over 4 whole-machine runs/);
    expect(acc.source).toMatch(/peak = whole-machine float32 matmul ceiling 33\.2 GFLOP\/s \(benchmark upload 2026-11-22T10:00:00\.000Z\)/);

    // A job's suite (the service's path: recordProfileMeasurements outside a transaction) that measured
    // more raises the peak, and the band follows: the runs' achieved rates do not change.
    await recordProfileMeasurements(t.database, profileId, { ...upload("x", { ceilings: { wholeMachine: ceiling("whole-machine", 40) }, bandwidth: {}, runs: [] }), backend: BACKEND } as never, "bjob_fixture", "2026-11-22T10:05:00.000Z");
    const raised = await measuredAccelerator(t.database, "ws_default", "local", "training");
    expect(raised.peakFlopsPerS.fp32).toBeCloseTo(40e9, -3);
    expect(raised.peakFlopsPerS.fp32! * raised.utilisation!.compute!.expected).toBeCloseTo(median(achieved), -3);
    profile = await call<Profile>("GET", `/v1/hardware-profiles/${profileId}`);
    expect(profile).toMatchObject({ measuredBy: "bjob_fixture", bandwidthBytesPerS: expect.closeTo(22.4e9, -3) });
  });
});
