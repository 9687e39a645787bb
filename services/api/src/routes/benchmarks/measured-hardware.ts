import { profileAsAccelerator, BenchInputError, type MeasuredAccelerator, type Phase } from "@modelplan/bench";
import type { AppDatabase } from "@modelplan/db";
import { ApiError } from "../../lib/problem";
import { findProfile, okRunsWithFigures } from "./benchmarks.repository";

/** True for a hardware reference that names a measured profile: `local` or a profile id. */
export function isMeasuredHardwareRef(ref: unknown): ref is string {
  return typeof ref === "string" && (ref === "local" || ref.startsWith("hwp_"));
}

/**
 * A measured hardware profile as the estimator's explicit accelerator: peak = the profile's
 * whole-machine float32 matmul ceiling, compute utilisation band = p10/p50/p90 of achieved ÷ peak over
 * the profile's runs of the phase, memory bandwidth = its measured elementwise bandwidth, with a source
 * citing the job and the runs. For the estimation endpoints' `"hardware": "local"` or a profile id:
 *
 *   if (isMeasuredHardwareRef(body.hardware)) body.hardware = measuredAccelerator(db, workspaceId, body.hardware, "training", "hardware");
 */
export function measuredAccelerator(db: AppDatabase, workspaceId: string, ref: string, phase: Phase, fieldPath = "hardware"): MeasuredAccelerator {
  const profile = findProfile(db, workspaceId, ref);
  if (!profile) throw ApiError.invalidField(fieldPath, ref === "local" ? "no hardware profile has been measured by this service yet (POST /v1/benchmarks)" : `unknown hardware profile '${ref}'`);
  const bandwidth = profile.bandwidth as { perCore?: { bytesPerS: number }; wholeMachine?: { bytesPerS: number } } | null;
  const device = profile.device as { memoryBytes: number; gpus?: { memoryMiB: number }[] };
  try {
    return profileAsAccelerator(
      {
        id: profile.id,
        name: profile.name,
        kind: profile.kind as "cpu" | "gpu",
        matmulFlopsPerS: profile.matmulFlopsPerS ?? 0,
        matmulRunId: `benchmark ${profile.measuredBy ?? "unknown"}`,
        bandwidthBytesPerS: (bandwidth?.wholeMachine ?? bandwidth?.perCore)?.bytesPerS,
        bandwidthRunId: profile.measuredBy ?? undefined,
        memoryBytes: device.gpus && device.gpus.length > 0 ? device.gpus[0].memoryMiB * 2 ** 20 : device.memoryBytes,
        measuredAt: profile.updatedAt,
      },
      okRunsWithFigures(db, profile.id).flatMap((r) =>
        r.achievedFlopsPerS
          ? [{ id: r.id, family: r.family, config: r.config, phase: r.phase, batchSize: r.batchSize, scope: r.scope, workers: r.workers, stepTimeMs: r.stepTime?.medianMs ?? 0, achievedFlopsPerS: r.achievedFlopsPerS, fractionOfCeiling: r.fractionOfCeiling }]
          : [],
      ),
      phase,
    );
  } catch (error) {
    if (error instanceof BenchInputError) throw ApiError.invalidField(fieldPath, `hardware profile '${profile.id}': ${error.reason}`);
    throw error;
  }
}
