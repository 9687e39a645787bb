/**
 * A pool of benchmark worker processes. Each is an independent Node process with its own
 * TensorFlow.js backend, running the same form of the code as its parent: from sources (tsx,
 * vitest) worker.ts with tsx registered; from a bundle (the service's build, services/api/dist)
 * the bundled bench-worker.js beside it, with plain Node. Processes rather than worker threads: a crash or an out-of-memory abort
 * takes down one worker, not the caller, and native backends (tfjs-node) load normally.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BackendChoice, BackendInfo } from "./backend-choice";
import { BenchRunError } from "./errors";
import type { FromWorker, TaskResult, ToWorker, WorkerTask } from "./protocol";

const require = createRequire(import.meta.url);
const FROM_SOURCES = import.meta.url.endsWith(".ts");
/**
 * The worker entry: from sources worker.ts (run with tsx registered), from the service's bundle the
 * bench-worker.js beside it; a bundle made elsewhere (scripts/gpu-bundle.sh, for a machine without the
 * repository's node_modules) names its own compiled entry in MODELPLAN_BENCH_WORKER.
 */
const BUNDLED_WORKER = process.env.MODELPLAN_BENCH_WORKER ?? (FROM_SOURCES ? undefined : fileURLToPath(new URL("./bench-worker.js", import.meta.url)));
const WORKER_ENTRY = BUNDLED_WORKER ?? fileURLToPath(new URL("./worker.ts", import.meta.url));

/** execArgv that registers tsx in a child Node process. */
export function tsxExecArgv(): string[] {
  return ["--import", pathToFileURL(require.resolve("tsx")).href];
}

export interface PoolOptions {
  backend?: BackendChoice | "auto";
  /** Register the bench engine's wasm kernels (default on); off measures stock tfjs-backend-wasm. */
  wasmKernels?: boolean;
  /** V8 heap limit of each worker (MiB). */
  maxOldSpaceMb?: number;
  /** How long a worker may take to start its backend. */
  startTimeoutMs?: number;
  /** Aborting it while the workers start their backends (seconds on a loaded machine) kills them at once. */
  signal?: AbortSignal;
}

interface Pending {
  resolve: (r: TaskResult) => void;
  reject: (e: Error) => void;
  onArmed?: () => void;
  timer?: NodeJS.Timeout;
}

class WorkerProcess {
  readonly child: ChildProcess;
  private pending = new Map<number, Pending>();
  private stderrTail = "";
  exited = false;
  backend: BackendInfo | null = null;

  constructor(opts: PoolOptions) {
    this.child = fork(WORKER_ENTRY, [], {
      execArgv: [...(BUNDLED_WORKER ? [] : tsxExecArgv()), `--max-old-space-size=${opts.maxOldSpaceMb ?? 4096}`],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    this.child.on("message", (raw) => this.onMessage(raw as FromWorker));
    this.child.on("exit", (code, signal) => {
      this.exited = true;
      const why = `worker process exited (${signal ? `signal ${signal}` : `code ${code}`})${oomHint(code, signal, this.stderrTail)}`;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new BenchRunError(why));
      }
      this.pending.clear();
      this.readyReject?.(new BenchRunError(why + lastLine(this.stderrTail)));
    });
  }

  private readyResolve?: (info: BackendInfo) => void;
  private readyReject?: (e: Error) => void;

  start(backend: BackendChoice | "auto" | undefined, wasmKernels: boolean | undefined, timeoutMs: number): Promise<BackendInfo> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new BenchRunError(`worker did not start its backend within ${timeoutMs} ms`));
      }, timeoutMs);
      this.readyResolve = (info) => {
        clearTimeout(timer);
        this.backend = info;
        resolve(info);
      };
      this.readyReject = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      this.send({ type: "init", backend, wasmKernels });
    });
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case "ready":
        this.readyResolve?.(msg.backend);
        return;
      case "init-failed":
        this.readyReject?.(new BenchRunError(msg.error));
        return;
      case "armed":
        this.pending.get(msg.id)?.onArmed?.();
        return;
      case "result":
      case "failed": {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.type === "result") p.resolve(msg.result);
        else p.reject(new BenchRunError(msg.error));
        return;
      }
    }
  }

  send(msg: ToWorker): void {
    if (!this.exited && this.child.connected) this.child.send(msg);
  }

  run(id: number, task: WorkerTask, barrier: boolean, timeoutMs: number, onArmed?: () => void): Promise<TaskResult> {
    if (this.exited) return Promise.reject(new BenchRunError("worker process is not running"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BenchRunError(`exceeded the time cap of ${Math.round(timeoutMs / 1000)} s per run`));
        this.kill();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, onArmed, timer });
      this.send({ type: "task", id, task, barrier });
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }
}

