/**
 * Leave-one-out reports kept per set of runs: the accuracy and predict endpoints both need the
 * leave-one-out report of a profile's runs, which refits the calibration once per run (about a second
 * for 180 runs on one core; about 3× that when the runs come from several sessions: ~9 s for 500 runs
 * of 14 sessions). A report is keyed by the runs themselves (ids, configurations, scopes, step times
 * and sessions), so a stored, changed or deleted run can never be answered from a stale report.
 *
 * The service computes reports with cachedLeaveOneOutAsync, which gives the event loop back after every
 * refit (setImmediate), so other requests are answered while a large profile is evaluated; requests
 * for the same runs meanwhile share the one computation.
 */
import { createHash } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import { leaveOneOutSteps, type CalibrationRun, type LeaveOneOutReport } from "@modelplan/bench";

const MAX_ENTRIES = 32;
const reports = new Map<string, LeaveOneOutReport>();
const pending = new Map<string, Promise<LeaveOneOutReport>>();

export function runsKey(runs: readonly CalibrationRun[]): string {
  const h = createHash("sha256");
  for (const r of runs) h.update(JSON.stringify([r.id, r.family, r.config, r.phase, r.batchSize, r.scope, r.workers, r.stepTimeMs, r.session ?? null]) + "\n");
  return h.digest("hex");
}

function cached(key: string): LeaveOneOutReport | undefined {
  const hit = reports.get(key);
  if (hit) {
    reports.delete(key);
    reports.set(key, hit);
  }
  return hit;
}

function store(key: string, report: LeaveOneOutReport): void {
  reports.set(key, report);
  if (reports.size > MAX_ENTRIES) reports.delete(reports.keys().next().value!);
}

/**
 * leaveOneOut(runs), from the cache when the same runs were evaluated before (LRU of 32 reports),
 * else computed in turns: after every refit the event loop runs whatever else is waiting. Concurrent
 * calls for the same runs share one computation.
 */
export function cachedLeaveOneOutAsync(runs: readonly CalibrationRun[]): Promise<LeaveOneOutReport> {
  const key = runsKey(runs);
  const hit = cached(key);
  if (hit) return Promise.resolve(hit);
  const inFlight = pending.get(key);
  if (inFlight) return inFlight;
  const computation = (async () => {
    try {
      const steps = leaveOneOutSteps([...runs]);
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) {
          store(key, step.value);
          return step.value;
        }
        await nextTurn();
      }
    } finally {
      pending.delete(key);
    }
  })();
  pending.set(key, computation);
  return computation;
}

/** Entries held (for tests). */
export function cachedReportCount(): number {
  return reports.size;
}
