/** Leave-one-out accuracy of the step-time model over a profile's runs. Pure. */
import type { ModelFamily } from "../families";
import type { Phase } from "../flops";
import type { RunScope } from "../results";
import { median } from "../stats";
import { prepare, type CalibrationRun, type Prepared } from "./features";
import { predictSeconds } from "./fit";
import { fitScopes, MIN_SESSION_RUNS, sessionOf } from "./sessions";

export interface LooEntry {
  id: string;
  family: ModelFamily;
  phase: Phase;
  scope: RunScope;
  measuredMs: number;
  predictedMs: number;
  /** (predicted − measured) / measured. */
  relativeError: number;
}

export interface ErrorSummary {
  n: number;
  /** Median and worst absolute relative error (0.1 = 10%); null without entries. */
  medianAbsError: number | null;
  worstAbsError: number | null;
}

export interface LeaveOneOutReport {
  overall: ErrorSummary;
  byFamily: Partial<Record<ModelFamily, ErrorSummary>>;
  byScope: Partial<Record<RunScope, ErrorSummary>>;
  entries: LooEntry[];
  method: string;
  /** ACCURACY_SCOPE: what the figure describes and how the measured efficiency enters an LLM estimate. */
  describes: string;
}

function summarizeErrors(entries: LooEntry[]): ErrorSummary {
  if (entries.length === 0) return { n: 0, medianAbsError: null, worstAbsError: null };
  const abs = entries.map((e) => Math.abs(e.relativeError));
  return { n: entries.length, medianAbsError: median(abs), worstAbsError: Math.max(...abs) };
}

/**
 * What the leave-one-out figure describes, and how the measured efficiency reaches an LLM estimate:
 * stated with every accuracy report (CLI, API, README).
 */
export const ACCURACY_SCOPE =
  "This is the accuracy of step-time prediction for the TensorFlow.js reference models (MLP, text classifier, LSTM LM, CNN, GAN, small GPT) on this profile: each measured run predicted from the profile's other runs. It is not the accuracy of an LLM estimate. An estimate with \"hardware\": \"<this profile>\" takes the profile's whole-machine float32 matmul ceiling (the highest its suites measured) as the peak, the 10th/50th/90th percentile of achieved ÷ that ceiling over the profile's runs of the phase (its whole-machine runs where it has them) as the compute-utilisation band, and the measured bandwidth as memory bandwidth; the LLM's FLOPs, memory and tokens come from the estimator's formulas. An LLM estimate on the profile therefore assumes the efficiency these small models reached, which nothing here has measured for an LLM.";

export const LOO_METHOD =
  `each run is predicted by the model fitted on the other runs of the same profile (t = τ·kernels + FLOPs/R_family,phase + ρ·activation elements + κ·weight elements packed + ω·weights read | π·parameters, non-negative least squares on relative error reweighted towards least absolute error (4 IRLS passes), per-core runs; a whole-machine run = the per-core prediction × the median contention factor of the other whole-machine runs of its phase; where a scope has 2 or more sessions (job, suite or upload) of ${MIN_SESSION_RUNS} or more runs, a session's runs of the scope share a speed factor fitted by alternation with the coefficients and normalised to a median of 1 over the sessions, and a run is predicted × its session's factor estimated from the session's other runs); error = (predicted − measured)/measured`;

/**
 * Leave-one-out accuracy over a profile's runs: each run is predicted by fitCalibration on all the
 * other runs (a scope needs ≥ 3 runs). A whole-machine run is thus predicted from every per-core run
 * and the contention of the other whole-machine runs. A run of a session with a speed factor is
 * predicted × that factor as fitted without the run (from the session's other runs; factor 1 when they
 * are fewer than MIN_SESSION_RUNS).
 */
export function leaveOneOut(runs: readonly CalibrationRun[]): LeaveOneOutReport {
  const steps = leaveOneOutSteps(runs);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * leaveOneOut as a generator that yields after every refit (one per run; ~20 ms each for a profile
 * of 500 runs from several sessions), so that a caller sharing an event loop can let other work run
 * in between (see services/api loo-cache.ts). Returns the same report as leaveOneOut.
 */
export function* leaveOneOutSteps(runs: readonly CalibrationRun[]): Generator<void, LeaveOneOutReport, void> {
  const entries: LooEntry[] = [];
  const byScopeRows: Record<RunScope, Prepared[]> = {
    "per-core": prepare(runs.filter((r) => r.scope === "per-core")),
    "whole-machine": prepare(runs.filter((r) => r.scope === "whole-machine")),
  };
  for (const scope of ["per-core", "whole-machine"] as RunScope[]) {
    const rows = byScopeRows[scope];
    if (rows.length < 3) continue;
    for (const [i, row] of rows.entries()) {
      const others = rows.filter((_, j) => j !== i);
      const fits =
        scope === "per-core" ? fitScopes(others, byScopeRows["whole-machine"]) : fitScopes(byScopeRows["per-core"], others);
      const fit = fits[scope]!;
      const predictedMs = predictSeconds(fit, row.run.family, row.run.phase, row.features) * (fit.sessionSpeedFactors?.[sessionOf(row.run)] ?? 1) * 1000;
      entries.push({
        id: row.run.id,
        family: row.run.family,
        phase: row.run.phase,
        scope,
        measuredMs: row.run.stepTimeMs,
        predictedMs,
        relativeError: (predictedMs - row.run.stepTimeMs) / row.run.stepTimeMs,
      });
      yield;
    }
  }
  const byFamily: LeaveOneOutReport["byFamily"] = {};
  for (const f of new Set(entries.map((e) => e.family))) byFamily[f] = summarizeErrors(entries.filter((e) => e.family === f));
  const byScope: LeaveOneOutReport["byScope"] = {};
  for (const s of new Set(entries.map((e) => e.scope))) byScope[s] = summarizeErrors(entries.filter((e) => e.scope === s));
  return { overall: summarizeErrors(entries), byFamily, byScope, entries, method: LOO_METHOD, describes: ACCURACY_SCOPE };
}
