/**
 * Leave-one-out reports kept per set of runs: the accuracy and predict endpoints both need the
 * leave-one-out report of a profile's runs, which refits the calibration once per run (about a second
 * for 180 runs on one core; about 3× that when the runs come from several sessions). A report is
 * keyed by the runs themselves (ids, configurations, scopes, step times and sessions), so a stored,
 * changed or deleted run can never be answered from a stale report.
 */
import { createHash } from "node:crypto";
import { leaveOneOut, type CalibrationRun, type LeaveOneOutReport } from "@modelplan/bench";

const MAX_ENTRIES = 32;
const reports = new Map<string, LeaveOneOutReport>();

export function runsKey(runs: readonly CalibrationRun[]): string {
  const h = createHash("sha256");
  for (const r of runs) h.update(JSON.stringify([r.id, r.family, r.config, r.phase, r.batchSize, r.scope, r.workers, r.stepTimeMs, r.session ?? null]) + "\n");
  return h.digest("hex");
}

/** leaveOneOut(runs), from the cache when the same runs were evaluated before (LRU of 32 reports). */
export function cachedLeaveOneOut(runs: readonly CalibrationRun[]): LeaveOneOutReport {
  const key = runsKey(runs);
  const hit = reports.get(key);
  if (hit) {
    reports.delete(key);
    reports.set(key, hit);
    return hit;
  }
  const report = leaveOneOut(runs);
  reports.set(key, report);
  if (reports.size > MAX_ENTRIES) reports.delete(reports.keys().next().value!);
  return report;
}

/** Entries held (for tests). */
export function cachedReportCount(): number {
  return reports.size;
}
