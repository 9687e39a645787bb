/** Turn measured runs (a suite result before it is stored, or stored runs) into calibration runs. Pure. */
import type { CalibrationRun } from "./features";
import type { BenchRun, SuiteResult } from "../results";

/**
 * What the calibrated step time of a run is: the 10th percentile of its wall-clock step times, the
 * step's cost when nothing else on the machine delays it. A shared machine alternates between
 * undisturbed stretches and slow ones (another program, the host's other tenants): on this 2-core
 * virtual machine the step times of one configuration were often bimodal, about 1.5× apart, and
 * the median landed in either mode. Timing guides take the low end for that reason ("the minimum
 * is the most useful value; higher values are typically caused by other processes interfering",
 * Python's timeit documentation); the 10th percentile keeps a margin against a lucky outlier. Over
 * 5 quick suites measured in 3 rounds, it took the leave-one-out median error from 12–22% (median
 * wall or CPU time) to 4.8–7.7% (README, calibration accuracy).
 */
export const CALIBRATION_TIME_BASIS = "wall-p10" as const;

/** The calibrated step time of a measured run (CALIBRATION_TIME_BASIS), or null when it has none. */
export function calibratedStepTimeMs(run: Pick<BenchRun, "status" | "stepTime">): number | null {
  if (run.status !== "ok" || !run.stepTime) return null;
  const ms = run.stepTime.p10Ms;
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/**
 * How much slower than the calibrated time a step typically is on the machine: the measured median
 * over the 10th percentile of a run's wall-clock steps (≥ 1), or null when it has none.
 */
export function typicalSlowdown(run: Pick<BenchRun, "status" | "stepTime">): number | null {
  const p10 = calibratedStepTimeMs(run);
  if (p10 === null || !run.stepTime || !(run.stepTime.medianMs > 0)) return null;
  return Math.max(1, run.stepTime.medianMs / p10);
}

/**
 * A measured run as calibration input, or null when it cannot be calibrated on. `session` names the runs
 * measured together with it (one job, suite or upload: CalibrationRun.session); omitted, the run joins
 * the runs without a session.
 */
export function toCalibrationRun(id: string, run: BenchRun, session?: string): CalibrationRun | null {
  const stepTimeMs = calibratedStepTimeMs(run);
  if (stepTimeMs === null) return null;
  const slowdown = typicalSlowdown(run);
  return {
    id,
    family: run.family,
    config: run.config,
    phase: run.phase,
    batchSize: run.batchSize,
    scope: run.scope,
    workers: run.workers,
    stepTimeMs,
    ...(slowdown === null ? {} : { typicalSlowdown: slowdown }),
    ...(session === undefined ? {} : { session }),
  };
}

/**
 * The ok runs of a suite as calibration input; ids are the runs' positions ("run-3") until stored. The
 * runs of a suite are one session, named `suite <startedAt>`.
 */
export function calibrationRunsFromSuite(result: SuiteResult): CalibrationRun[] {
  const session = `suite ${result.startedAt}`;
  return result.runs.flatMap((r, i) => toCalibrationRun(`run-${i}`, r, session) ?? []);
}
