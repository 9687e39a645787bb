/**
 * Calibration: predict the step time of a model configuration on a measured hardware profile from
 * the profile's stored runs, report how accurate such predictions have been (leave-one-out), and
 * describe the profile as an accelerator for the estimator. Pure: no I/O.
 *
 * Model — a roofline-style sum of the costs a TensorFlow.js step pays, fitted per profile and scope:
 *
 *   t_step = τ_phase · K  +  F / R(family, phase)  +  ρ · E  +  κ_phase · Q
 *            +  (inference: ω · W | training: π · P)
 *
 *   K  kernel launches per step (exact, flops.ts kernelsPerStep): a fixed dispatch cost per kernel,
 *      larger in training (gradient tape, gradient functions), which dominates small models and
 *      batch-1 latency;
 *   F  contraction FLOPs per step (exact, flops.ts), executed at the achieved contraction rate of the
 *      family and phase (dense, convolution, recurrent and attention products, forward or backward,
 *      reach different fractions of the matmul ceiling);
 *   E  activation elements touched per step (activations × batch, ×3 for training): memory-bound
 *      elementwise work;
 *   W  weight elements an inference step reads (dense weights once, embedding rows looked up): what
 *      bounds batch-1 inference; P parameters, which the optimiser reads and writes every training step;
 *   Q  weight-matrix elements the product kernels pack per step (flops.ts packedWeightElementsPerStep):
 *      the wasm backend keeps a product's packed weights per tensor, so they are packed again whenever
 *      the weights arrive as a new tensor — in inference only where a layer copies or transposes its
 *      kernel on every call (GAN's transposed convolutions, GPT's Dense layers on 3-D input), in
 *      training for every weight matrix (the optimiser's update is a new tensor; input gradients
 *      multiply by transposed weights). A cost per step that does not shrink with the batch: without
 *      it, the shared τ and π predicted batch-1 GAN and GPT inference 32–43% and 14–35% too low and the
 *      smaller training batch of the MLP (dense weights) up to 29% too low and of the text classifier
 *      (mostly an embedding table, which no product packs) up to 34% too high on 8 quick suites; with
 *      it the leave-one-out median error of those suites went from 4.8–11.4% (mean 6.9%) to
 *      4.7–10.6% (mean 6.0%) (README).
 *
 * The coefficients are non-negative and fitted on relative error (each run's equation divided by its
 * measured time, so small and large steps weigh the same) by robustNnls: non-negative least squares
 * reweighted towards least absolute error, so that a run disturbed by other programs on a shared
 * machine does not pull the coefficients every other prediction uses. On 5 quick suites of this
 * 2-core machine the robust fit took the leave-one-out median error from 11.1% to 9.5% (README).
 * The time fitted is each run's calibrated step time (calibration-input.ts: the 10th percentile of
 * its wall-clock steps, the cost when nothing else delays the step); a prediction also gives the
 * typical time, × the median slowdown (median ÷ 10th percentile) of the profile's runs.
 *
 * Sessions: runs measured together (one job, CLI suite or upload: CalibrationRun.session) share the speed
 * the shared machine had then, which differs between sessions even at the 10th percentile (host
 * contention lasting minutes: of three consecutive quick suites here, two ran 1.47× and 1.21× as long as
 * the third). The model is t_run = s_session,scope × (the step time above). Where a scope has at least 2
 * sessions of MIN_SESSION_RUNS runs, the coefficients and the factors s are fitted by alternation: fit with
 * every s = 1; s = the median of measured ÷ predicted over the session's runs of the scope; refit on
 * measured ÷ s (SESSION_PASSES times). The factors are normalised so that their median over the scope's
 * sessions is 1: the coefficients, and so every prediction, describe the machine at its typical session
 * speed (CalibrationFit.sessionSpeedFactors lists the factors). A session with fewer runs in a scope keeps
 * factor 1 there; with a single session the fit is exactly the plain one. A session has a factor per scope:
 * per-core and whole-machine runs met the host's contention differently (one suite here: 1.48× and 1.22×
 * the typical time); one factor for both scopes did as well or up to 0.5 points worse (README).
 * Leave-one-out predicts a run × its session's factor as fitted without the run. Pooled leave-one-out
 * median of the stored quick suites (README), without → with sessions: 3 suites of which two ran slow
 * 21.1 → 11.8%, 11 suites 6.9 → 4.7%, 8 quiet ones 4.5 → 3.7%, 3 quiet ones 6.0 → 5.7%. Each pass refits
 * both scopes, so a leave-one-out report over several sessions takes about 3× as long.
 *
 * Scopes: a whole-machine run (all workers at once) measures the same configuration's cost under the
 * contention of the other workers. With at least 3 per-core runs, the whole-machine runs join the
 * per-core fit divided by their phase's contention factor (median measured ÷ per-core prediction of the
 * whole-machine runs of that phase), and a whole-machine prediction is the per-core one × that factor.
 * Measured on 4 quick-suite runs (README), this took the median leave-one-out error from 18–40% to 12–16%
 * (a whole-machine run of the quick suite has no other run of its family, phase and scope). A family and
 * phase without runs borrows the family's other phase scaled by the median training/inference rate
 * ratio of the families that have both, else the median rate of the phase. The band around a prediction
 * is the 10th–90th percentile of the leave-one-out ratios measured/predicted of the family (of all runs
 * when the family has fewer than 4).
 */
