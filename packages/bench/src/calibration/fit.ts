/**
 * The step-time model at one machine speed (see index.ts for the model): fit the coefficients of one
 * scope by robust NNLS on relative error, derive the whole-machine fit from the per-core one and the
 * contention the whole-machine runs met, and predict a configuration's seconds per step. Pure.
 */
import type { ModelFamily } from "../families";
import type { Phase } from "../flops";
import type { RunScope } from "../results";
import { median } from "../stats";
import { groupOf, type Group, type Prepared, type WorkFeatures } from "./features";
import { robustNnls } from "./nnls";

export interface CalibrationFit {
  scope: RunScope;
  runIds: string[];
  /** τ: seconds per kernel launch of an inference step … */
  secondsPerKernel: number;
  /** … and of a training step (the gradient tape and gradient functions add JS work per kernel). */
  secondsPerKernelTraining: number;
  /** ρ: seconds per activation element. */
  secondsPerActivationElement: number;
  /** ω: seconds per weight element an inference step reads. */
  secondsPerWeightElementInference: number;
  /** π: seconds per parameter of a training step (optimiser traffic). */
  secondsPerParamTraining: number;
  /** κ: seconds per weight element packed by a product kernel, in an inference step … */
  secondsPerPackedElement: number;
  /** … and in a training step. */
  secondsPerPackedElementTraining: number;
  /** R per "family/phase" with runs (FLOP/s of contractions); Infinity when the fit put no time on contractions. */
  contractionFlopsPerS: Partial<Record<string, number>>;
  /** Median seconds per FLOP of the fitted runs: the fallback when the fit predicts no time at all. */
  fallbackSecondsPerFlop: number;
  /**
   * Whole-machine fits made from the per-core fit: the coefficients above are per-core, and a step of
   * one of the workers running together takes this factor × the per-core step time (per phase: the
   * median measured/per-core-predicted ratio of the profile's whole-machine runs of that phase).
   */
  contention?: { factorByPhase: Record<Phase, number>; runIds: string[] };
  /**
   * Speed factor of each session with MIN_SESSION_RUNS runs of this scope (see the module comment): its
   * runs of the scope took this × the step time this fit predicts, which describes the typical session
   * (median factor 1; a session not listed: 1). Absent when fewer than 2 sessions had MIN_SESSION_RUNS
   * runs of the scope: its runs were then fitted as taken at one speed.
   */
  sessionSpeedFactors?: Record<string, number>;
}

export function fitPrepared(rows: Prepared[], scope: RunScope): CalibrationFit {
  const groups = [...new Set(rows.map((r) => groupOf(r.run.family, r.run.phase)))];
  // Columns: K (inference / training), E, W (inference), P (training), Q (inference / training), then F
  // split per family and phase.
  const A = rows.map(({ run, features }) => {
    const t = run.stepTimeMs / 1000;
    const g = groupOf(run.family, run.phase);
    const inference = run.phase === "inference";
    return [
      inference ? features.kernelsPerStep / t : 0,
      inference ? 0 : features.kernelsPerStep / t,
      features.activationElementsPerStep / t,
      inference ? features.weightElementsPerStep / t : 0,
      inference ? 0 : features.paramElements / t,
      inference ? features.packedWeightElementsPerStep / t : 0,
      inference ? 0 : features.packedWeightElementsPerStep / t,
      ...groups.map((x) => (x === g ? features.flopsPerStep / t : 0)),
    ];
  });
  const ones = rows.map(() => 1);
  const theta = robustNnls(A, ones);
  const off = 7;
  const contraction: Partial<Record<Group, number>> = {};
  groups.forEach((g, i) => (contraction[g] = theta[off + i] > 0 ? 1 / theta[off + i] : Infinity));
  return {
    scope,
    runIds: rows.map((r) => r.run.id),
    secondsPerKernel: theta[0],
    secondsPerKernelTraining: theta[1],
    secondsPerActivationElement: theta[2],
    secondsPerWeightElementInference: theta[3],
    secondsPerParamTraining: theta[4],
    secondsPerPackedElement: theta[5],
    secondsPerPackedElementTraining: theta[6],
    contractionFlopsPerS: contraction,
    fallbackSecondsPerFlop: median(rows.map(({ run, features }) => run.stepTimeMs / 1000 / features.flopsPerStep)),
  };
}

/** The row with its step time divided by `divisor`. */
export function scaled(row: Prepared, divisor: number): Prepared {
  return divisor === 1 ? row : { ...row, run: { ...row.run, stepTimeMs: row.run.stepTimeMs / divisor } };
}

/** Per-core runs a whole-machine fit needs before it is made from the per-core fit (else: its own runs). */
export const MIN_PER_CORE_FOR_CONTENTION = 3;

