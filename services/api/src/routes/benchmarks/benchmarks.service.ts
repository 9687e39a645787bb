import { JobQueue, type JobEvent, type JobQueueOptions, type SuitePlan } from "@modelplan/bench";
import type { Database } from "@modelplan/db";
import type { Logger } from "../../lib/logger";
import { findProfileById, insertJob, insertRun, markInterrupted, recordProfileMeasurements, updateJob, upsertProfile, workspaceRunCount, type BenchmarkRequest } from "./benchmarks.repository";
import { DEFAULT_BENCHMARK_LIMITS, benchmarkLimits, jobQueueLimits } from "./limits";

/** Runs a plan stores: each planned run, and its whole-machine repeat when several workers run. */
function plannedRunCount(plan: SuitePlan, workers: number): number {
  return plan.runs.reduce((n, r) => n + (r.wholeMachine && workers > 1 ? 2 : 1), 0);
}

/**
 * The service's benchmark queue: one suite at a time on this machine, queued beyond that, the
 * workspaces served in turn, each with a bounded share of the queue (limits.ts). Suites measure in
 * worker processes (@modelplan/bench), so requests keep being answered while a job runs; this object
 * persists what the queue reports — status, progress, each run as it finishes, the hardware profile,
 * the profile's ceilings at the end — and stops a job whose profile cannot take its runs.
 */
