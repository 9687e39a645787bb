/**
 * The fitting scheduler: computations on a small pool of worker threads (piscina), shared between the
 * callers asking for the same one, bounded per workspace and in all, given threads the workspaces in
 * turn, stopped past their budget or when every caller has gone away. fitting.ts is its one user.
 */
import os from "node:os";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { ApiError } from "../../lib/problem";
import type { FittingResult, FittingTask } from "./fitting.worker";
import { FIT_RETRY_AFTER_S, type BenchmarkLimits } from "./limits";

const require = createRequire(import.meta.url);

/** Worker threads for fitting: the cores less one for the event loop, at least 1, at most 2. */
export const FIT_THREADS = Math.max(1, Math.min(2, (typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length) - 1));

let pool: Piscina<FittingTask, FittingResult> | undefined;

/**
 * From the sources (tsx, vitest) the worker runs the TypeScript file with tsx registered; from the build
 * (services/api/dist, what `npm start` runs) the bundled fitting-worker.js beside server.js, with plain Node.
 */
const FROM_SOURCES = import.meta.url.endsWith(".ts");

function fittingPool(): Piscina<FittingTask, FittingResult> {
  pool ??= new Piscina<FittingTask, FittingResult>({
    filename: FROM_SOURCES ? new URL("./fitting.worker.ts", import.meta.url).href : new URL("./fitting-worker.js", import.meta.url).href,
    execArgv: FROM_SOURCES ? ["--import", pathToFileURL(require.resolve("tsx")).href] : [],
    minThreads: 0,
    maxThreads: FIT_THREADS,
    idleTimeout: 60_000,
  });
  return pool;
}

/** Stops the fitting threads (shutdown, tests); the next fit starts a new pool. */
export async function closeFittingPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.destroy();
}

// ---------------------------------------------------------------- shared, bounded computations

interface Computation {
  key: string;
  workspaceId: string;
  task: () => FittingTask;
  budgetMs: number;
  /** Aborted (with the reason) when the computation is to stop: over budget, or no caller left. */
  controller: AbortController;
  /** Terminates its thread: the last resort when the stop flag is not seen in time. */
  terminate: AbortController;
  /** Shared with the thread: set to 1 to ask it to stop between refits. */
  cancel?: Int32Array;
  /** Callers still waiting for it. */
  waiters: number;
  result: Promise<FittingResult>;
  resolve: (r: FittingResult) => void;
  reject: (e: unknown) => void;
  /** Set once a thread has taken it. */
  dispatched: boolean;
}

/** Every computation not finished (waiting for a thread or running), by key. */
const inFlight = new Map<string, Computation>();
/** Computations waiting for a thread, per workspace (FIFO within one). */
const waiting = new Map<string, Computation[]>();
/** When each workspace's last computation was given a thread (a counter), for the round-robin. */
const lastDispatch = new Map<string, number>();
let dispatches = 0;
let running = 0;

/** What the fitting pool did since the process started. */
const stats = { started: 0, completed: 0, stoppedOverBudget: 0, stoppedCallersGone: 0 };

/** Counts of computations started, completed and stopped; those in flight and waiting now. */
export function fittingStats(): typeof stats & { inFlight: number; waiting: number } {
  return { ...stats, inFlight: inFlight.size, waiting: waitingCount() };
}

function waitingCount(): number {
  let n = 0;
  for (const q of waiting.values()) n += q.length;
  return n;
}

function inFlightOf(workspaceId: string): number {
  let n = 0;
  for (const c of inFlight.values()) if (c.workspaceId === workspaceId) n++;
  return n;
}

class BudgetExceeded extends Error {}

function budgetExceeded(limits: BenchmarkLimits, what: string): ApiError {
  return new ApiError(
    503,
    `${what} did not finish within the fitting time budget of ${limits.fitTimeBudgetMs} ms (fitTimeBudgetMs) and was stopped. ` +
      `A profile's fit grows with the square of its runs: delete runs (DELETE /v1/benchmarks/runs/{id}), or retry when the service is less busy.`,
    { type: "/problems/time-budget-exceeded", title: "Time budget exceeded", headers: { "Retry-After": String(FIT_RETRY_AFTER_S) } },
  );
}

/**
 * Gives free threads to waiting computations, the workspaces in turn: the next is the oldest waiting
 * computation of the workspace whose last one was dispatched longest ago. So one workspace's backlog
 * delays another's fit by at most the fits already running.
 */
function dispatch(): void {
  while (running < FIT_THREADS) {
    let turn: string | undefined;
    let turnAt = Infinity;
    for (const [ws, q] of waiting) {
      const at = lastDispatch.get(ws) ?? -1;
      if (q.length > 0 && at < turnAt) {
        turn = ws;
        turnAt = at;
      }
    }
    if (turn === undefined) return;
    const q = waiting.get(turn)!;
    const c = q.shift()!;
    if (q.length === 0) waiting.delete(turn);
    lastDispatch.set(turn, dispatches++);
    if (lastDispatch.size > 1000) for (const ws of lastDispatch.keys()) if (!waiting.has(ws) && lastDispatch.size > 1000) lastDispatch.delete(ws);
    start(c);
  }
}

