import { BenchInputError, quantileSorted, type DeviceInfo, type Phase, type RunScope } from "@modelplan/bench";
import type { AcceleratorSpec } from "@modelplan/estimator";
import type { Database } from "@modelplan/db";
import { ApiError } from "../../lib/problem";
import { findProfile, okRunsWithFigures } from "./benchmarks.repository";

/** True for a hardware reference that names a measured profile: `local` or a profile id. */
export function isMeasuredHardwareRef(ref: unknown): ref is string {
  return typeof ref === "string" && (ref === "local" || ref.startsWith("hwp_"));
}

/** A profile's measured ceilings and memory, as stored with its runs. */
export interface ProfileCeilings {
  id: string;
  name: string;
  kind: "gpu" | "cpu";
  /** Matmul ceiling (float32) of the whole machine, from the probe run (or the best run above it). */
  matmulFlopsPerS: number;
  matmulRunId: string;
  /** Elementwise memory bandwidth measured by the bandwidth probe (whole machine). */
  bandwidthBytesPerS?: number;
  bandwidthRunId?: string;
  /** The memory the profile computes in: the GPU's (nvidia-smi, amdgpu, unified memory) or the machine's. */
  memoryBytes: number;
  memorySource: string;
  measuredAt: string;
}

/** A stored run's figures the utilisation band needs. */
export interface MeasuredRunFigures {
  id: string;
  phase: Phase;
  scope: RunScope;
  achievedFlopsPerS: number;
  fractionOfCeiling?: number;
}

/**
 * Describe a measured profile as the estimator's explicit accelerator: peak = the whole-machine float32
 * matmul ceiling, utilisation band = 10th / 50th / 90th percentile of achieved FLOP/s ÷ that ceiling over
 * the profile's whole-machine runs of the phase (falling back to per-core runs ÷ the per-core share when
 * the profile has no whole-machine runs), memory = the GPU's for a GPU profile. Needs a bandwidth figure.
 */
export function profileAsAccelerator(profile: ProfileCeilings, runs: readonly MeasuredRunFigures[], phase: Phase): AcceleratorSpec {
  if (!(profile.matmulFlopsPerS > 0)) throw new BenchInputError(["profile"], "the profile has no matmul ceiling");
  if (!(profile.bandwidthBytesPerS && profile.bandwidthBytesPerS > 0)) throw new BenchInputError(["profile"], "the profile has no memory-bandwidth measurement");
  const whole = runs.filter((r) => r.phase === phase && r.scope === "whole-machine");
  const chosen = whole.length > 0 ? whole : runs.filter((r) => r.phase === phase);
  if (chosen.length === 0) throw new BenchInputError(["profile"], `the profile has no ${phase} runs`);
  const fractions = chosen
    .map((r) => (r.fractionOfCeiling !== undefined ? r.fractionOfCeiling : r.achievedFlopsPerS / profile.matmulFlopsPerS))
    .filter((x) => x > 0)
    .sort((a, b) => a - b);
  const q = (p: number) => quantileSorted(fractions, p);
  // Stored runs from before ceilings were capped at the best observed rate can exceed 1: capped here.
  const cap = (x: number) => Math.min(1, x);
  const band = { low: cap(q(0.1)), expected: cap(q(0.5)), high: cap(q(0.9)) };
  const ids = chosen.map((r) => r.id);
  const MAX_IDS_CHARS = 300;
  let cited = ids.join(", ");
  if (cited.length > MAX_IDS_CHARS) {
    const shown: string[] = [];
    for (const id of ids) {
      if ((shown.join(", ") + id).length > MAX_IDS_CHARS) break;
      shown.push(id);
    }
    cited = `${shown.join(", ")} and ${ids.length - shown.length} more`;
  }
  const source =
    `measured profile ${profile.id} (${profile.name}), ${profile.measuredAt}: peak = float32 matmul ceiling (${profile.matmulRunId}); ` +
    `${phase} utilisation = p10/p50/p90 of achieved/peak over ${ids.length} runs: ${cited}${fractions.some((f) => f > 1) ? " (capped at 1)" : ""}; ` +
    `memory: ${profile.memorySource}`;
  return {
    id: `profile:${profile.id}`,
    name: profile.name,
    kind: profile.kind,
    peakFlopsPerS: { fp32: profile.matmulFlopsPerS },
    memoryBytes: profile.memoryBytes,
    memoryBandwidthBytesPerS: profile.bandwidthBytesPerS,
    utilisation: { compute: { ...band, source } },
    source: profile.bandwidthRunId ? `${source}; bandwidth from run ${profile.bandwidthRunId}` : source,
  };
}

