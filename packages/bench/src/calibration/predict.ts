/** Predict a configuration's step time and throughput on a profile, with a band from leave-one-out. Pure. */
import { BenchInputError } from "../errors";
import { resolveModelSpec, tokensPerSample, type ModelFamily, type ModelSpec } from "../families";
import type { Phase } from "../flops";
import type { RunScope } from "../results";
import { median, quantileSorted } from "../stats";
import { groupOf, workFeatures, type CalibrationRun, type WorkFeatures } from "./features";
import { predictSeconds, type CalibrationFit } from "./fit";
import { extrapolations, type Extrapolation } from "./extrapolation";
import { leaveOneOut, type LeaveOneOutReport } from "./leave-one-out";
import { fitCalibration, MIN_SESSION_RUNS } from "./sessions";

export interface PredictQuery {
  family: unknown;
  config?: unknown;
  phase: Phase;
  batchSize: number;
  scope?: RunScope;
}

export interface Band {
  low: number;
  expected: number;
  high: number;
}

export interface Prediction {
  family: ModelFamily;
  config: ModelSpec["config"];
  phase: Phase;
  batchSize: number;
  scope: RunScope;
  workers: number;
  features: WorkFeatures;
  stepTimeMs: Band;
  /**
   * The expected step time × the median typicalSlowdown of the profile's runs of the scope: what a
   * step typically takes on the machine as measured, delays by other programs included (null when
   * the runs carry no slowdown).
   */
  typicalStepTimeMs: number | null;
  samplesPerS: Band;
  tokensPerS?: Band;
  achievedFlopsPerS: number;
  /**
   * Dimensions in which the configuration lies outside what the profile's runs measured (batch size,
   * size fields, work per step, a family or phase without runs): there the prediction extrapolates and
   * the leave-one-out accuracy does not vouch for it. Empty inside the measured ranges.
   */
  extrapolation: Extrapolation[];
  /** One line per extrapolated dimension (extrapolation[].message). */
  warnings: string[];
  /** How the prediction was made: fitted coefficients, the runs behind them, where the band comes from. */
  basis: {
    fit: CalibrationFit;
    familyHadRuns: boolean;
    bandFrom: string;
    runIds: string[];
    /**
     * The machine speed predicted at: the typical session's (speed factor 1, the median over sessions),
     * or, without sessions told apart, the speed the runs were measured at.
     */
    speed: string;
    /** fit.sessionSpeedFactors, or {} when the runs were fitted as taken at one speed. */
    sessionSpeedFactors: Record<string, number>;
  };
}

/**
 * The checks predict makes before any fitting: the model configuration, phase, batch size and scope,
 * and enough runs of that scope. Throws BenchInputError naming the field; returns the resolved query.
 */
export function checkPredictQuery(query: PredictQuery, runs: readonly CalibrationRun[]): { spec: ModelSpec; scope: RunScope; scoped: CalibrationRun[] } {
  const spec = resolveModelSpec(query.family, query.config);
  if (query.phase !== "inference" && query.phase !== "training") throw new BenchInputError(["phase"], 'must be "inference" or "training"');
  if (!Number.isInteger(query.batchSize) || query.batchSize < 1 || query.batchSize > 4096) {
    throw new BenchInputError(["batchSize"], `${query.batchSize} is outside the limit [1, 4096]`, { min: 1, max: 4096 });
  }
  const available = new Set(runs.map((r) => r.scope));
  const scope: RunScope = query.scope ?? (available.has("per-core") ? "per-core" : "whole-machine");
  if (scope !== "per-core" && scope !== "whole-machine") throw new BenchInputError(["scope"], 'must be "per-core" or "whole-machine"');
  const scoped = runs.filter((r) => r.scope === scope);
  if (scoped.length < 2) throw new BenchInputError(["profile"], `the profile has ${scoped.length} stored run(s) with scope ${scope}; at least 2 are needed to predict`);
  return { spec, scope, scoped };
}

/**
 * Predict the step time and throughput of a configuration on the profile whose runs are given, with
 * an empirical 80% band (see the module comment). With sessions told apart, the prediction is at the
 * typical session speed (factor 1: the fit's coefficients, normalised to the median session), and the
 * band — leave-one-out ratios of runs whose session speed was known — does not include how far another
 * session's speed may differ: basis.speed and basis.sessionSpeedFactors say so. `looOfRuns`, when given, must return
 * leaveOneOut(runs) (a caller that keeps reports saves recomputing it; called only for valid input).
 * Throws BenchInputError naming the field.
 */
