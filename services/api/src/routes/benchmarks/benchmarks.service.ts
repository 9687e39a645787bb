import { JobQueue, type JobEvent, type JobQueueOptions, type SuitePlan } from "@modelplan/bench";
import type { AppDatabase, SqliteHandle } from "@modelplan/db";
import type { Logger } from "../../lib/logger";
import { insertJob, insertRun, markInterrupted, recordProfileMeasurements, updateJob, upsertProfile, type BenchmarkRequest } from "./benchmarks.repository";

/**
 * The service's benchmark queue: one suite at a time on this machine, queued beyond that. Suites
 * measure in worker processes (@modelplan/bench), so requests keep being answered while a job runs;
 * this object only persists what the queue reports — status, progress, each run as it finishes, the
 * hardware profile, the profile's ceilings at the end.
 */
export class BenchmarkService {
  private readonly queue: JobQueue;
  private readonly owners = new Map<string, { workspaceId: string; profileId: string | null }>();

  constructor(
    private readonly db: AppDatabase,
    private readonly logger: Logger,
    private readonly now: () => Date,
    options: Pick<JobQueueOptions, "backend" | "runTimeoutMs"> = {},
  ) {
    const interrupted = markInterrupted(db, now().toISOString());
    if (interrupted > 0) logger.warn({ interrupted }, "benchmark jobs found queued or running at start-up were marked interrupted");
    this.queue = new JobQueue({ ...options, onEvent: (e) => this.persist(e) });
  }

  submit(workspaceId: string, id: string, plan: SuitePlan, request: BenchmarkRequest): void {
    insertJob(this.db, workspaceId, id, plan.name, request, this.now().toISOString());
    this.owners.set(id, { workspaceId, profileId: null });
    this.queue.submit(plan, id);
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
  }

  private persist(e: JobEvent): void {
    const owner = this.owners.get(e.job.id);
    if (!owner) return;
    const now = this.now().toISOString();
    try {
      switch (e.type) {
        case "status":
          if (e.job.status === "running") updateJob(this.db, e.job.id, { status: "running", startedAt: e.job.startedAt ?? now });
          return;
        case "started": {
          const profile = upsertProfile(this.db, owner.workspaceId, e.fingerprint, e.device, e.backend, "local", now);
          owner.profileId = profile.id;
          updateJob(this.db, e.job.id, { hardwareProfileId: profile.id });
          return;
        }
        case "progress":
          updateJob(this.db, e.job.id, { progressFraction: e.job.progress.fraction, currentItem: e.job.progress.current });
          return;
        case "run":
          if (owner.profileId) insertRun(this.db, owner.workspaceId, owner.profileId, e.job.id, e.run, now);
          return;
        case "finished": {
          const result = e.result;
          updateJob(this.db, e.job.id, {
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
          if (result && owner.profileId) recordProfileMeasurements(this.db, owner.profileId, result, e.job.id, now);
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

const services = new WeakMap<SqliteHandle, BenchmarkService>();

/**
 * The queue of a database (one per service process). Created on first use; creating it marks jobs a
 * previous process left queued or running as interrupted. bootstrap.ts creates it at start-up.
 */
export function benchmarkService(db: AppDatabase, sqlite: SqliteHandle, logger: Logger, now: () => Date = () => new Date()): BenchmarkService {
  let service = services.get(sqlite);
  if (!service) {
    service = new BenchmarkService(db, logger, now);
    services.set(sqlite, service);
  }
  return service;
}

/** Stop the queue of a database (its running job is cancelled): for shutdown and tests. */
export async function closeBenchmarkService(sqlite: SqliteHandle): Promise<void> {
  const service = services.get(sqlite);
  if (!service) return;
  services.delete(sqlite);
  await service.close();
}