import { BenchInputError } from "./errors";
import { resolveModelSpec, tokensPerSample, type ModelFamily, type ModelSpec } from "./families";
import {
  activationElementsPerSample,
  flopsPerStep,
  kernelsPerStep,
  packedWeightElementsPerStep,
  paramCount,
  weightElementsPerStep,
  type Phase,
} from "./flops";
import type { RunScope } from "./results";
import { median, quantileSorted } from "./stats";

/** One stored run, as calibration needs it. */
export interface CalibrationRun {
  id: string;
  family: ModelFamily;
  config: unknown;
  phase: Phase;
  batchSize: number;
  scope: RunScope;
  /** Worker processes that ran at once (whole-machine runs): throughput = workers × batch / step time. */
  workers: number;
  /** Calibrated step time of one worker (calibration-input.ts: the 10th percentile of its wall-clock steps). */
  stepTimeMs: number;
  /** Measured median ÷ calibrated step time of the run (≥ 1): how much the machine typically delayed it. */
  typicalSlowdown?: number;
  /**
   * The runs measured together (one job, CLI suite or upload): they share the machine's speed of that
   * moment, which a shared machine changes from one session to the next (see the module comment). Runs
   * without a session form one session (keyed NO_SESSION).
   */
  session?: string;
}

export interface WorkFeatures {
  kernelsPerStep: number;
  flopsPerStep: number;
  activationElementsPerStep: number;
  /** Parameters (read and updated by the optimiser in training). */
  paramElements: number;
  /** Weight elements one step reads (flops.ts weightElementsPerStep). */
  weightElementsPerStep: number;
  /** Weight-matrix elements the product kernels pack per step (flops.ts packedWeightElementsPerStep). */
  packedWeightElementsPerStep: number;
}

export function workFeatures(spec: ModelSpec, phase: Phase, batchSize: number): WorkFeatures {
  return {
    kernelsPerStep: kernelsPerStep(spec, phase),
    flopsPerStep: flopsPerStep(spec, phase, batchSize),
    activationElementsPerStep: activationElementsPerSample(spec) * batchSize * (phase === "training" ? 3 : 1),
    paramElements: paramCount(spec),
    weightElementsPerStep: weightElementsPerStep(spec, phase, batchSize),
    packedWeightElementsPerStep: packedWeightElementsPerStep(spec, phase),
  };
}

/**
 * Non-negative least squares min ‖Ax − b‖, x ≥ 0 (Lawson & Hanson, Solving Least Squares Problems,
 * 1974, ch. 23, algorithm NNLS).
 */
