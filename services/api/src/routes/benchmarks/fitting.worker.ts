/**
 * The body of a fitting worker thread (fit-scheduler.ts starts them with piscina): leave-one-out
 * reports and predictions, computed off the service's event loop. Pure calls of @modelplan/bench;
 * input and output cross the thread boundary by structured clone, except `cancel`, a shared flag the
 * scheduler sets when the computation is to stop (over budget, or its callers gone): checked after every
 * refit, so a stop takes one refit at most and the thread stays alive for the next task.
 */
import { leaveOneOutSteps, predict, type CalibrationRun, type LeaveOneOutReport, type PredictQuery, type Prediction } from "@modelplan/bench";

export type FittingTask = (
  | { kind: "leave-one-out"; runs: CalibrationRun[] }
  /** `loo`: the runs' leave-one-out report (the prediction's band comes from it). */
  | { kind: "predict"; runs: CalibrationRun[]; query: PredictQuery; loo: LeaveOneOutReport }
) & { cancel?: Int32Array };

export type FittingResult = { kind: "leave-one-out"; loo: LeaveOneOutReport } | { kind: "predict"; prediction: Prediction } | { kind: "stopped" };

export default function fit(task: FittingTask): FittingResult {
  const stopped = () => task.cancel !== undefined && Atomics.load(task.cancel, 0) !== 0;
  if (task.kind === "predict") return { kind: "predict", prediction: predict(task.query, task.runs, () => task.loo) };
  const steps = leaveOneOutSteps(task.runs);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return { kind: "leave-one-out", loo: step.value };
    if (stopped()) return { kind: "stopped" };
  }
}
