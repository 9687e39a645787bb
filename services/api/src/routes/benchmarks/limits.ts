/**
 * What one caller can make the benchmark routes do: the documented limits (docs/security.md).
 *
 * Calibration fitting is the CPU-heavy part: a leave-one-out report refits the model once per run, so
 * its cost grows with the square of a profile's runs, and about 3× when the runs come from several
 * sessions (`npx tsx scripts/fit-cost.ts`; on the 2-core development VM under a load average of 17,
 * one core: 250 runs 1.1 s, 500 runs of 2 sessions 8.3 s, docs/security.md). The caps keep the largest profile's report
 * inside the time budget on a busy machine, and the fitting runs in worker threads (fitting.ts), never
 * on the event loop.
 */
import type { JobQueueOptions } from "@modelplan/bench";

export interface BenchmarkLimits {
  /** Runs (ok and failed) one hardware profile may hold; an upload or a job beyond it is refused. */
  maxRunsPerProfile: number;
  /** Runs one POST /v1/benchmarks/results may carry. */
  maxRunsPerUpload: number;
  /** Runs (ok and failed) one workspace may hold over all its hardware profiles (a storage quota: 429 beyond). */
  maxRunsPerWorkspace: number;
  /** Wall-clock budget of one fitting computation (leave-one-out or prediction) on its worker thread. */
  fitTimeBudgetMs: number;
  /** Fitting computations one workspace may have waiting or running at once (beyond: 429). */
  maxFitsInFlightPerWorkspace: number;
  /** Fitting computations waiting for a worker thread, all workspaces together (beyond: 503). */
  maxFitsQueued: number;
  /** Jobs one workspace may have queued or running (beyond: 429). */
  maxJobsPerWorkspace: number;
  /** Jobs queued or running on this service, all workspaces together (beyond: 429). */
  maxJobsQueued: number;
  /** Wall-clock cap of one benchmark job, from its start; then it is stopped and marked failed. */
  jobTimeCapMs: number;
}

export const DEFAULT_BENCHMARK_LIMITS: Readonly<BenchmarkLimits> = Object.freeze({
  maxRunsPerProfile: 500,
  maxRunsPerUpload: 250,
  maxRunsPerWorkspace: 5000,
  fitTimeBudgetMs: 60_000,
  maxFitsInFlightPerWorkspace: 2,
  maxFitsQueued: 8,
  maxJobsPerWorkspace: 3,
  maxJobsQueued: 16,
  jobTimeCapMs: 40 * 60_000,
});

/** Retry-After of a refused job submission (s): jobs last minutes; poll your jobs meanwhile. */
export const JOB_QUEUE_RETRY_AFTER_S = 60;
/** Retry-After of a refused or timed-out fit (s). */
export const FIT_RETRY_AFTER_S = 5;

const overrides = new WeakMap<object, Partial<BenchmarkLimits>>();

/**
 * Limits of one service (keyed by its database handle): the defaults, or what a test or an operator's
 * start-up code set with setBenchmarkLimits before the first request.
 */
export function benchmarkLimits(sqlite: object): BenchmarkLimits {
  return { ...DEFAULT_BENCHMARK_LIMITS, ...overrides.get(sqlite) };
}

export function setBenchmarkLimits(sqlite: object, limits: Partial<BenchmarkLimits>): void {
  overrides.set(sqlite, { ...overrides.get(sqlite), ...limits });
}

/** The job queue's share of the limits. */
export function jobQueueLimits(limits: BenchmarkLimits): Pick<JobQueueOptions, "maxPendingPerOwner" | "maxPending" | "jobTimeCapMs"> {
  return { maxPendingPerOwner: limits.maxJobsPerWorkspace, maxPending: limits.maxJobsQueued, jobTimeCapMs: limits.jobTimeCapMs };
}
