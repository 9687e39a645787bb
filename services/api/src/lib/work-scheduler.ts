/**
 * CPU-heavy computations off the event loop: a small pool of worker threads (piscina) per kind of work,
 * shared between the callers asking for the same computation, bounded per workspace and in all, given
 * threads the workspaces in turn, stopped past their time budget or when every caller has gone away.
 * The calibration fitting (routes/benchmarks/fit-scheduler.ts) and the plans (routes/plans/plan-compute.ts)
 * each run one.
 *
 * - Threads: at most `threads` per scheduler (callers pass the cores less one for the event loop,
 *   at most 2), started on demand and stopped after a minute idle.
 * - Time budget: counted from when a thread takes the computation; past it the computation is asked to
 *   stop (a shared flag the worker may check between steps), then its thread is terminated
 *   HARD_STOP_MS later if it has not returned. Its callers get 503 problem+json of type
 *   /problems/time-budget-exceeded naming the budget. Waiting for a thread is bounded by the caps.
 * - Fairness: waiting computations get threads the workspaces in turn (round-robin), so one workspace's
 *   backlog delays another's by at most the computations already running.
 * - Cancellation: callers asking for the same key share one computation; when every one of them has
 *   gone away (closed the connection), it is taken off the queue or stopped.
 * - Bounds: one workspace may have `maxInFlightPerWorkspace` computations waiting or running (429
 *   beyond), and at most `maxQueued` wait for a thread, all workspaces together (503 beyond).
 */
import os from "node:os";
import { Piscina } from "piscina";
import { ApiError } from "./problem";

/** Threads for one kind of heavy work: the cores less one for the event loop, at least 1, at most 2. */
export const WORK_THREADS = Math.max(1, Math.min(2, (typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length) - 1));

/** How long a computation asked to stop may take to reach its next check before its thread is terminated. */
export const HARD_STOP_MS = 2000;

/** A worker thread's entry: the file piscina loads, and what it is given. */
export interface WorkerEntry {
  filename: string;
  workerData?: { tsEntry: string };
}

/**
 * The file a worker thread runs: when the service runs from its sources (tsx, vitest), the TypeScript
 * source loaded through lib/ts-worker-entry.mjs (tsx's API); from the build, the bundled file esbuild
 * wrote beside server.js (services/api/scripts/build.mjs), run by plain Node. `importMetaUrl` is the
 * caller's import.meta.url, `source` and `built` relative to it.
 */
export function workerEntry(importMetaUrl: string, source: string, built: string): WorkerEntry {
  if (!importMetaUrl.endsWith(".ts")) return { filename: new URL(built, importMetaUrl).href };
  return { filename: new URL("./ts-worker-entry.mjs", import.meta.url).href, workerData: { tsEntry: new URL(source, importMetaUrl).href } };
}

/** The limits of one computation, read when it is asked for (configuration and tests may change them). */
export interface WorkLimits {
  budgetMs: number;
  maxInFlightPerWorkspace: number;
  maxQueued: number;
}

/** How the scheduler names its limits and work in its answers (docs/security.md lists the names). */
export interface WorkVocabulary {
  /** The computations, plural, as a workspace holds them: "calibration fits". */
  plural: string;
  /** Configuration names of the three limits. */
  budgetName: string;
  inFlightName: string;
  queuedName: string;
  /** What to do about a computation over budget (a sentence). */
  overBudgetHint: string;
  retryAfterS: number;
}

/** Every task carries the stop flag the scheduler shares with its thread (set to 1: stop). */
export type WithCancel<T> = T & { cancel?: Int32Array };

interface Computation<T, R> {
  key: string;
  workspaceId: string;
  task: () => T;
  budgetMs: number;
  /** Aborted (with the reason) when the computation is to stop: over budget, or no caller left. */
  controller: AbortController;
  /** Terminates its thread: the last resort when the stop flag is not seen in time. */
  terminate: AbortController;
  cancel?: Int32Array;
  waiters: number;
  result: Promise<R>;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
  dispatched: boolean;
}

class BudgetExceeded extends Error {}

export interface WorkSchedulerOptions<R> extends WorkerEntry {
  threads?: number;
  /** Whether a result says the worker stopped early on the flag (it is then not a result). */
  isStopped?: (r: R) => boolean;
  words: WorkVocabulary;
}

