/**
 * Plans off the event loop (issue 14, finding 5): plans, comparisons, reports and charts are computed on
 * worker threads (plans.worker.ts) through the service's generic scheduler (lib/work-scheduler.ts) —
 * the same design as the calibration fitting: at most WORK_THREADS threads, a time budget per
 * computation (`planTimeBudgetMs`, 503 past it), `maxPlansInFlightPerWorkspace` computations per
 * workspace (429 beyond), `maxPlansQueued` waiting in all (503 beyond), the workspaces served in turn,
 * and a computation stopped when its caller goes away.
 */
import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import type { Context } from "hono";
import { requestHeader } from "../../lib/node-io";
import { acceptsGzip } from "../../lib/response-cache";
import { WORK_THREADS, WorkScheduler, workerEntry } from "../../lib/work-scheduler";
import { PLAN_RETRY_AFTER_S, type PlanLimits } from "./plan-limits";
import type { PlanResult, PlanTask } from "./plans.worker";

const gunzipAsync = promisify(gunzip);

// From the sources the TypeScript worker with tsx; from the build the bundled plan-worker.js beside server.js.
const scheduler = new WorkScheduler<PlanTask, PlanResult>({
  ...workerEntry(import.meta.url, "./plans.worker.ts", "./plan-worker.js"),
  threads: WORK_THREADS,
  words: {
    plural: "plan computations",
    budgetName: "planTimeBudgetMs",
    inFlightName: "maxPlansInFlightPerWorkspace",
    queuedName: "maxPlansQueued",
    overBudgetHint: "A plan's work grows with its horizon and its use cases: plan fewer months or use cases, or retry when the service is less busy.",
    retryAfterS: PLAN_RETRY_AFTER_S,
  },
});

/** Runs a plan task on a worker thread under the plan limits (shared by callers of the same key). */
export function runPlanTask(key: string, workspaceId: string, task: () => PlanTask, limits: PlanLimits, signal: AbortSignal | undefined, what: string): Promise<PlanResult> {
  return scheduler.run(key, workspaceId, task, { budgetMs: limits.planTimeBudgetMs, maxInFlightPerWorkspace: limits.maxPlansInFlightPerWorkspace, maxQueued: limits.maxPlansQueued }, signal, what);
}

/** Counts of plan computations started, completed and stopped; those in flight and waiting now. */
export function planComputeStats() {
  return scheduler.stats();
}

/** Stops the plan threads (shutdown, tests). */
export function closePlanPool(): Promise<void> {
  return scheduler.close();
}

/**
 * A stored plan document (gzip of its JSON) as the answer: sent as stored, `Content-Encoding: gzip`,
 * to a client that accepts gzip (browsers, curl --compressed, the SDK's fetch); inflated otherwise —
 * by zlib on libuv's thread pool, not the event loop.
 */
export async function storedJsonResponse(c: Context, gzip: Uint8Array, status: 200 | 201, headers: Record<string, string> = {}): Promise<Response> {
  const base = { "Content-Type": "application/json", Vary: "Accept-Encoding", ...headers };
  if (acceptsGzip(requestHeader(c, "accept-encoding"))) return c.body(new Uint8Array(gzip), status, { ...base, "Content-Encoding": "gzip" });
  return c.body(new Uint8Array(await gunzipAsync(gzip)), status, base);
}
