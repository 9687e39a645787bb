import { randomBytes } from "node:crypto";
import os from "node:os";
import { JobQueue, resolveSuite, type JobEvent, type JobQueueOptions, type SuiteInput, type SuitePlan } from "@modelplan/bench";
import type { Database } from "@modelplan/db";
import type { Logger } from "../../lib/logger";
import { findProfileById, insertRun, recordProfileMeasurements, restateRunFractions, updateJob, upsertProfile, workspaceRunCount, type BenchmarkRequest } from "./benchmarks.repository";
import { admitJob, cancelQueuedJob, claimNextJob, heartbeatJobs, interruptStaleJobs, jobState, requestJobCancel } from "./jobs.repository";
import { DEFAULT_BENCHMARK_LIMITS, benchmarkLimits } from "./limits";

/** Runs a plan stores: each planned run, and its whole-machine repeat when several workers run. */
function plannedRunCount(plan: SuitePlan, workers: number): number {
  return plan.runs.reduce((n, r) => n + (r.wholeMachine && workers > 1 ? 2 : 1), 0);
}

/** How replicas share the job queue (docs/operations.md). */
export interface JobCoordination {
  /** A running job whose replica sent no heartbeat for this long is marked interrupted (ms). Default 30 s. */
  leaseMs: number;
  /** How often a replica sends heartbeats, looks for cancel requests and stale jobs, and claims queued jobs (ms). Default 2 s. */
  heartbeatMs: number;
}

export const DEFAULT_JOB_COORDINATION: Readonly<JobCoordination> = Object.freeze({ leaseMs: 30_000, heartbeatMs: 2_000 });

