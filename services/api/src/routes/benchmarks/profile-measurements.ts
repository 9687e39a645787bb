/**
 * What a hardware profile keeps of the suites stored on it: its matmul ceilings, memory bandwidth,
 * sgemm limit and WebGPU probes, and from them its peak. Pure (the repository reads and writes the row).
 *
 * The rule: **per scope, the highest figure any suite stored on the profile measured** (the newer
 * suite's only where it measured more), each with the suite that measured it. A profile's peak is its
 * whole-machine float32 matmul ceiling; only a profile on which no suite ever measured the whole
 * machine (one worker: a 1-core machine, `workers: 1` or `wholeMachine: false` only) takes its per-core
 * ceiling, until a suite measures the whole machine. A suite that measured only one scope leaves the
 * other scope as it was.
 *
 * Why the maximum: a ceiling is a rate the backend attained on this machine (a median over timed
 * steps), so every suite's figure is a lower bound of what the machine can do. A suite measures less
 * when it probed fewer or smaller sizes (probe sizes 128 and 256 miss the 512³ product where the wasm
 * backend peaks), with a shorter budget, or while other programs held the cores — none of which makes
 * the machine slower, and a different machine, driver or library version is another profile (the
 * fingerprint). It is the rule a suite already applies within itself (a run that beats the probe
 * raises the ceiling: basis "best-observed"), and it does not depend on the order suites arrive in.
 * The utilisation band of an estimate is then restated against the same kept ceiling
 * (measured-hardware.ts), so peak × utilisation is the rate the runs achieved, whichever suite set
 * the peak. The WebGPU probes are kept as one set, the one with the highest float32 WGSL rate, so that
 * the float16 speed-up (float16 ÷ float32) is of one suite.
 */
import type { MatmulCeiling, SgemmLimit, WebGpuProbes } from "@modelplan/bench";

/** The suite (job id, `upload <time>`, `cli <startedAt>`) that measured a kept figure, and when it was stored. */
export interface Provenance {
  measuredBy?: string;
  storedAt?: string;
}

export type StoredCeiling = Pick<MatmulCeiling, "scope" | "workers" | "precision" | "flopsPerS" | "bestN" | "basis" | "probedFlopsPerS" | "bestObserved"> & {
  cpuFlopsPerS?: number;
} & Provenance;

export type StoredBandwidth = { scope?: string; workers?: number; bytesPerS: number } & Provenance;

/** The ceilings JSON of a profile: tfjs's matmul ceilings and, for WebGPU profiles, the WGSL device probes. */
export type StoredCeilings = { perCore?: StoredCeiling; wholeMachine?: StoredCeiling; webgpuProbes?: WebGpuProbes & Provenance };
export type StoredBandwidths = { perCore?: StoredBandwidth; wholeMachine?: StoredBandwidth };
export type StoredSgemm = Pick<SgemmLimit, "perCoreFlopsPerS" | "wholeMachineFlopsPerS" | "tool" | "method"> & Partial<SgemmLimit> & Provenance;

/** What a profile row holds of its measurements. */
export interface KeptMeasurements {
  ceilings: StoredCeilings | null;
  bandwidth: StoredBandwidths | null;
  sgemm: StoredSgemm | null;
  /** The peak: the kept whole-machine ceiling, or the per-core one where no suite measured the whole machine. */
  matmulFlopsPerS: number | null;
  /** The suite that measured the peak. */
  measuredBy: string | null;
}

/** What one suite brings (a SuiteResult, or an upload of one). */
export interface SuiteMeasurements {
  ceilings: { perCore?: StoredCeiling & { probes?: unknown }; wholeMachine?: StoredCeiling & { probes?: unknown } };
  bandwidth?: { perCore?: StoredBandwidth; wholeMachine?: StoredBandwidth };
  sgemm: StoredSgemm | null;
  webgpuProbes?: WebGpuProbes;
}

const SCOPES = ["perCore", "wholeMachine"] as const;

/** The higher of two figures: the kept one unless the new one is higher (or nothing is kept yet). */
function higher<T>(kept: T | undefined, next: T | undefined, rate: (x: T) => number | undefined): T | undefined {
  if (!next) return kept;
  if (!kept) return next;
  return (rate(next) ?? 0) > (rate(kept) ?? 0) ? next : kept;
}

/**
 * Figures stored before provenance was kept were all measured by the suite the row names (the latest
 * suite replaced everything then): they are attributed to it.
 */
function attributed<T extends Provenance>(x: T | undefined, measuredBy: string | null): T | undefined {
  return x && x.measuredBy === undefined && measuredBy ? { ...x, measuredBy } : x;
}

/** The profile's peak and the scope it is of: the whole-machine ceiling, else the per-core one. */
export function profilePeak(ceilings: StoredCeilings | null): { scope: "whole-machine" | "per-core"; ceiling: StoredCeiling } | null {
  if (ceilings?.wholeMachine && ceilings.wholeMachine.flopsPerS > 0) return { scope: "whole-machine", ceiling: ceilings.wholeMachine };
  if (ceilings?.perCore && ceilings.perCore.flopsPerS > 0) return { scope: "per-core", ceiling: ceilings.perCore };
  return null;
}

/** The kept measurements after one more suite (see the rule above). */
export function keepBestMeasurements(kept: KeptMeasurements, suite: SuiteMeasurements, measuredBy: string, now: string): KeptMeasurements {
  const by = { measuredBy, storedAt: now };
  const ceilings: StoredCeilings = {};
  for (const scope of SCOPES) {
    const next = suite.ceilings[scope];
    // The probe list is the suite's record, not the profile's (uploads do not carry it).
    const trimmed: StoredCeiling | undefined = next ? (({ probes: _probes, ...c }) => ({ ...c, ...by }))(next) : undefined;
    const c = higher(attributed(kept.ceilings?.[scope], kept.measuredBy), trimmed, (x) => x.flopsPerS);
    if (c) ceilings[scope] = c;
  }
  const probes = higher(
    attributed(kept.ceilings?.webgpuProbes, kept.measuredBy),
    suite.webgpuProbes ? { ...suite.webgpuProbes, ...by } : undefined,
    (p) => p.bestFloat32?.flopsPerS,
  );
  if (probes) ceilings.webgpuProbes = probes;
  const bandwidth: StoredBandwidths = {};
  for (const scope of SCOPES) {
    const next = suite.bandwidth?.[scope];
    const b = higher(attributed(kept.bandwidth?.[scope], kept.measuredBy), next ? { ...next, ...by } : undefined, (x) => x.bytesPerS);
    if (b) bandwidth[scope] = b;
  }
  const sgemm = higher(attributed(kept.sgemm ?? undefined, kept.measuredBy), suite.sgemm ? { ...suite.sgemm, ...by } : undefined, (s) => s.wholeMachineFlopsPerS) ?? null;
  const peak = profilePeak(ceilings);
  return {
    ceilings: Object.keys(ceilings).length > 0 ? ceilings : null,
    bandwidth,
    sgemm,
    matmulFlopsPerS: peak?.ceiling.flopsPerS ?? null,
    measuredBy: peak?.ceiling.measuredBy ?? kept.measuredBy,
  };
}
