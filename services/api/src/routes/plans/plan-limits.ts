/**
 * What one caller can make the plan routes compute (issue 14, finding 5). Plans are computed, and their
 * reports and charts drawn, on worker threads (plan-compute.ts), never on the event loop; these bound
 * the work waiting for or running on them. Measured costs: docs/security.md.
 */
export interface PlanLimits {
  /** Wall-clock budget of one computation (a plan, a comparison, a report or chart) on its worker thread. */
  planTimeBudgetMs: number;
  /** Plan computations one workspace may have waiting or running at once (beyond: 429). */
  maxPlansInFlightPerWorkspace: number;
  /** Plan computations waiting for a worker thread, all workspaces together (beyond: 503). */
  maxPlansQueued: number;
}

export const DEFAULT_PLAN_LIMITS: Readonly<PlanLimits> = Object.freeze({
  planTimeBudgetMs: 60_000,
  maxPlansInFlightPerWorkspace: 2,
  maxPlansQueued: 8,
});

/** Retry-After of a refused or timed-out plan computation (s). */
export const PLAN_RETRY_AFTER_S = 5;