function oomHint(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Out of memory|Cannot enlarge memory|RangeError: (Array buffer|WebAssembly)/i.test(stderr)) return ": out of memory";
  if (signal === "SIGKILL") return " (killed: out of memory or time cap)";
  if (code === 134) return " (aborted: likely out of memory)";
  return "";
}

function lastLine(s: string): string {
  const line = s.trim().split("\n").pop();
  return line ? `: ${line}` : "";
}

export class WorkerPool {
  private workers: WorkerProcess[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(private readonly opts: PoolOptions) {}

  /** Start `count` workers in parallel; resolves when all have started their backend. */
  static async start(count: number, opts: PoolOptions = {}): Promise<WorkerPool> {
    const pool = new WorkerPool(opts);
    const onAbort = () => void pool.close();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (opts.signal?.aborted) throw new BenchRunError("cancelled before the workers started");
      await pool.grow(count);
    } catch (err) {
      await pool.close();
      throw err;
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Backend of the first worker (all workers start the same one). */
  get backend(): BackendInfo {
    const info = this.workers[0]?.backend;
    if (!info) throw new Error("pool has no started worker");
    return info;
  }

  async grow(count: number): Promise<void> {
    const added: WorkerProcess[] = [];
    while (this.workers.length + added.length < count) added.push(new WorkerProcess(this.opts));
    this.workers.push(...added);
    await Promise.all(added.map((w) => w.start(this.opts.backend, this.opts.wasmKernels, this.opts.startTimeoutMs ?? 60_000)));
  }

  /** Replace a worker that died (after a crash, an out-of-memory abort or a time cap). */
  private async ensureAlive(index: number): Promise<WorkerProcess> {
    if (this.closed) throw new BenchRunError("pool is closed");
    const w = this.workers[index];
    if (!w.exited) return w;
    const fresh = new WorkerProcess(this.opts);
    this.workers[index] = fresh;
    await fresh.start(this.opts.backend, this.opts.wasmKernels, this.opts.startTimeoutMs ?? 60_000);
    return fresh;
  }

  /** Run a task on one worker. */
  async run(index: number, task: WorkerTask, timeoutMs: number): Promise<TaskResult> {
    const w = await this.ensureAlive(index);
    return w.run(this.nextId++, task, false, timeoutMs);
  }

  /**
   * Run the same task on every worker at once: each warms up, reports armed, and all start timing
   * together when the last is armed. Rejects with the first failure after all have settled.
   */
  async runTogether(task: WorkerTask, timeoutMs: number): Promise<TaskResult[]> {
    const ws = await Promise.all(this.workers.map((_, i) => this.ensureAlive(i)));
    const id = this.nextId++;
    let armedCount = 0;
    const goAll = () => ws.forEach((w) => w.send({ type: "go", id }));
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        goAll();
      }
    };
    const results = ws.map((w) =>
      w
        .run(id, task, true, timeoutMs, () => {
          armedCount++;
          if (armedCount === ws.length) release();
        })
        .catch((err: Error) => {
          // A worker that fails before arming would hold the others at the barrier: release them.
          release();
          throw err;
        }),
    );
    const settled = await Promise.allSettled(results);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<TaskResult>).value);
  }

  /** Ask every worker to drop its cached model and batches. */
  release(): void {
    for (const w of this.workers) w.send({ type: "release" });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exited) return resolve();
            w.child.once("exit", () => resolve());
            w.kill();
          }),
      ),
    );
    this.workers = [];
  }
}
