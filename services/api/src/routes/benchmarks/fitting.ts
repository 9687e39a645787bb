/**
 * Calibration fitting off the event loop: leave-one-out reports (GET /v1/hardware-profiles/{id}/accuracy)
 * and predictions (POST /v1/benchmarks/predict) are computed in a small pool of worker threads
 * (piscina), bounded in time and in number, and cached per profile version.
 *
 * - Worker threads: at most FIT_THREADS (cores − 1, at least 1, at most 2), so a core is left to the
 *   event loop, which keeps answering every other request while a large profile is fitted.
 * - Time budget: a computation still running `fitTimeBudgetMs` after a thread took it is stopped (its
 *   thread terminated) and its callers get 503 problem+json of type /problems/time-budget-exceeded
 *   naming the budget. Waiting for a thread is bounded by the caps below and the round-robin.
 * - Fairness: waiting computations get threads the workspaces in turn (round-robin), so one workspace's
 *   backlog delays another's fit by at most the fits already running.
 * - Cancellation: callers asking for the same computation share it; when every one of them has gone
 *   away (closed the connection), the computation is stopped too.
 * - Bounds: one workspace may have `maxFitsInFlightPerWorkspace` computations waiting or running (429
 *   beyond), and at most `maxFitsQueued` wait for a thread, all workspaces together (503 beyond).
 * - Cache: reports and predictions are kept per profile version (the hash of the profile's ok run ids,
 *   repository.calibrationVersion): a stored or deleted run gives a new version, never a stale answer.
 */
import type { CalibrationRun, LeaveOneOutReport, PredictQuery, Prediction } from "@modelplan/bench";
import { compute } from "./fit-scheduler";
import type { BenchmarkLimits } from "./limits";

export { FIT_THREADS, closeFittingPool, fittingStats } from "./fit-scheduler";

// ---------------------------------------------------------------- caches

/** A small LRU: reports and predictions per profile version. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  get size(): number {
    return this.map.size;
  }
}

const reports = new Lru<LeaveOneOutReport>(32);
const predictions = new Lru<Prediction>(256);
/** Calibration input per version: a prediction's checks need the runs, parsed once per version. */
const inputs = new Lru<CalibrationRun[]>(8);

/** Entries held (for tests). */
export function cachedFitCounts(): { reports: number; predictions: number; inputs: number } {
  return { reports: reports.size, predictions: predictions.size, inputs: inputs.size };
}

/** A profile version's calibration runs: `read()` once per version while it stays cached. */
export async function calibrationInput(version: string, read: () => Promise<CalibrationRun[]>): Promise<CalibrationRun[]> {
  const hit = inputs.get(version);
  if (hit) return hit;
  const runs = await read();
  inputs.set(version, runs);
  return runs;
}

export interface FitRequest {
  /** The profile's calibration version (repository.calibrationVersion). */
  version: string;
  workspaceId: string;
  /** Reads the profile's runs; called only when the answer is not cached. */
  runs: () => Promise<CalibrationRun[]>;
  limits: BenchmarkLimits;
  /** Aborts when the caller went away. */
  signal?: AbortSignal;
}

/** The leave-one-out report of a profile version, cached, else computed in a worker thread. */
export async function leaveOneOutReport(req: FitRequest): Promise<LeaveOneOutReport> {
  const hit = reports.get(req.version);
  if (hit) return hit;
  const runs = await req.runs();
  const result = await compute(`loo ${req.version}`, req.workspaceId, () => ({ kind: "leave-one-out", runs }), req.limits, req.signal, "The leave-one-out report");
  if (result.kind !== "leave-one-out") throw new Error("fitting worker answered another kind of task");
  reports.set(req.version, result.loo);
  return result.loo;
}

/**
 * A prediction on a profile version, cached, else computed in a worker thread from the version's
 * leave-one-out report (shared with the accuracy route: one report per version, whoever asks first).
 * The query must have passed checkPredictQuery.
 */
export async function prediction(req: FitRequest & { query: PredictQuery }): Promise<Prediction> {
  const queryKey = JSON.stringify([req.query.family, req.query.config ?? null, req.query.phase, req.query.batchSize, req.query.scope ?? null]);
  const key = `${req.version} ${queryKey}`;
  const hit = predictions.get(key);
  if (hit) return hit;
  const loo = await leaveOneOutReport(req);
  const runs = await req.runs();
  const result = await compute(`predict ${key}`, req.workspaceId, () => ({ kind: "predict", runs, query: req.query, loo }), req.limits, req.signal, "The prediction");
  if (result.kind !== "predict") throw new Error("fitting worker answered another kind of task");
  predictions.set(key, result.prediction);
  return result.prediction;
}