/**
 * The memory a stored profile computes in. A GPU profile: the GPU's memory recorded with the device
 * (nvidia-smi, the amdgpu driver, or an Apple GPU's unified memory), or for profiles stored before that
 * record existed, nvidia-smi's first GPU. Otherwise (a CPU profile, software GPU emulation included):
 * system memory.
 */
export function profileMemory(kind: string, device: Partial<DeviceInfo> & { memoryBytes: number }): { bytes: number; source: string } | null {
  if (kind !== "gpu") return { bytes: device.memoryBytes, source: "system memory" };
  if (device.gpuMemory) return device.gpuMemory;
  const g = device.gpus?.[0];
  if (g) return { bytes: g.memoryMiB * 2 ** 20, source: `nvidia-smi memory.total of ${g.name}` };
  return null;
}

/**
 * A measured hardware profile as the estimator's explicit accelerator: peak = the profile's
 * whole-machine float32 matmul ceiling, compute utilisation band = p10/p50/p90 of achieved ÷ peak over
 * the profile's runs of the phase, memory bandwidth = its measured elementwise bandwidth, memory = the
 * GPU's for a GPU profile, with a source citing the job and the runs. For the estimation endpoints'
 * `"hardware": "local"` or a profile id:
 *
 *   if (isMeasuredHardwareRef(body.hardware)) body.hardware = await measuredAccelerator(db, workspaceId, body.hardware, "training", "hardware");
 */
export async function measuredAccelerator(d: Database, workspaceId: string, ref: string, phase: Phase, fieldPath = "hardware"): Promise<AcceleratorSpec> {
  const profile = await findProfile(d, workspaceId, ref);
  if (!profile) throw ApiError.invalidField(fieldPath, ref === "local" ? "no hardware profile has been measured by this service yet (POST /v1/benchmarks)" : `unknown hardware profile '${ref}'`);
  const bandwidth = profile.bandwidth as { perCore?: { bytesPerS: number }; wholeMachine?: { bytesPerS: number } } | null;
  const memory = profileMemory(profile.kind, profile.device as DeviceInfo);
  const runs = await okRunsWithFigures(d, profile.id);
  try {
    if (!memory) throw new BenchInputError(["profile"], "the GPU's memory is unknown: WebGPU does not report it and neither nvidia-smi nor the amdgpu driver answered when it was measured");
    return profileAsAccelerator(
      {
        id: profile.id,
        name: profile.name,
        kind: profile.kind as "cpu" | "gpu",
        matmulFlopsPerS: profile.matmulFlopsPerS ?? 0,
        matmulRunId: `benchmark ${profile.measuredBy ?? "unknown"}`,
        bandwidthBytesPerS: (bandwidth?.wholeMachine ?? bandwidth?.perCore)?.bytesPerS,
        bandwidthRunId: profile.measuredBy ?? undefined,
        memoryBytes: memory.bytes,
        memorySource: memory.source,
        measuredAt: profile.updatedAt,
      },
      runs.flatMap((r) =>
        r.achievedFlopsPerS ? [{ id: r.id, phase: r.phase, scope: r.scope, achievedFlopsPerS: r.achievedFlopsPerS, fractionOfCeiling: r.fractionOfCeiling }] : [],
      ),
      phase,
    );
  } catch (error) {
    if (error instanceof BenchInputError) throw ApiError.invalidField(fieldPath, `hardware profile '${profile.id}': ${error.reason}`);
    throw error;
  }
}