export class WorkScheduler<T extends object, R> {
  private pool: Piscina<WithCancel<T>, R> | undefined;
  private readonly threads: number;
  /** Every computation not finished (waiting for a thread or running), by key; one being stopped leaves when another for its key starts. */
  private readonly inFlight = new Map<string, Computation<T, R>>();
  /** Computations waiting for a thread, per workspace (FIFO within one). */
  private readonly waiting = new Map<string, Computation<T, R>[]>();
  /** When each workspace's last computation was given a thread (a counter), for the round-robin. */
  private readonly lastDispatch = new Map<string, number>();
  private dispatches = 0;
  private running = 0;
  private readonly counts = { started: 0, completed: 0, stoppedOverBudget: 0, stoppedCallersGone: 0 };

  constructor(private readonly options: WorkSchedulerOptions<R>) {
    this.threads = options.threads ?? WORK_THREADS;
  }

  /** Counts of computations started, completed and stopped; those in flight and waiting now. */
  stats(): { started: number; completed: number; stoppedOverBudget: number; stoppedCallersGone: number; inFlight: number; waiting: number } {
    return { ...this.counts, inFlight: this.inFlight.size, waiting: this.waitingCount() };
  }

  /** Stops the threads (shutdown, tests); the next computation starts a new pool. */
  async close(): Promise<void> {
    const p = this.pool;
    this.pool = undefined;
    if (p) await p.destroy();
  }

  private workerPool(): Piscina<WithCancel<T>, R> {
    this.pool ??= new Piscina<WithCancel<T>, R>({
      filename: this.options.filename,
      workerData: this.options.workerData,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: 60_000,
    });
    return this.pool;
  }

