/**
 * The body of a fitting worker thread (fitting.ts starts them with piscina): leave-one-out reports and
 * predictions, computed off the service's event loop. Pure calls of @modelplan/bench; input and output
 * cross the thread boundary by structured clone. A computation that runs past its budget, or whose
 * callers went away, is stopped by terminating the thread.
 */
import { leaveOneOut, predict, type CalibrationRun, type LeaveOneOutReport, type PredictQuery, type Prediction } from "@modelplan/bench";

export type FittingTask =
  | { kind: "leave-one-out"; runs: CalibrationRun[] }
  /** `loo`: the runs' leave-one-out report (the prediction's band comes from it). */
  | { kind: "predict"; runs: CalibrationRun[]; query: PredictQuery; loo: LeaveOneOutReport };

export type FittingResult = { kind: "leave-one-out"; loo: LeaveOneOutReport } | { kind: "predict"; prediction: Prediction };

export default function fit(task: FittingTask): FittingResult {
  if (task.kind === "leave-one-out") return { kind: "leave-one-out", loo: leaveOneOut(task.runs) };
  return { kind: "predict", prediction: predict(task.query, task.runs, () => task.loo) };
}
