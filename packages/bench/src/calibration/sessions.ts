/**
 * Session speed factors: runs measured together (one job, CLI suite or upload) share the speed the
 * machine had then. fitScopes alternates between the coefficients and one factor per session and scope;
 * fitCalibration is the public entry that fits a profile's runs with them. Pure.
 */
import { BenchInputError } from "../errors";
import type { RunScope } from "../results";
import { median } from "../stats";
import { prepare, type CalibrationRun, type Prepared } from "./features";
import { fitScopesAtOneSpeed, predictSeconds, scaled, type CalibrationFit } from "./fit";

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

export const sessionOf = (run: CalibrationRun): string => run.session ?? NO_SESSION;
const factorOf = (factors: SessionFactors, run: CalibrationRun): number => factors[run.scope]?.[sessionOf(run)] ?? 1;


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
 * Fit both scopes (fitScopesAtOneSpeed) and, where a scope has at least 2 sessions of MIN_SESSION_RUNS
 * runs, the sessions' speed factors by alternation: each session's factor in each scope = the median of
 * measured ÷ predicted over its runs of the scope (a whole-machine run's prediction includes its contention
 * factor), normalised to a median of 1 over the scope's sessions; refit both scopes on every run's time ÷
 * its factor; SESSION_PASSES times. The factors returned are re-estimated against the last fits. Each pass
 * refits both scopes in full, so that the per-core fit the contention factors are estimated against is
 * itself at one speed (re-estimating only the contention factors against the pooled fit needed ~8 passes
 * to converge on noiseless runs, instead of 1).
 */
export function fitScopes(perCoreRows: Prepared[], wholeRows: Prepared[]): Partial<Record<RunScope, CalibrationFit>> {
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
