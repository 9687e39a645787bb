/**
 * Bodies for POST /v1/benchmarks/results with many runs: what a caller needs to give a hardware profile
 * a large calibration (tests of the fitting bounds, scripts/abuse.ts). The figures are a test fixture,
 * not a measurement: step times follow FLOPs with a deterministic spread, so the fit has work to do.
 */
import { modelKey, profileFingerprint, resolveModelSpec, runHeader, type BenchRun } from "@modelplan/bench";

const FAMILIES = ["mlp", "cnn", "text-classifier", "gpt"] as const;

export const SYNTHETIC_DEVICE = { kind: "cpu" as const, cpuModel: "Synthetic CPU", logicalCores: 8, memoryBytes: 32e9, platform: "linux", arch: "x64", gpus: [] };

/** A backend whose versions carry `tag`, so each tag is its own fingerprint (its own profile). */
export function syntheticBackend(tag = "a") {
  return { choice: "wasm" as const, threadsPerInstance: 1, versions: { node: "20.20.2", "tfjs-core": "4.22.0", synthetic: tag } };
}

/** `count` runs starting at index `from` (the same index gives the same run). */
export function syntheticRuns(count: number, from = 0): BenchRun[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const spec = resolveModelSpec(FAMILIES[i % FAMILIES.length], {});
    const phase = i % 2 === 1 ? "training" : "inference";
    const batch = 1 << (i % 6);
    const whole = i % 5 === 0;
    const header = runHeader(spec, modelKey(spec), phase, phase === "training" ? "training" : "throughput", batch, whole ? "whole-machine" : "per-core", whole ? 8 : 1);
    const p10 = 0.3 + (header.flopsPerStep / 5e9) * (1 + ((i * 7) % 11) / 50);
    return {
      ...header,
      status: "ok",
      stepTime: { medianMs: p10 * 1.1, p10Ms: p10, p90Ms: p10 * 1.3, ciLowMs: p10, ciHighMs: p10 * 1.2, n: 20 },
      samplesPerS: (batch * 1000) / (p10 * 1.1),
      achievedFlopsPerS: 1,
    };
  });
}

/** An upload of `count` runs (from index `from`) for the profile of backend tag `tag`. */
export function syntheticUpload(count: number, opts: { from?: number; tag?: string } = {}) {
  const backend = syntheticBackend(opts.tag);
  const now = new Date().toISOString();
  return {
    suite: "custom",
    status: "completed" as const,
    startedAt: now,
    finishedAt: now,
    fingerprint: profileFingerprint(SYNTHETIC_DEVICE, backend),
    device: SYNTHETIC_DEVICE,
    backend,
    ceilings: {},
    bandwidth: {},
    sgemm: null,
    runs: syntheticRuns(count, opts.from ?? 0),
  };
}
