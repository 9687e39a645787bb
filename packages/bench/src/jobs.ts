/**
 * Benchmark jobs for a service: a queue that runs one suite at a time per machine. The suite's
 * measuring happens in worker processes (runner.ts → pool.ts), so the caller's event loop stays free
 * to answer requests; the queue only coordinates. Each job reports progress (fraction, current model),
 * each finished run, and its end; a job can be cancelled while queued or running.
 *
 * Bounded and fair: each job has an owner (a service's workspace); the queue admits at most
 * `maxPendingPerOwner` unfinished jobs of one owner and `maxPending` in all (QueueFullError beyond),
 * starts the owners' jobs in turn (round-robin over owners: the next job is the oldest of the owner
 * whose last job started longest ago; FIFO within one owner), stops a job that runs
 * past `jobTimeCapMs` (marked failed with the cap), and refuses more workers than the machine has
 * cores (usableCores).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { BenchInputError } from "./errors";
import type { BackendChoice, BackendInfo } from "./backend-choice";
import type { DeviceInfo } from "./device";
import type { BenchRun, SuiteResult } from "./results";
import { runSuite as defaultRunSuite, type RunSuiteOptions, type SuiteEvent } from "./runner";
import { resolveSuite, type SuiteInput, type SuitePlan } from "./suite";

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled" | "interrupted";

export interface JobSnapshot {
  id: string;
  status: JobStatus;
  suite: string;
  progress: { fraction: number; current: string | null };
  runs: BenchRun[];
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export type JobEvent =
  | { type: "status"; job: JobSnapshot }
  | { type: "started"; job: JobSnapshot; device: DeviceInfo; backend: BackendInfo; fingerprint: string; workers: number }
  | { type: "progress"; job: JobSnapshot }
  | { type: "run"; job: JobSnapshot; run: BenchRun }
  | { type: "finished"; job: JobSnapshot; result: SuiteResult | null };

export interface JobQueueOptions {
  backend?: BackendChoice | "auto";
  wasmKernels?: boolean;
  /** Called for every job event (persist progress, runs and the end). Errors thrown here are ignored. */
  onEvent?: (e: JobEvent) => void;
  /** Injected for tests; defaults to runner.runSuite. */
  runSuite?: (plan: SuitePlan, opts: RunSuiteOptions) => Promise<SuiteResult>;
  runTimeoutMs?: number;
  /** Unfinished (queued or running) jobs one owner may have; beyond, submit throws QueueFullError. Default 3. */
  maxPendingPerOwner?: number;
  /** Unfinished jobs of all owners together; beyond, submit throws QueueFullError. Default 16. */
  maxPending?: number;
  /** Wall-clock cap of a running job; past it the job is stopped and fails naming the cap. Default 40 min. */
  jobTimeCapMs?: number;
  /** Worker processes a plan may ask for. Default usableCores(). */
  maxWorkers?: number;
}

/** Finished jobs kept in memory for get() and wait() (a service persists every job itself). */
const FINISHED_KEPT = 100;

export const DEFAULT_JOB_LIMITS = { maxPendingPerOwner: 3, maxPending: 16, jobTimeCapMs: 40 * 60_000 } as const;

/**
 * The logical CPUs this process may use: os.availableParallelism(), lowered to the cgroup v2 CPU quota
 * (`/sys/fs/cgroup/cpu.max`, rounded up) when a container sets one. A single-threaded backend runs one
 * worker process per core; more workers than this only contend for the same cores.
 */
export function usableCores(): number {
  const logical = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  try {
    const [quota, period] = fs.readFileSync("/sys/fs/cgroup/cpu.max", "utf8").trim().split(/\s+/);
    const q = Number(quota);
    const p = Number(period);
    if (quota !== "max" && Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0) return Math.max(1, Math.min(logical, Math.ceil(q / p)));
  } catch {
    // no cgroup v2 quota here
  }
  return Math.max(1, logical);
}

/** A job refused because the queue is full: `scope` says whose limit (the owner's or the whole queue's). */
export class QueueFullError extends Error {
  constructor(
    readonly scope: "owner" | "queue",
    readonly limit: number,
  ) {
    super(
      scope === "owner"
        ? `this workspace already has ${limit} benchmark jobs queued or running (the limit); wait for one to end or cancel one`
        : `the service already has ${limit} benchmark jobs queued or running (the limit); try again later`,
    );
    this.name = "QueueFullError";
  }
}

interface Job {
  snapshot: JobSnapshot;
  plan: SuitePlan;
  owner: string;
  controller: AbortController;
  /** Why the queue stopped it (time cap, or fail()): the job ends failed with this error. */
  failure?: string;
  done: Promise<SuiteResult | null>;
  resolve: (r: SuiteResult | null) => void;
}