export function nnls(A: number[][], b: number[], maxIter = 200, weights?: readonly number[]): number[] {
  const m = A.length;
  const n = A[0]?.length ?? 0;
  // Everything below needs only AᵀWA and AᵀWb (n × n, n; W = diag(weights), default I): form them once.
  const AtA = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const Atb = new Array<number>(n).fill(0);
  let maxA = 1e-300;
  let maxB = 1e-300;
  for (let i = 0; i < m; i++) {
    const row = A[i];
    const w = weights ? weights[i] : 1;
    const sw = Math.sqrt(w);
    maxB = Math.max(maxB, Math.abs(b[i]) * sw);
    for (let j = 0; j < n; j++) {
      const a = row[j];
      if (a === 0) continue;
      maxA = Math.max(maxA, Math.abs(a) * sw);
      const wa = w * a;
      Atb[j] += wa * b[i];
      for (let k = j; k < n; k++) AtA[j][k] += wa * row[k];
    }
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) AtA[j][k] = AtA[k][j];
  const x = new Array<number>(n).fill(0);
  const passive = new Array<boolean>(n).fill(false);
  // Gradient of ½‖Ax − b‖² with the sign flipped: Aᵀ(b − Ax) = Aᵀb − AᵀA x.
  const gradient = () => Atb.map((v, j) => v - AtA[j].reduce((s, a, k) => s + a * x[k], 0));
  const solvePassive = (): number[] => {
    const idx = passive.flatMap((p, j) => (p ? [j] : []));
    const z = new Array<number>(n).fill(0);
    if (idx.length === 0) return z;
    // Normal equations on the passive columns, solved by Gaussian elimination with partial pivoting.
    const k = idx.length;
    const M = idx.map((j1) => idx.map((j2) => AtA[j1][j2]));
    const v = idx.map((j) => Atb[j]);
    for (let c = 0; c < k; c++) {
      let p = c;
      for (let r = c + 1; r < k; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
      [M[c], M[p]] = [M[p], M[c]];
      [v[c], v[p]] = [v[p], v[c]];
      const piv = M[c][c];
      if (Math.abs(piv) < 1e-300) continue;
      for (let r = c + 1; r < k; r++) {
        const f = M[r][c] / piv;
        for (let cc = c; cc < k; cc++) M[r][cc] -= f * M[c][cc];
        v[r] -= f * v[c];
      }
    }
    const sol = new Array<number>(k).fill(0);
    for (let r = k - 1; r >= 0; r--) {
      let s = v[r];
      for (let cc = r + 1; cc < k; cc++) s -= M[r][cc] * sol[cc];
      sol[r] = Math.abs(M[r][r]) < 1e-300 ? 0 : s / M[r][r];
    }
    idx.forEach((j, t) => (z[j] = sol[t]));
    return z;
  };
  const scale = maxA * maxB;
  const tol = 1e-12 * scale * m;
  for (let iter = 0; iter < maxIter; iter++) {
    const w = gradient();
    let best = -1;
    for (let j = 0; j < n; j++) if (!passive[j] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j;
    if (best < 0) break;
    passive[best] = true;
    for (let inner = 0; inner < maxIter; inner++) {
      const z = solvePassive();
      if (passive.every((p, j) => !p || z[j] > 0)) {
        for (let j = 0; j < n; j++) x[j] = passive[j] ? z[j] : 0;
        break;
      }
      let alpha = Infinity;
      for (let j = 0; j < n; j++) if (passive[j] && z[j] <= 0) alpha = Math.min(alpha, x[j] / (x[j] - z[j]));
      for (let j = 0; j < n; j++) {
        x[j] += alpha * (z[j] - x[j]);
        if (passive[j] && x[j] <= 1e-300) {
          passive[j] = false;
          x[j] = 0;
        }
      }
    }
  }
  return x;
}

/**
 * Iteratively reweighted NNLS towards least absolute error: each pass weighs every equation by
 * 1/max(|residual|, δ) (rows scaled by the square root), so that a few runs disturbed by other programs
 * do not pull the fit away from the rest (L1 regression by IRLS, Schlossmacher 1973; δ = 2% keeps
 * well-fitted runs from dominating). Four passes: more changed the leave-one-out error by < 0.3 points.
 */
export function robustNnls(A: number[][], b: number[], passes = 4, delta = 0.02): number[] {
  let x = nnls(A, b);
  const w = new Array<number>(A.length);
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < A.length; i++) {
      const row = A[i];
      let r = -b[i];
      for (let j = 0; j < row.length; j++) r += row[j] * x[j];
      w[i] = 1 / Math.max(Math.abs(r), delta);
    }
    x = nnls(A, b, 200, w);
  }
  return x;
}

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

