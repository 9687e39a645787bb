/** Turn a suite result (before it is stored) into calibration runs. Pure. */
import type { CalibrationRun } from "./calibration";
import type { SuiteResult } from "./results";

/**
 * The ok runs of a suite as calibration input; ids are the runs' positions ("run-3") until stored.
 * On a single-threaded backend the calibrated time is the median CPU time per step (the step's cost
 * when the worker has its core, robust to other programs on a shared machine); otherwise wall-clock.
 */
export function calibrationRunsFromSuite(result: SuiteResult): CalibrationRun[] {
  const useCpu = result.backend.threadsPerInstance === 1;
  return result.runs.flatMap((r, i) =>
    r.status === "ok" && r.stepTime
      ? [
          {
            id: `run-${i}`,
            family: r.family,
            config: r.config,
            phase: r.phase,
            batchSize: r.batchSize,
            scope: r.scope,
            workers: r.workers,
            stepTimeMs: useCpu && r.cpuTime ? r.cpuTime.medianMs : r.stepTime.medianMs,
          },
        ]
      : [],
  );
}