export class JobQueue {
  private jobs = new Map<string, Job>();
  /** Queued jobs per owner, FIFO within an owner; owners in the order they are served. */
  private queues = new Map<string, Job[]>();
  private running: Job | null = null;
  /** When each owner's last job started (a counter), for the round-robin. */
  private lastStart = new Map<string, number>();
  private starts = 0;
  /** Finished jobs still answered by get()/wait(), oldest first; at most FINISHED_KEPT. */
  private finished: string[] = [];
  private readonly limits: { maxPendingPerOwner: number; maxPending: number; jobTimeCapMs: number; maxWorkers: number };

  constructor(private readonly opts: JobQueueOptions = {}) {
    this.limits = {
      maxPendingPerOwner: opts.maxPendingPerOwner ?? DEFAULT_JOB_LIMITS.maxPendingPerOwner,
      maxPending: opts.maxPending ?? DEFAULT_JOB_LIMITS.maxPending,
      jobTimeCapMs: opts.jobTimeCapMs ?? DEFAULT_JOB_LIMITS.jobTimeCapMs,
      maxWorkers: opts.maxWorkers ?? usableCores(),
    };
  }

  /** Unfinished jobs (queued or running) of an owner, or of all owners. */
  pendingCount(owner?: string): number {
    let n = 0;
    for (const [o, q] of this.queues) if (owner === undefined || o === owner) n += q.length;
    if (this.running && (owner === undefined || this.running.owner === owner)) n++;
    return n;
  }

  /**
   * The error of a `workers` request past the cores the backend can use here (maxWorkers), or undefined
   * (a value that is not a number is resolveSuite's to refuse). For validators that name every bad field
   * of a request at once, beside suiteInputErrors.
   */
  workersError(workers: unknown): BenchInputError | undefined {
    if (typeof workers !== "number" || !(workers > this.limits.maxWorkers)) return undefined;
    return new BenchInputError(["workers"], `${workers} exceeds the ${this.limits.maxWorkers} cores the benchmark backend can use on this machine`, { min: 1, max: this.limits.maxWorkers });
  }

  /**
   * Throws what submit would throw for this owner and plan, without enqueuing: BenchInputError naming
   * `workers` past the cores, QueueFullError past a queue limit.
   */
  checkAdmission(owner: string, plan: SuitePlan): void {
    const workers = this.workersError(plan.workers);
    if (workers) throw workers;
    if (this.pendingCount(owner) >= this.limits.maxPendingPerOwner) throw new QueueFullError("owner", this.limits.maxPendingPerOwner);
    if (this.pendingCount() >= this.limits.maxPending) throw new QueueFullError("queue", this.limits.maxPending);
  }

  /**
   * Validate (throws BenchInputError naming the field, QueueFullError when full) and enqueue; returns
   * the queued job. `owner` is whose turn it is in the round-robin (a workspace).
   */
  submit(input: SuiteInput | SuitePlan, id: string = randomUUID(), owner = "default"): JobSnapshot {
    const plan = "runs" in input ? input : resolveSuite(input);
    this.checkAdmission(owner, plan);
    let resolve!: (r: SuiteResult | null) => void;
    const done = new Promise<SuiteResult | null>((r) => (resolve = r));
    const job: Job = {
      snapshot: { id, status: "queued", suite: plan.name, progress: { fraction: 0, current: null }, runs: [], createdAt: new Date().toISOString() },
      plan,
      owner,
      controller: new AbortController(),
      done,
      resolve,
    };
    this.jobs.set(id, job);
    const queue = this.queues.get(owner);
    if (queue) queue.push(job);
    else this.queues.set(owner, [job]);
    const queued = this.copy(job);
    this.emit({ type: "status", job: queued });
    void this.pump(); // starts it now when nothing else runs (a "status" event reports it)
    return queued;
  }

  get(id: string): JobSnapshot | undefined {
    const job = this.jobs.get(id);
    return job ? this.copy(job) : undefined;
  }

  /** Resolves when the job has ended (null when it was cancelled while queued or failed). */
  wait(id: string): Promise<SuiteResult | null> {
    const job = this.jobs.get(id);
    return job ? job.done : Promise.resolve(null);
  }

  /** Cancel a queued or running job. Returns false for an unknown or already finished job. */
  cancel(id: string): boolean {
    return this.stop(id, undefined);
  }

  /** Stop a queued or running job and mark it failed with `reason` (e.g. its profile is full). */
  fail(id: string, reason: string): boolean {
    return this.stop(id, reason);
  }

  private stop(id: string, failure: string | undefined): boolean {
    const job = this.jobs.get(id);
    if (!job) return false;
    if (job.snapshot.status === "queued") {
      this.dequeue(job);
      if (failure !== undefined) job.snapshot.error = failure;
      this.finish(job, failure !== undefined ? "failed" : "cancelled", null);
      return true;
    }
    if (job.snapshot.status === "running") {
      job.failure ??= failure;
      job.controller.abort();
      return true;
    }
    return false;
  }