/** How long a thread asked to stop may take to reach its next check before it is terminated. */
const HARD_STOP_MS = 2000;

/**
 * Asks a running computation to stop: the flag it checks between refits (fitting.worker.ts), then, if
 * it has not returned within HARD_STOP_MS, its thread is terminated. Stopping between refits keeps the
 * thread (starting one costs about half a second of CPU) and takes one refit at most.
 */
function stopRunning(c: Computation, reason: unknown): void {
  if (c.controller.signal.aborted) return;
  c.controller.abort(reason);
  if (c.cancel) Atomics.store(c.cancel, 0, 1);
  setTimeout(() => c.terminate.abort(reason), HARD_STOP_MS).unref();
}

/** Runs a computation on a thread, under its budget (counted from now: waiting is bounded by the caps). */
function start(c: Computation): void {
  c.dispatched = true;
  c.cancel = new Int32Array(new SharedArrayBuffer(4));
  running++;
  stats.started++;
  const timer = setTimeout(() => stopRunning(c, new BudgetExceeded()), c.budgetMs);
  timer.unref();
  fittingPool()
    .run({ ...c.task(), cancel: c.cancel }, { signal: c.terminate.signal })
    .then(
      (r) => {
        if (r.kind === "stopped" || c.controller.signal.aborted) throw c.controller.signal.reason;
        stats.completed++;
        c.resolve(r);
      },
    )
    .catch((err: unknown) => {
      if (c.controller.signal.reason instanceof BudgetExceeded) stats.stoppedOverBudget++;
      else if (c.controller.signal.aborted) stats.stoppedCallersGone++;
      c.reject(err);
    })
    .finally(() => {
      clearTimeout(timer);
      running--;
      inFlight.delete(c.key);
      dispatch();
    });
}

/** Stops a computation nobody waits for: taken off its queue, or its thread's work ended. */
function stop(c: Computation, reason: unknown): void {
  if (c.dispatched) {
    stopRunning(c, reason);
    return;
  }
  const q = waiting.get(c.workspaceId);
  if (q) {
    const rest = q.filter((x) => x !== c);
    if (rest.length > 0) waiting.set(c.workspaceId, rest);
    else waiting.delete(c.workspaceId);
  }
  inFlight.delete(c.key);
  stats.stoppedCallersGone++;
  c.controller.abort(reason);
  c.reject(reason);
}

/**
 * The result of `task` for `key`: joins a computation in flight for the same key, or queues one
 * (refused with 429/503 past the bounds). Rejects with the budget's 503, or with a 503 saying the
 * caller went away (an answer nobody reads).
 */
export async function compute(key: string, workspaceId: string, task: () => FittingTask, limits: BenchmarkLimits, signal: AbortSignal | undefined, what: string): Promise<FittingResult> {
  if (signal?.aborted) throw new ApiError(503, `${what} was not started: the caller closed the connection.`);
  let c = inFlight.get(key);
  if (!c) {
    if (inFlightOf(workspaceId) >= limits.maxFitsInFlightPerWorkspace) {
      throw new ApiError(
        429,
        `This workspace already has ${limits.maxFitsInFlightPerWorkspace} calibration fits in progress (maxFitsInFlightPerWorkspace); retry when one has finished.`,
        { headers: { "Retry-After": String(FIT_RETRY_AFTER_S) } },
      );
    }
    const queued = waitingCount();
    if (queued >= limits.maxFitsQueued) {
      throw new ApiError(503, `${queued} calibration fits are already waiting for a worker thread (maxFitsQueued ${limits.maxFitsQueued}); retry shortly.`, {
        headers: { "Retry-After": String(FIT_RETRY_AFTER_S) },
      });
    }
    let resolve!: (r: FittingResult) => void;
    let reject!: (e: unknown) => void;
    const result = new Promise<FittingResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    result.catch(() => {}); // rejections reach every waiter below; none is left unhandled
    const computation: Computation = { key, workspaceId, task, budgetMs: limits.fitTimeBudgetMs, controller: new AbortController(), terminate: new AbortController(), waiters: 0, result, resolve, reject, dispatched: false };
    inFlight.set(key, computation);
    const q = waiting.get(workspaceId);
    if (q) q.push(computation);
    else waiting.set(workspaceId, [computation]);
    c = computation;
    dispatch();
  }
  const shared = c;
  shared.waiters++;
  let onAbort: (() => void) | undefined;
  const gone = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([shared.result, gone]);
  } catch (err) {
    if (shared.controller.signal.reason instanceof BudgetExceeded) throw budgetExceeded(limits, what);
    // Nobody reads this answer (the connection is closed); it is logged as what it is.
    if (signal?.aborted) throw new ApiError(503, `${what} was stopped: the caller closed the connection.`);
    throw err;
  } finally {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    shared.waiters--;
    // The last caller went away before the end: nobody needs the result, stop it.
    if (shared.waiters === 0 && signal?.aborted && inFlight.get(key) === shared) stop(shared, signal.reason);
  }
}

