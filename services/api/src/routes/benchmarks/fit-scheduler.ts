/**
 * The fitting scheduler: leave-one-out reports and predictions on worker threads, through the service's
 * generic scheduler (lib/work-scheduler.ts: shared computations, per-workspace and global caps,
 * round-robin between workspaces, a time budget, cancellation when the callers go away). fitting.ts is
 * its one user.
 */
import { WORK_THREADS, WorkScheduler, workerEntry } from "../../lib/work-scheduler";
import type { FittingResult, FittingTask } from "./fitting.worker";
import { FIT_RETRY_AFTER_S, type BenchmarkLimits } from "./limits";

/** Worker threads for fitting: the cores less one for the event loop, at least 1, at most 2. */
export const FIT_THREADS = WORK_THREADS;

// From the sources the TypeScript worker with tsx; from the build the bundled fitting-worker.js beside server.js.
const scheduler = new WorkScheduler<FittingTask, FittingResult>({
  ...workerEntry(import.meta.url, "./fitting.worker.ts", "./fitting-worker.js"),
  threads: FIT_THREADS,
  isStopped: (r) => r.kind === "stopped",
  words: {
    plural: "calibration fits",
    budgetName: "fitTimeBudgetMs",
    inFlightName: "maxFitsInFlightPerWorkspace",
    queuedName: "maxFitsQueued",
    overBudgetHint:
      "A profile's fit grows with the square of its runs: delete runs (DELETE /v1/benchmarks/runs/{id}), or retry when the service is less busy.",
    retryAfterS: FIT_RETRY_AFTER_S,
  },
});

/** Stops the fitting threads (shutdown, tests); the next fit starts a new pool. */
export function closeFittingPool(): Promise<void> {
  return scheduler.close();
}

/** Counts of computations started, completed and stopped; those in flight and waiting now. */
export function fittingStats() {
  return scheduler.stats();
}

/**
 * The result of `task` for `key`: joins a computation in flight for the same key, or queues one
 * (refused with 429/503 past the bounds). Rejects with the budget's 503, or with a 503 saying the
 * caller went away (an answer nobody reads).
 */
export function compute(key: string, workspaceId: string, task: () => FittingTask, limits: BenchmarkLimits, signal: AbortSignal | undefined, what: string): Promise<FittingResult> {
  return scheduler.run(key, workspaceId, task, { budgetMs: limits.fitTimeBudgetMs, maxInFlightPerWorkspace: limits.maxFitsInFlightPerWorkspace, maxQueued: limits.maxFitsQueued }, signal, what);
}