  /** Jobs not yet finished: the running one first, then the queued ones in the order they will start. */
  pending(): JobSnapshot[] {
    const order: Job[] = [];
    const queues = new Map([...this.queues].map(([o, q]) => [o, [...q]]));
    const lastStart = new Map(this.lastStart);
    let starts = this.starts;
    for (let owner = this.turn(queues, lastStart); owner !== undefined; owner = this.turn(queues, lastStart)) {
      order.push(queues.get(owner)!.shift()!);
      lastStart.set(owner, starts++);
    }
    return [...(this.running ? [this.running] : []), ...order].map((j) => this.copy(j));
  }

  /** Cancel everything and wait for the running job to stop. */
  async close(): Promise<void> {
    for (const q of [...this.queues.values()]) for (const j of [...q]) this.cancel(j.snapshot.id);
    if (this.running) {
      const r = this.running;
      this.cancel(r.snapshot.id);
      await r.done;
    }
  }

  private dequeue(job: Job): void {
    const q = this.queues.get(job.owner);
    if (!q) return;
    const rest = q.filter((j) => j !== job);
    if (rest.length > 0) this.queues.set(job.owner, rest);
    else this.queues.delete(job.owner);
  }

  /**
   * The owner whose turn it is among `queues`: the one whose last job started longest ago (never: first),
   * ties in the order the owners queued.
   */
  private turn(queues: Map<string, Job[]>, lastStart: Map<string, number>): string | undefined {
    let best: string | undefined;
    let bestAt = Infinity;
    for (const [owner, q] of queues) {
      const at = lastStart.get(owner) ?? -1;
      if (q.length > 0 && at < bestAt) {
        best = owner;
        bestAt = at;
      }
    }
    return best;
  }

  /** The next job in turn (round-robin over owners, FIFO within one), taken off its queue. */
  private next(): Job | undefined {
    const owner = this.turn(this.queues, this.lastStart);
    if (owner === undefined) return undefined;
    const q = this.queues.get(owner)!;
    const job = q.shift()!;
    if (q.length === 0) this.queues.delete(owner);
    this.lastStart.set(owner, this.starts++);
    // Owners with nothing queued keep their place only while few: the map stays bounded.
    if (this.lastStart.size > 1000) for (const o of this.lastStart.keys()) if (!this.queues.has(o) && this.lastStart.size > 1000) this.lastStart.delete(o);
    return job;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const job = this.next();
    if (!job) return;
    this.running = job;
    job.snapshot.status = "running";
    job.snapshot.startedAt = new Date().toISOString();
    this.emit({ type: "status", job: this.copy(job) });
    const run = this.opts.runSuite ?? defaultRunSuite;
    const capMin = Math.round((this.limits.jobTimeCapMs / 60_000) * 10) / 10;
    const cap = setTimeout(() => this.stop(job.snapshot.id, `stopped after the per-job time cap of ${capMin} min (${this.limits.jobTimeCapMs} ms)`), this.limits.jobTimeCapMs);
    cap.unref();
    try {
      const result = await run(job.plan, {
        backend: this.opts.backend,
        wasmKernels: this.opts.wasmKernels,
        signal: job.controller.signal,
        runTimeoutMs: this.opts.runTimeoutMs,
        onEvent: (e: SuiteEvent) => this.onSuiteEvent(job, e),
      });
      if (job.failure !== undefined) job.snapshot.error = job.failure;
      this.finish(job, job.failure !== undefined ? "failed" : result.status === "cancelled" ? "cancelled" : "completed", result);
    } catch (err) {
      job.snapshot.error = job.failure ?? (err instanceof Error ? err.message : String(err));
      this.finish(job, job.failure !== undefined ? "failed" : job.controller.signal.aborted ? "cancelled" : "failed", null);
    } finally {
      clearTimeout(cap);
      this.running = null;
      void this.pump();
    }
  }

  private onSuiteEvent(job: Job, e: SuiteEvent): void {
    if (e.type === "started") {
      this.emit({ type: "started", job: this.copy(job), device: e.device, backend: e.backend, fingerprint: e.fingerprint, workers: e.workers });
    } else if (e.type === "progress") {
      job.snapshot.progress = { fraction: e.fraction, current: e.current };
      this.emit({ type: "progress", job: this.copy(job) });
    } else if (e.type === "run") {
      job.snapshot.runs.push(e.run);
      this.emit({ type: "run", job: this.copy(job), run: e.run });
    }
  }

  private finish(job: Job, status: JobStatus, result: SuiteResult | null): void {
    job.snapshot.status = status;
    job.snapshot.finishedAt = new Date().toISOString();
    if (status === "completed") job.snapshot.progress = { fraction: 1, current: null };
    this.emit({ type: "finished", job: this.copy(job), result });
    job.resolve(result);
    this.finished.push(job.snapshot.id);
    if (this.finished.length > FINISHED_KEPT) this.jobs.delete(this.finished.shift()!);
  }

  private emit(e: JobEvent): void {
    try {
      this.opts.onEvent?.(e);
    } catch {
      /* a listener's failure must not stop the queue */
    }
  }

  private copy(job: Job): JobSnapshot {
    return { ...job.snapshot, progress: { ...job.snapshot.progress }, runs: [...job.snapshot.runs] };
  }
}