interface Prepared {
  run: CalibrationRun;
  features: WorkFeatures;
}

function prepare(runs: readonly CalibrationRun[]): Prepared[] {
  return runs.map((run) => {
    const spec = resolveModelSpec(run.family, run.config);
    return { run, features: workFeatures(spec, run.phase, run.batchSize) };
  });
}

type Group = `${ModelFamily}/${Phase}`;
const groupOf = (family: ModelFamily, phase: Phase): Group => `${family}/${phase}`;

function fitPrepared(rows: Prepared[], scope: RunScope): CalibrationFit {
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

/** Per-core runs a whole-machine fit needs before it is made from the per-core fit (else: its own runs). */
const MIN_PER_CORE_FOR_CONTENTION = 3;

/**
 * A whole-machine fit from the per-core fit and the contention the whole-machine runs met: workers
 * running together share caches, memory bandwidth and (under load) cores, which slows each worker's
 * step by a factor that depends far less on the model than the step time itself does.
 */
function contentionFit(perCore: CalibrationFit, wholeRows: Prepared[]): CalibrationFit {
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

/** Key of the runs without a session (they form one session). */
export const NO_SESSION = "(none)";
/**
 * Runs a session needs in a scope before its speed factor in that scope is estimated; a session with
 * fewer is taken at the typical speed (factor 1): the median of 1–3 ratios measured/predicted would
 * carry those configurations' model error into the factor.
 */
export const MIN_SESSION_RUNS = 4;
/**
 * Alternations between the coefficients and the session speed factors. On the stored quick suites pooled
 * (.tmp/cal/sessions.ts) one pass left the 3 suites of different speeds at 13.5% (2 passes: 11.8%); a third
 * moved the leave-one-out medians by −0.2 to +0.1 points for 4/3 the time. On noiseless synthetic runs the
 * per-core fit is exact after one pass; the whole-machine runs' contention and session factors, which
 * share a scale, converge about 7× per pass (test/calibration.test.ts).
 */
const SESSION_PASSES = 2;

/** Speed factors per scope and session (a session not listed: 1). */
type SessionFactors = Partial<Record<RunScope, Record<string, number>>>;

const sessionOf = (run: CalibrationRun): string => run.session ?? NO_SESSION;
const factorOf = (factors: SessionFactors, run: CalibrationRun): number => factors[run.scope]?.[sessionOf(run)] ?? 1;

/** The row with its step time divided by `divisor`. */
function scaled(row: Prepared, divisor: number): Prepared {
  return divisor === 1 ? row : { ...row, run: { ...row.run, stepTimeMs: row.run.stepTimeMs / divisor } };
}

/** Sessions with at least MIN_SESSION_RUNS of the rows. */
function estimableSessions(rows: readonly Prepared[]): Set<string> {
  const counts = new Map<string, number>();
  for (const { run } of rows) counts.set(sessionOf(run), (counts.get(sessionOf(run)) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => n >= MIN_SESSION_RUNS).map(([s]) => s));
}

/**
 * Speed factor of each of `sessions` (at least 2, else none): the median over its rows of measured ÷
 * predicted (predicted: the seconds at the typical speed), normalised so that the median factor over the
 * sessions is 1.
 */
function sessionFactors(rows: readonly Prepared[], predictedS: (row: Prepared) => number, sessions: ReadonlySet<string>): Record<string, number> {
  if (sessions.size < 2) return {};
  const ratios = new Map<string, number[]>();
  for (const row of rows) {
    const s = sessionOf(row.run);
    if (!sessions.has(s)) continue;
    const x = row.run.stepTimeMs / 1000 / predictedS(row);
    if (!(Number.isFinite(x) && x > 0)) continue;
    const xs = ratios.get(s);
    if (xs) xs.push(x);
    else ratios.set(s, [x]);
  }
  const raw = [...ratios].map(([s, xs]) => [s, median(xs)] as const);
  if (raw.length < 2) return {};
  const typical = median(raw.map(([, f]) => f));
  return Object.fromEntries(raw.map(([s, f]) => [s, f / typical]));
}

/**
 * Fit both scopes at one speed. With at least 3 per-core runs: fit the per-core runs; estimate the
 * contention factor per phase from the whole-machine runs; refit on the per-core runs and the
 * whole-machine runs divided by their phase's factor (a whole-machine run is one more measurement of its
 * configuration's cost); the whole-machine fit is that per-core fit × the contention factors re-estimated
 * against it. Otherwise each scope is fitted on its own runs.
 */
function fitScopesAtOneSpeed(perCoreRows: Prepared[], wholeRows: Prepared[]): Partial<Record<RunScope, CalibrationFit>> {
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

/**
 * Fit both scopes (fitScopesAtOneSpeed) and, where a scope has at least 2 sessions of MIN_SESSION_RUNS
 * runs, the sessions' speed factors by alternation: each session's factor in each scope = the median of
 * measured ÷ predicted over its runs of the scope (a whole-machine run's prediction includes its contention
 * factor), normalised to a median of 1 over the scope's sessions; refit both scopes on every run's time ÷
 * its factor; SESSION_PASSES times. The factors returned are re-estimated against the last fits. Each pass
 * refits both scopes in full, so that the per-core fit the contention factors are estimated against is
 * itself at one speed (re-estimating only the contention factors against the pooled fit needed ~8 passes
 * to converge on noiseless runs, instead of 1).
 */
function fitScopes(perCoreRows: Prepared[], wholeRows: Prepared[]): Partial<Record<RunScope, CalibrationFit>> {
  let fits = fitScopesAtOneSpeed(perCoreRows, wholeRows);
  const sessions = { "per-core": estimableSessions(perCoreRows), "whole-machine": estimableSessions(wholeRows) };
  if (sessions["per-core"].size < 2 && sessions["whole-machine"].size < 2) return fits;
  const predictedS = (r: Prepared) => predictSeconds(fits[r.run.scope]!, r.run.family, r.run.phase, r.features);
  const estimate = (): SessionFactors => ({
    "per-core": sessionFactors(perCoreRows, predictedS, sessions["per-core"]),
    "whole-machine": sessionFactors(wholeRows, predictedS, sessions["whole-machine"]),
  });
  const atTypicalSpeed = (rows: Prepared[], sf: SessionFactors) => rows.map((r) => scaled(r, factorOf(sf, r.run)));
  for (let pass = 0; pass < SESSION_PASSES; pass++) {
    const sf = estimate();
    fits = fitScopesAtOneSpeed(atTypicalSpeed(perCoreRows, sf), atTypicalSpeed(wholeRows, sf));
  }
  const sf = estimate();
  const out: Partial<Record<RunScope, CalibrationFit>> = {};
  for (const scope of ["per-core", "whole-machine"] as const) {
    const fit = fits[scope];
    const own = sf[scope]!;
    if (fit) out[scope] = Object.keys(own).length > 0 ? { ...fit, sessionSpeedFactors: own } : fit;
  }
  return out;
}

/**
 * Fit the model on a profile's ok runs for one scope (see fitScopes: with at least 3 per-core runs,
 * per-core and whole-machine runs inform one fit, whole-machine predictions carry a contention factor).
 */
export function fitCalibration(runs: readonly CalibrationRun[], scope: RunScope): CalibrationFit {
  const rows = prepare(runs.filter((r) => r.scope === scope));
  if (rows.length === 0) throw new BenchInputError(["scope"], `no stored runs with scope ${scope} in this profile`);
  const fits = fitScopes(prepare(runs.filter((r) => r.scope === "per-core")), prepare(runs.filter((r) => r.scope === "whole-machine")));
  return fits[scope]!;
}

/** Contraction rate of a group; for a group without runs, borrowed from the same family's other phase
 * scaled by the median training/inference rate ratio of the families that have both, else the median
 * rate of the phase over families. */
function groupRate(fit: CalibrationFit, family: ModelFamily, phase: Phase): number {
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

function predictSeconds(fit: CalibrationFit, family: ModelFamily, phase: Phase, f: WorkFeatures): number {
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
}

function summarizeErrors(entries: LooEntry[]): ErrorSummary {
  if (entries.length === 0) return { n: 0, medianAbsError: null, worstAbsError: null };
  const abs = entries.map((e) => Math.abs(e.relativeError));
  return { n: entries.length, medianAbsError: median(abs), worstAbsError: Math.max(...abs) };
}

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
  return { overall: summarizeErrors(entries), byFamily, byScope, entries, method: LOO_METHOD };
}

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

/** A profile's measured ceilings, as stored with its runs. */
export interface ProfileCeilings {
  id: string;
  name: string;
  kind: "gpu" | "cpu";
  /** Matmul ceiling (float32) of the whole machine, from the probe run. */
  matmulFlopsPerS: number;
  matmulRunId: string;
  /** Elementwise memory bandwidth measured by the bandwidth probe (whole machine). */
  bandwidthBytesPerS?: number;
  bandwidthRunId?: string;
  memoryBytes: number;
  measuredAt: string;
}

/** The estimator's explicit-accelerator shape (packages/estimator AcceleratorSpec), structurally. */
export interface MeasuredAccelerator {
  id: string;
  name: string;
  kind: "gpu" | "cpu";
  peakFlopsPerS: { fp32: number };
  memoryBytes: number;
  memoryBandwidthBytesPerS: number;
  utilisation: { compute: Band & { source: string } };
  source: string;
}

/**
 * Describe a measured profile as an accelerator: peak = the whole-machine float32 matmul ceiling,
 * utilisation band = 10th / 50th / 90th percentile of achieved FLOP/s ÷ that ceiling over the
 * profile's whole-machine runs of the phase (falling back to per-core runs ÷ the per-core share when
 * the profile has no whole-machine runs). Needs a bandwidth figure: measured, or else the caller's.
 */
export function profileAsAccelerator(
  profile: ProfileCeilings,
  runs: readonly (CalibrationRun & { achievedFlopsPerS: number; fractionOfCeiling?: number })[],
  phase: Phase,
): MeasuredAccelerator {
  if (!(profile.matmulFlopsPerS > 0)) throw new BenchInputError(["profile"], "the profile has no matmul ceiling");
  if (!(profile.bandwidthBytesPerS && profile.bandwidthBytesPerS > 0)) throw new BenchInputError(["profile"], "the profile has no memory-bandwidth measurement");
  const whole = runs.filter((r) => r.phase === phase && r.scope === "whole-machine");
  const chosen = whole.length > 0 ? whole : runs.filter((r) => r.phase === phase);
  if (chosen.length === 0) throw new BenchInputError(["profile"], `the profile has no ${phase} runs`);
  const fractions = chosen
    .map((r) => (r.fractionOfCeiling !== undefined ? r.fractionOfCeiling : r.achievedFlopsPerS / profile.matmulFlopsPerS))
    .filter((x) => x > 0)
    .sort((a, b) => a - b);
  // A run can beat a ceiling probed under more contention than it met: utilisation is capped at 1.
  const cap = (x: number) => Math.min(1, x);
  const band = { low: cap(quantileSorted(fractions, 0.1)), expected: cap(quantileSorted(fractions, 0.5)), high: cap(quantileSorted(fractions, 0.9)) };
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
    `${phase} utilisation = p10/p50/p90 of achieved/peak over ${ids.length} runs: ${cited}${fractions.some((f) => f > 1) ? " (capped at 1)" : ""}`;
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