export function predict(query: PredictQuery, runs: readonly CalibrationRun[], looOfRuns?: () => LeaveOneOutReport): Prediction {
  const { spec, scope, scoped } = checkPredictQuery(query, runs);
  const fit = fitCalibration(runs, scope);
  const features = workFeatures(spec, query.phase, query.batchSize);
  const expectedS = predictSeconds(fit, spec.family, query.phase, features);

  // The band comes from the leave-one-out residuals of the same method and scope.
  const loo = looOfRuns ? looOfRuns() : leaveOneOut(runs);
  const scopeEntries = loo.entries.filter((e) => e.scope === scope);
  const familyEntries = scopeEntries.filter((e) => e.family === spec.family);
  const useFamily = familyEntries.length >= 4;
  const source = useFamily ? familyEntries : scopeEntries;
  const ratios = source
    .map((e) => e.measuredMs / e.predictedMs)
    .filter((r) => Number.isFinite(r) && r > 0)
    .sort((a, b) => a - b);
  const lowRatio = ratios.length > 0 ? Math.min(1, quantileSorted(ratios, 0.1)) : 1;
  const highRatio = ratios.length > 0 ? Math.max(1, quantileSorted(ratios, 0.9)) : 1;
  const stepTimeMs = { low: expectedS * 1000 * lowRatio, expected: expectedS * 1000, high: expectedS * 1000 * highRatio };
  const workers = scope === "whole-machine" ? Math.max(1, ...scoped.map((r) => r.workers)) : 1;
  const rate = (ms: number) => (workers * query.batchSize * 1000) / ms;
  const samplesPerS = { low: rate(stepTimeMs.high), expected: rate(stepTimeMs.expected), high: rate(stepTimeMs.low) };
  const tokens = tokensPerSample(spec);
  const outside = extrapolations(spec, query.phase, query.batchSize, scope, features, runs);
  const slowdowns = scoped.flatMap((r) => (r.typicalSlowdown !== undefined && Number.isFinite(r.typicalSlowdown) ? [r.typicalSlowdown] : []));
  return {
    family: spec.family,
    config: spec.config,
    phase: query.phase,
    batchSize: query.batchSize,
    scope,
    workers,
    features,
    stepTimeMs,
    typicalStepTimeMs: slowdowns.length > 0 ? stepTimeMs.expected * Math.max(1, median(slowdowns)) : null,
    samplesPerS,
    ...(tokens !== undefined
      ? { tokensPerS: { low: samplesPerS.low * tokens, expected: samplesPerS.expected * tokens, high: samplesPerS.high * tokens } }
      : {}),
    achievedFlopsPerS: (workers * features.flopsPerStep) / expectedS,
    extrapolation: outside,
    warnings: outside.map((e) => e.message),
    basis: {
      fit,
      familyHadRuns: fit.contractionFlopsPerS[groupOf(spec.family, query.phase)] !== undefined,
      bandFrom:
        ratios.length === 0
          ? "no leave-one-out residuals (fewer than 3 runs): no band"
          : `10th–90th percentile of leave-one-out measured/predicted ratios over ${source.length} ${useFamily ? `${spec.family} ` : ""}runs`,
      runIds: fit.runIds,
      speed: speedBasis(fit.sessionSpeedFactors),
      sessionSpeedFactors: fit.sessionSpeedFactors ?? {},
    },
  };
}

/** basis.speed: the machine speed a prediction is at, from the fit's session speed factors. */
function speedBasis(factors: Record<string, number> | undefined): string {
  const fs = Object.values(factors ?? {});
  if (fs.length === 0) {
    return `the speed the runs were measured at (no session speeds told apart: fewer than 2 sessions of ${MIN_SESSION_RUNS} or more runs in this scope)`;
  }
  const r = (x: number) => `${Math.round(x * 100) / 100}×`;
  return (
    `the typical session speed (speed factor 1, the median over ${fs.length} sessions); the sessions' steps took ` +
    `${r(Math.min(...fs))}–${r(Math.max(...fs))} the typical time, a spread the band (leave-one-out at each run's session speed) leaves out`
  );
}