/**
 * A whole-machine fit from the per-core fit and the contention the whole-machine runs met: workers
 * running together share caches, memory bandwidth and (under load) cores, which slows each worker's
 * step by a factor that depends far less on the model than the step time itself does.
 */
export function contentionFit(perCore: CalibrationFit, wholeRows: Prepared[]): CalibrationFit {
  const ratio = (rs: Prepared[]) => rs.map((o) => o.run.stepTimeMs / 1000 / predictSeconds(perCore, o.run.family, o.run.phase, o.features)).filter((x) => Number.isFinite(x) && x > 0);
  const all = ratio(wholeRows);
  const factorOf = (phase: Phase) => {
    const own = ratio(wholeRows.filter((o) => o.run.phase === phase));
    return own.length > 0 ? median(own) : all.length > 0 ? median(all) : 1;
  };
  return {
    ...perCore,
    scope: "whole-machine",
    runIds: [...new Set([...perCore.runIds, ...wholeRows.map((r) => r.run.id)])],
    contention: { factorByPhase: { inference: factorOf("inference"), training: factorOf("training") }, runIds: wholeRows.map((r) => r.run.id) },
  };
}

/**
 * Fit both scopes at one speed. With at least 3 per-core runs: fit the per-core runs; estimate the
 * contention factor per phase from the whole-machine runs; refit on the per-core runs and the
 * whole-machine runs divided by their phase's factor (a whole-machine run is one more measurement of its
 * configuration's cost); the whole-machine fit is that per-core fit × the contention factors re-estimated
 * against it. Otherwise each scope is fitted on its own runs.
 */
export function fitScopesAtOneSpeed(perCoreRows: Prepared[], wholeRows: Prepared[]): Partial<Record<RunScope, CalibrationFit>> {
  if (perCoreRows.length < MIN_PER_CORE_FOR_CONTENTION) {
    return {
      ...(perCoreRows.length > 0 ? { "per-core": fitPrepared(perCoreRows, "per-core") } : {}),
      ...(wholeRows.length > 0 ? { "whole-machine": fitPrepared(wholeRows, "whole-machine") } : {}),
    };
  }
  const first = fitPrepared(perCoreRows, "per-core");
  if (wholeRows.length === 0) return { "per-core": first };
  const factors = contentionFit(first, wholeRows).contention!.factorByPhase;
  const pooled = fitPrepared([...perCoreRows, ...wholeRows.map((r) => scaled(r, factors[r.run.phase]))], "per-core");
  return { "per-core": pooled, "whole-machine": contentionFit(pooled, wholeRows) };
}


/** Contraction rate of a group; for a group without runs, borrowed from the same family's other phase
 * scaled by the median training/inference rate ratio of the families that have both, else the median
 * rate of the phase over families. */
export function groupRate(fit: CalibrationFit, family: ModelFamily, phase: Phase): number {
  const rates = fit.contractionFlopsPerS as Partial<Record<Group, number>>;
  const own = rates[groupOf(family, phase)];
  if (own !== undefined) return own;
  const other: Phase = phase === "training" ? "inference" : "training";
  const ratios: number[] = [];
  for (const f of new Set(Object.keys(rates).map((k) => k.split("/")[0] as ModelFamily))) {
    const a = rates[groupOf(f, phase)];
    const b = rates[groupOf(f, other)];
    if (a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b)) ratios.push(a / b);
  }
  const sibling = rates[groupOf(family, other)];
  if (sibling !== undefined && Number.isFinite(sibling) && ratios.length > 0) return sibling * median(ratios);
  const samePhase = Object.entries(rates).filter(([k, v]) => k.endsWith(`/${phase}`) && Number.isFinite(v)).map(([, v]) => v as number);
  if (samePhase.length > 0) return median(samePhase);
  const all = Object.values(rates).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return all.length > 0 ? median(all) : Infinity;
}

export function predictSeconds(fit: CalibrationFit, family: ModelFamily, phase: Phase, f: WorkFeatures): number {
  const rate = groupRate(fit, family, phase);
  const inference = phase === "inference";
  const seconds =
    (inference ? fit.secondsPerKernel : fit.secondsPerKernelTraining) * f.kernelsPerStep +
    fit.secondsPerActivationElement * f.activationElementsPerStep +
    (inference ? fit.secondsPerPackedElement : fit.secondsPerPackedElementTraining) * f.packedWeightElementsPerStep +
    (inference ? fit.secondsPerWeightElementInference * f.weightElementsPerStep : fit.secondsPerParamTraining * f.paramElements) +
    (Number.isFinite(rate) ? f.flopsPerStep / rate : 0);
  // A fit on too few runs can put no time on anything this configuration has: fall back to time ∝ FLOPs.
  const perCore = seconds > 0 && Number.isFinite(seconds) ? seconds : fit.fallbackSecondsPerFlop * f.flopsPerStep;
  return perCore * (fit.contention?.factorByPhase[phase] ?? 1);
}