  private waitingCount(): number {
    let n = 0;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  private inFlightOf(workspaceId: string): number {
    let n = 0;
    for (const c of this.inFlight.values()) if (c.workspaceId === workspaceId) n++;
    return n;
  }

  private budgetExceeded(budgetMs: number, what: string): ApiError {
    const w = this.options.words;
    return new ApiError(503, `${what} did not finish within the time budget of ${budgetMs} ms (${w.budgetName}) and was stopped. ${w.overBudgetHint}`, {
      type: "/problems/time-budget-exceeded",
      title: "Time budget exceeded",
      headers: { "Retry-After": String(w.retryAfterS) },
      limit: { name: w.budgetName, value: budgetMs },
    });
  }

  /**
   * Gives free threads to waiting computations, the workspaces in turn: the next is the oldest waiting
   * computation of the workspace whose last one was dispatched longest ago.
   */
  private dispatch(): void {
    while (this.running < this.threads) {
      let turn: string | undefined;
      let turnAt = Infinity;
      for (const [ws, q] of this.waiting) {
        const at = this.lastDispatch.get(ws) ?? -1;
        if (q.length > 0 && at < turnAt) {
          turn = ws;
          turnAt = at;
        }
      }
      if (turn === undefined) return;
      const q = this.waiting.get(turn)!;
      const c = q.shift()!;
      if (q.length === 0) this.waiting.delete(turn);
      this.lastDispatch.set(turn, this.dispatches++);
      if (this.lastDispatch.size > 1000) for (const ws of this.lastDispatch.keys()) if (!this.waiting.has(ws) && this.lastDispatch.size > 1000) this.lastDispatch.delete(ws);
      this.start(c);
    }
  }

  /** Asks a running computation to stop: its flag, then, after HARD_STOP_MS, its thread is terminated. */
  private stopRunning(c: Computation<T, R>, reason: unknown): void {
    if (c.controller.signal.aborted) return;
    c.controller.abort(reason);
    if (c.cancel) Atomics.store(c.cancel, 0, 1);
    setTimeout(() => c.terminate.abort(reason), HARD_STOP_MS).unref();
  }

  /** Runs a computation on a thread, under its budget (counted from now: waiting is bounded by the caps). */
  private start(c: Computation<T, R>): void {
    c.dispatched = true;
    c.cancel = new Int32Array(new SharedArrayBuffer(4));
    this.running++;
    this.counts.started++;
    const timer = setTimeout(() => this.stopRunning(c, new BudgetExceeded()), c.budgetMs);
    timer.unref();
    let task: WithCancel<T>;
    try {
      task = { ...c.task(), cancel: c.cancel };
    } catch (err) {
      clearTimeout(timer);
      this.running--;
      this.forget(c);
      c.reject(err);
      this.dispatch();
      return;
    }
    this.workerPool()
      .run(task, { signal: c.terminate.signal })
      .then((r) => {
        if (this.options.isStopped?.(r) || c.controller.signal.aborted) throw c.controller.signal.reason;
        this.counts.completed++;
        c.resolve(r);
      })
      .catch((err: unknown) => {
        if (c.controller.signal.reason instanceof BudgetExceeded) this.counts.stoppedOverBudget++;
        else if (c.controller.signal.aborted) this.counts.stoppedCallersGone++;
        c.reject(err);
      })
      .finally(() => {
        clearTimeout(timer);
        this.running--;
        this.forget(c);
        this.dispatch();
      });
  }

  /** Takes a computation out of the in-flight map, unless a new one for its key has taken its place. */
  private forget(c: Computation<T, R>): void {
    if (this.inFlight.get(c.key) === c) this.inFlight.delete(c.key);
  }

  /** Stops a computation nobody waits for: taken off its queue, or its thread's work ended. */
  private stop(c: Computation<T, R>, reason: unknown): void {
    if (c.dispatched) {
      this.stopRunning(c, reason);
      return;
    }
    const q = this.waiting.get(c.workspaceId);
    if (q) {
      const rest = q.filter((x) => x !== c);
      if (rest.length > 0) this.waiting.set(c.workspaceId, rest);
      else this.waiting.delete(c.workspaceId);
    }
    this.forget(c);
    this.counts.stoppedCallersGone++;
    c.controller.abort(reason);
    c.reject(reason);
  }

  /**
   * The result of `task` for `key`: joins a computation in flight for the same key, or queues one
   * (refused with 429/503 past the bounds). Rejects with the budget's 503, or with a 503 saying the
   * caller went away (an answer nobody reads). `task` is called when a thread takes the computation.
   */
  async run(key: string, workspaceId: string, task: () => T, limits: WorkLimits, signal: AbortSignal | undefined, what: string): Promise<R> {
    const w = this.options.words;
    const retry = { "Retry-After": String(w.retryAfterS) };
    if (signal?.aborted) throw new ApiError(503, `${what} was not started: the caller closed the connection.`);
    let c = this.inFlight.get(key);
    // One being stopped (its callers gone, or over budget) is not joined: its result is already refused,
    // and until its thread lets go it would hand its stop reason to a caller who never left.
    if (c?.controller.signal.aborted) c = undefined;
    if (!c) {
      const mine = this.inFlightOf(workspaceId);
      if (mine >= limits.maxInFlightPerWorkspace) {
        throw new ApiError(
          429,
          `This workspace already has ${limits.maxInFlightPerWorkspace} ${w.plural} in progress (${w.inFlightName}); retry when one has finished.`,
          { headers: retry, limit: { name: w.inFlightName, value: limits.maxInFlightPerWorkspace, used: mine } },
        );
      }
      const queued = this.waitingCount();
      if (queued >= limits.maxQueued) {
        throw new ApiError(503, `${queued} ${w.plural} are already waiting for a worker thread (${w.queuedName} ${limits.maxQueued}); retry shortly.`, {
          headers: retry,
          limit: { name: w.queuedName, value: limits.maxQueued, used: queued },
        });
      }
      let resolve!: (r: R) => void;
      let reject!: (e: unknown) => void;
      const result = new Promise<R>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      result.catch(() => {}); // rejections reach every waiter below; none is left unhandled
      const computation: Computation<T, R> = {
        key, workspaceId, task, budgetMs: limits.budgetMs, controller: new AbortController(), terminate: new AbortController(), waiters: 0, result, resolve, reject, dispatched: false,
      };
      this.inFlight.set(key, computation);
      const q = this.waiting.get(workspaceId);
      if (q) q.push(computation);
      else this.waiting.set(workspaceId, [computation]);
      c = computation;
      this.dispatch();
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
      if (shared.controller.signal.reason instanceof BudgetExceeded) throw this.budgetExceeded(shared.budgetMs, what);
      // Nobody reads this answer (the connection is closed); it is logged as what it is.
      if (signal?.aborted) throw new ApiError(503, `${what} was stopped: the caller closed the connection.`);
      throw err;
    } finally {
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      shared.waiters--;
      // The last caller went away before the end: nobody needs the result, stop it.
      if (shared.waiters === 0 && signal?.aborted && this.inFlight.get(key) === shared) this.stop(shared, signal.reason);
    }
  }
}
