/**
 * Benchmark jobs for a service: a FIFO queue that runs one suite at a time per machine. The suite's
 * measuring happens in worker processes (runner.ts → pool.ts), so the caller's event loop stays free
 * to answer requests; the queue only coordinates. Each job reports progress (fraction, current model),
 * each finished run, and its end; a job can be cancelled while queued or running.
 */
import { randomUUID } from "node:crypto";
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
}

interface Job {
  snapshot: JobSnapshot;
  plan: SuitePlan;
  controller: AbortController;
  done: Promise<SuiteResult | null>;
  resolve: (r: SuiteResult | null) => void;
}

export class JobQueue {
  private jobs = new Map<string, Job>();
  private queue: Job[] = [];
  private running: Job | null = null;

  constructor(private readonly opts: JobQueueOptions = {}) {}

  /** Validate (throws BenchInputError naming the field) and enqueue; returns the queued job. */
  submit(input: SuiteInput | SuitePlan, id: string = randomUUID()): JobSnapshot {
    const plan = "runs" in input ? input : resolveSuite(input);
    let resolve!: (r: SuiteResult | null) => void;
    const done = new Promise<SuiteResult | null>((r) => (resolve = r));
    const job: Job = {
      snapshot: { id, status: "queued", suite: plan.name, progress: { fraction: 0, current: null }, runs: [], createdAt: new Date().toISOString() },
      plan,
      controller: new AbortController(),
      done,
      resolve,
    };
    this.jobs.set(id, job);
    this.queue.push(job);
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
    const job = this.jobs.get(id);
    if (!job) return false;
    if (job.snapshot.status === "queued") {
      this.queue = this.queue.filter((j) => j !== job);
      this.finish(job, "cancelled", null);
      return true;
    }
    if (job.snapshot.status === "running") {
      job.controller.abort();
      return true;
    }
    return false;
  }

  /** Jobs not yet finished, in queue order (the running one first). */
  pending(): JobSnapshot[] {
    return [...(this.running ? [this.running] : []), ...this.queue].map((j) => this.copy(j));
  }

  /** Cancel everything and wait for the running job to stop. */
  async close(): Promise<void> {
    for (const j of [...this.queue]) this.cancel(j.snapshot.id);
    if (this.running) {
      const r = this.running;
      this.cancel(r.snapshot.id);
      await r.done;
    }
  }

  private async pump(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    job.snapshot.status = "running";
    job.snapshot.startedAt = new Date().toISOString();
    this.emit({ type: "status", job: this.copy(job) });
    const run = this.opts.runSuite ?? defaultRunSuite;
    try {
      const result = await run(job.plan, {
        backend: this.opts.backend,
        wasmKernels: this.opts.wasmKernels,
        signal: job.controller.signal,
        runTimeoutMs: this.opts.runTimeoutMs,
        onEvent: (e: SuiteEvent) => this.onSuiteEvent(job, e),
      });
      this.finish(job, result.status === "cancelled" ? "cancelled" : "completed", result);
    } catch (err) {
      job.snapshot.error = err instanceof Error ? err.message : String(err);
      this.finish(job, job.controller.signal.aborted ? "cancelled" : "failed", null);
    } finally {
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