/** This process's name in benchmark_jobs.replica_id: host, pid and a random part (pids repeat across restarts). */
function newReplicaId(): string {
  return `${os.hostname().slice(0, 64)}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * The benchmark queue of one replica. The queue itself is in the database (jobs.repository.ts), shared
 * by every replica: POST /v1/benchmarks admits a job there (limits per workspace and for the fleet);
 * a replica with no job running claims the next queued one — workspaces served in turn — and runs
 * it on its own machine, one suite at a time, in worker processes (@modelplan/bench's JobQueue), so
 * requests keep being answered meanwhile. This object persists what the suite reports — status,
 * progress, each run as it finishes, the hardware profile, its ceilings at the end — sends the job's
 * heartbeat, stops it when a cancel is requested through any replica or its profile is full, and marks
 * interrupted the jobs of replicas that died.
 */
export class BenchmarkService {
  readonly replicaId = newReplicaId();
  private readonly queue: JobQueue;
  private readonly owners = new Map<string, { workspaceId: string; profileId: string | null; plan: SuitePlan }>();
  /** Job events are written in the order they happened, one after another. */
  private writes: Promise<void> = Promise.resolve();
  /** Settles once jobs of replicas that died (this one's previous process, say) are marked interrupted. */
  readonly ready: Promise<void>;
  private readonly timer: NodeJS.Timeout;
  private claiming: Promise<void> | null = null;
  private ticking = false;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly options: Omit<JobQueueOptions, "onEvent"> = {},
    private readonly maxRunsPerProfile: number = DEFAULT_BENCHMARK_LIMITS.maxRunsPerProfile,
    private readonly maxRunsPerWorkspace: number = DEFAULT_BENCHMARK_LIMITS.maxRunsPerWorkspace,
    private readonly coordination: JobCoordination = DEFAULT_JOB_COORDINATION,
  ) {
    this.ready = this.interruptStale().then(
      (interrupted) => {
        if (interrupted > 0) logger.warn({ interrupted }, "benchmark jobs of a stopped service (no heartbeat within the lease) were marked interrupted");
      },
      (err: unknown) => logger.error({ err }, "could not mark interrupted benchmark jobs"),
    );
    // The local runner holds only the job this replica claimed: the queue's limits are the database's.
    this.queue = new JobQueue({
      ...options,
      maxPendingPerOwner: Number.MAX_SAFE_INTEGER,
      maxPending: Number.MAX_SAFE_INTEGER,
      onEvent: (e) => {
        this.writes = this.writes.then(() => this.persist(e));
      },
    });
    this.timer = setInterval(() => void this.tick(), coordination.heartbeatMs);
    this.timer.unref();
    void this.ready.then(() => this.claim());
  }

  private interruptStale(): Promise<number> {
    const now = this.now();
    const staleBefore = new Date(now.getTime() - this.coordination.leaseMs).toISOString();
    return interruptStaleJobs(this.db, staleBefore, now.toISOString(), this.replicaId).then((ids) => ids.length);
  }

  /** The error of a `workers` request past this machine's cores (JobQueue.workersError), or undefined. */
  workersError(workers: unknown) {
    return this.queue.workersError(workers);
  }

  /**
   * Queue a job of the workspace. Throws, before storing anything, BenchInputError (workers past this
   * machine's cores) or QueueFullError (the workspace's or the fleet's share of the queue is taken).
   */
  async submit(workspaceId: string, id: string, plan: SuitePlan, request: BenchmarkRequest): Promise<void> {
    await this.ready;
    this.queue.checkAdmission(workspaceId, plan);
    const limits = benchmarkLimits(this.db);
    await admitJob(this.db, { id, workspaceId, suite: plan.name, request, createdAt: this.now().toISOString() }, { maxPerWorkspace: limits.maxJobsPerWorkspace, maxPending: limits.maxJobsQueued });
    await this.claim();
  }

  /**
   * Claims the next queued job when this replica runs none, and starts it. One claim at a time; a
   * claim that finds nothing (another replica took it) leaves the job to that replica.
   */
  claim(): Promise<void> {
    if (this.closed || this.queue.pendingCount() > 0) return Promise.resolve();
    this.claiming ??= (async () => {
      try {
        const row = await claimNextJob(this.db, this.replicaId, this.now().toISOString());
        if (!row) return;
        let plan: SuitePlan;
        try {
          plan = resolveSuite(row.request as SuiteInput);
        } catch (err) {
          await updateJob(this.db, row.id, { status: "failed", finishedAt: this.now().toISOString(), error: `the stored request cannot be run: ${String(err)}` });
          return;
        }
        this.owners.set(row.id, { workspaceId: row.workspaceId, profileId: null, plan });
        this.queue.submit(plan, row.id, row.workspaceId);
        this.logger.info({ job: row.id, replica: this.replicaId }, "benchmark job claimed");
      } catch (err) {
        this.logger.error({ err }, "could not claim a benchmark job");
      } finally {
        this.claiming = null;
      }
    })();
    return this.claiming;
  }

  /** Heartbeat, cancel requests made through other replicas, jobs of dead replicas, the next claim. */
  private async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      const mine = await heartbeatJobs(this.db, this.replicaId, this.now().toISOString());
      for (const j of mine) if (j.cancelRequested) this.queue.cancel(j.id);
      const interrupted = await this.interruptStale();
      if (interrupted > 0) this.logger.warn({ interrupted }, "benchmark jobs of a replica that stopped sending heartbeats were marked interrupted");
      await this.claim();
    } catch (err) {
      this.logger.warn({ err }, "benchmark job heartbeat failed");
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Cancel a queued or running job, whichever replica runs it; resolves once it has stopped (or after
   * `waitMs`). False when it is neither queued nor running any more.
   */
  async cancel(id: string, waitMs = 10_000): Promise<boolean> {
    const at = () => this.now().toISOString();
    const stopLocally = async () => {
      if (!this.queue.cancel(id)) return false;
      await Promise.race([this.queue.wait(id), new Promise((r) => setTimeout(r, waitMs).unref())]);
      await this.writes;
      return true;
    };
    if (await stopLocally()) return true;
    if (await cancelQueuedJob(this.db, id, at())) return true;
    // Claimed meanwhile, by this replica (its claim is starting it) or another (which stops it at its next heartbeat).
    if (!(await requestJobCancel(this.db, id, at()))) {
      const state = await jobState(this.db, id);
      if (state?.status !== "running") return false;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await this.claiming;
      if (await stopLocally()) return true;
      const state = await jobState(this.db, id);
      if (state?.status !== "running") break;
      await new Promise((r) => setTimeout(r, Math.min(250, this.coordination.heartbeatMs)));
    }
    return true;
  }

  wait(id: string) {
    return this.queue.wait(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.claiming;
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
          // Queued and running were written when the job was admitted and claimed (jobs.repository.ts).
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
          if (result && owner.profileId) {
            await recordProfileMeasurements(this.db, owner.profileId, result, e.job.id, now);
            // Runs stored before a later run raised the ceiling: their share of it restated, as in the result.
            await restateRunFractions(this.db, e.job.id, result.runs);
          }
          this.owners.delete(e.job.id);
          this.logger.info({ job: e.job.id, status: e.job.status, runs: e.job.runs.length }, "benchmark job finished");
          // The local runner is free once this event has been handled: look for the next queued job.
          setImmediate(() => void this.claim());
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
 * The benchmark service of a database (one per service process). Created on first use; creating it
 * marks interrupted the running jobs of replicas that stopped sending heartbeats, and starts claiming
 * queued jobs. bootstrap.ts creates it at start-up (with the configured lease).
 */
export function benchmarkService(db: Database, logger: Logger, now: () => Date = () => new Date(), coordination: JobCoordination = DEFAULT_JOB_COORDINATION): BenchmarkService {
  let service = services.get(db);
  if (!service) {
    const limits = benchmarkLimits(db);
    service = new BenchmarkService(db, logger, now, { jobTimeCapMs: limits.jobTimeCapMs }, limits.maxRunsPerProfile, limits.maxRunsPerWorkspace, coordination);
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