export class BenchmarkService {
  private readonly queue: JobQueue;
  private readonly owners = new Map<string, { workspaceId: string; profileId: string | null; plan: SuitePlan }>();
  /** Job events are written in the order they happened, one after another. */
  private writes: Promise<void> = Promise.resolve();
  /** Settles once jobs a previous process left queued or running have been marked interrupted. */
  readonly ready: Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly now: () => Date,
    options: Omit<JobQueueOptions, "onEvent"> = {},
    private readonly maxRunsPerProfile: number = DEFAULT_BENCHMARK_LIMITS.maxRunsPerProfile,
    private readonly maxRunsPerWorkspace: number = DEFAULT_BENCHMARK_LIMITS.maxRunsPerWorkspace,
  ) {
    this.ready = markInterrupted(db, now().toISOString()).then(
      (interrupted) => {
        if (interrupted > 0) logger.warn({ interrupted }, "benchmark jobs found queued or running at start-up were marked interrupted");
      },
      (err: unknown) => logger.error({ err }, "could not mark interrupted benchmark jobs"),
    );
    this.queue = new JobQueue({
      ...options,
      onEvent: (e) => {
        this.writes = this.writes.then(() => this.persist(e));
      },
    });
  }

  /**
   * Queue a job of the workspace. Throws, before storing anything, BenchInputError (workers past the
   * cores) or QueueFullError (the workspace's or the service's share of the queue is taken).
   */
  async submit(workspaceId: string, id: string, plan: SuitePlan, request: BenchmarkRequest): Promise<void> {
    await this.ready;
    this.queue.checkAdmission(workspaceId, plan);
    await insertJob(this.db, workspaceId, id, plan.name, request, this.now().toISOString());
    this.owners.set(id, { workspaceId, profileId: null, plan });
    this.queue.submit(plan, id, workspaceId);
  }

  /** Cancel a queued or running job; resolves once it has stopped (or after `waitMs`). */
  async cancel(id: string, waitMs = 10_000): Promise<boolean> {
    if (!this.queue.cancel(id)) return false;
    await Promise.race([this.queue.wait(id), new Promise((r) => setTimeout(r, waitMs).unref())]);
    return true;
  }

  wait(id: string) {
    return this.queue.wait(id);
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.writes;
  }

  private profileFull(profileId: string, stored: number, planned: number): string {
    return (
      `hardware profile ${profileId} holds ${stored} runs and this job would add ${planned}: the limit is ${this.maxRunsPerProfile} runs per profile ` +
      `(maxRunsPerProfile); delete runs (DELETE /v1/benchmarks/runs/{id}) or the profile (DELETE /v1/hardware-profiles/{id}) first`
    );
  }

  private async persist(e: JobEvent): Promise<void> {
    const owner = this.owners.get(e.job.id);
    if (!owner) return;
    const now = this.now().toISOString();
    try {
      switch (e.type) {
        case "status":
          if (e.job.status === "running") await updateJob(this.db, e.job.id, { status: "running", startedAt: e.job.startedAt ?? now });
          return;
        case "started": {
          const profile = await upsertProfile(this.db, owner.workspaceId, e.fingerprint, e.device, e.backend, "local", now);
          owner.profileId = profile.id;
          await updateJob(this.db, e.job.id, { hardwareProfileId: profile.id });
          const planned = plannedRunCount(owner.plan, e.workers);
          if (profile.runCount + planned > this.maxRunsPerProfile) {
            this.queue.fail(e.job.id, this.profileFull(profile.id, profile.runCount, planned));
          }
          return;
        }
        case "progress":
          await updateJob(this.db, e.job.id, { progressFraction: e.job.progress.fraction, currentItem: e.job.progress.current });
          return;
        case "run": {
          if (!owner.profileId) return;
          const stored = (await findProfileById(this.db, owner.profileId))?.runCount ?? 0;
          if (stored >= this.maxRunsPerProfile) {
            this.queue.fail(e.job.id, this.profileFull(owner.profileId, stored, 1));
            return;
          }
          const held = await workspaceRunCount(this.db, owner.workspaceId);
          if (held >= this.maxRunsPerWorkspace) {
            this.queue.fail(
              e.job.id,
              `the workspace holds ${held} benchmark runs, its quota (maxRunsPerWorkspace ${this.maxRunsPerWorkspace}); delete runs (DELETE /v1/benchmarks/runs/{id}) or hardware profiles first`,
            );
            return;
          }
          await insertRun(this.db, owner.workspaceId, owner.profileId, e.job.id, e.run, now);
          return;
        }
        case "finished": {
          const result = e.result;
          await updateJob(this.db, e.job.id, {
            status: e.job.status,
            finishedAt: e.job.finishedAt ?? now,
            error: e.job.error ?? null,
            progressFraction: e.job.progress.fraction,
            currentItem: null,
            ...(result
              ? {
                  summary: {
                    durationMs: result.durationMs,
                    loadAverage: result.loadAverage,
                    workers: result.workers,
                    fingerprint: result.fingerprint,
                    sgemmNote: result.sgemmNote ?? null,
                  },
                }
              : {}),
          });
          if (result && owner.profileId) await recordProfileMeasurements(this.db, owner.profileId, result, e.job.id, now);
          this.owners.delete(e.job.id);
          this.logger.info({ job: e.job.id, status: e.job.status, runs: e.job.runs.length }, "benchmark job finished");
          return;
        }
      }
    } catch (err) {
      // The database may be gone (a test's app closed); the job itself is unaffected.
      this.logger.error({ err, job: e.job.id, event: e.type }, "could not persist a benchmark job event");
    }
  }
}

const services = new WeakMap<Database, BenchmarkService>();

/**
 * The queue of a database (one per service process). Created on first use; creating it marks jobs a
 * previous process left queued or running as interrupted. bootstrap.ts creates it at start-up.
 */
export function benchmarkService(db: Database, logger: Logger, now: () => Date = () => new Date()): BenchmarkService {
  let service = services.get(db);
  if (!service) {
    const limits = benchmarkLimits(db);
    service = new BenchmarkService(db, logger, now, jobQueueLimits(limits), limits.maxRunsPerProfile, limits.maxRunsPerWorkspace);
    services.set(db, service);
  }
  return service;
}

/** Stop the queue of a database (its running job is cancelled): for shutdown and tests. */
export async function closeBenchmarkService(db: Database): Promise<void> {
  const service = services.get(db);
  if (!service) return;
  services.delete(db);
  await service.close();
}
