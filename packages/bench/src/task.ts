/**
 * Execute one measurement task on the current TensorFlow.js backend: a matmul or bandwidth probe, a
 * WGSL device probe (WebGPU), or a model phase. Runs inside a worker process (worker.ts); also callable
 * in-process.
 *
 * Synchronous backends (wasm, cpu) finish a kernel before it returns, and `dataSync` of the result ends
 * a step. On an asynchronous backend the step ends when its result has been read back — WebGPU cannot
 * read synchronously in Node, so `await data()` — and, on WebGPU, when the queue reports every command
 * submitted so far done (onSubmittedWorkDone: the optimiser's updates queued after the loss included).
 */
import * as tf from "@tensorflow/tfjs";
import { modelKey } from "./families";
import { timeSteps, warmUp, type Step } from "./measure";
import { buildModel, type Batch, type BuiltModel } from "./models";
import type { BandwidthTaskResult, MatmulTaskResult, ModelTaskResult, TaskResult, WorkerTask } from "./protocol";
import { traceStep } from "./trace";
import { webGpuDevice, webGpuIdle } from "./webgpu";
import { measureWgslBandwidth, measureWgslMatmul } from "./webgpu-probes";

/** Models and batches kept between tasks of the same model configuration (one model at a time). */
export class TaskContext {
  private model: { key: string; built: BuiltModel; buildMs: number } | null = null;
  private batches = new Map<number, Batch>();

  getModel(task: Extract<WorkerTask, { kind: "model" }>): { built: BuiltModel; buildMs: number; batch: Batch } {
    const key = modelKey(task.spec);
    if (this.model?.key !== key) {
      this.release();
      const t0 = performance.now();
      const built = buildModel(task.spec);
      this.model = { key, built, buildMs: performance.now() - t0 };
    }
    let batch = this.batches.get(task.batchSize);
    if (!batch) {
      batch = this.model.built.makeBatch(task.batchSize);
      this.batches.set(task.batchSize, batch);
    }
    return { built: this.model.built, buildMs: this.model.buildMs, batch };
  }

  release(): void {
    for (const b of this.batches.values()) b.dispose();
    this.batches.clear();
    this.model?.built.dispose();
    this.model = null;
  }
}

/** Backends whose kernels return before the work is done. */
export function isAsynchronousBackend(name = tf.getBackend()): boolean {
  return name === "webgpu" || name === "tensorflow";
}

/**
 * Force a tensor's value to the CPU: `dataSync` where the backend allows it, else `await data()`
 * (WebGPU in Node has no synchronous read).
 */
export async function readBack(t: tf.Tensor): Promise<void> {
  if (tf.getBackend() === "webgpu") await t.data();
  else t.dataSync();
}

/** After a step's read: on WebGPU wait for every submitted command (work queued after the read value). */
async function drain(): Promise<void> {
  if (tf.getBackend() === "webgpu") await webGpuIdle();
}

export function modelStep(built: BuiltModel, batch: Batch, phase: "inference" | "training"): Step {
  if (phase === "inference") {
    return async () => {
      const y = built.inferStep(batch);
      try {
        await readBack(y);
      } finally {
        y.dispose();
      }
      await drain();
    };
  }
  // tfjs-node: the optimiser's last write, read after the loss, waits for every queued kernel of the step.
  const readVar = tf.getBackend() === "tensorflow";
  return async () => {
    const loss = built.trainStep(batch);
    try {
      await readBack(loss);
    } finally {
      loss.dispose();
    }
    if (readVar) built.lastUpdatedVariable().dataSync();
    await drain();
  };
}

/** Read one element of `t` (a cheap read that still waits for the work producing `t`). */
async function readOne(t: tf.Tensor): Promise<void> {
  const first = tf.slice(tf.reshape(t, [-1]), 0, 1);
  try {
    await readBack(first);
  } finally {
    first.dispose();
  }
  await drain();
}

/**
 * Repetitions per step on an asynchronous backend: enough that a step lasts about `targetMs`, so that
 * a probe times the device rather than one submit-and-read round trip. 1 on a synchronous backend.
 */
async function repetitionsFor(once: () => Promise<void>, targetMs = 20, max = 64): Promise<number> {
  if (!isAsynchronousBackend()) return 1;
  await once(); // shader compilation, first allocation
  const t0 = performance.now();
  await once();
  const ms = Math.max(performance.now() - t0, 1e-3);
  return Math.max(1, Math.min(max, Math.round(targetMs / ms)));
}

export async function executeTask(task: WorkerTask, ctx: TaskContext, arm: () => Promise<void> = async () => {}): Promise<TaskResult> {
  if (task.kind === "wgsl-matmul" || task.kind === "wgsl-bandwidth") {
    const device = webGpuDevice();
    if (!device || tf.getBackend() !== "webgpu") throw new Error("WGSL probes run on the webgpu backend only");
    await webGpuIdle();
    if (task.kind === "wgsl-matmul") return { kind: "wgsl-matmul", ...(await measureWgslMatmul(device, task.precision, task.n, task.measure)) };
    return { kind: "wgsl-bandwidth", ...(await measureWgslBandwidth(device, task.bytes, task.measure)) };
  }
  if (task.kind === "bandwidth") {
    // Elementwise a + b over vectors far larger than the caches: a memory-bandwidth probe.
    const a = tf.randomUniform([task.elements], 0, 1, "float32", 1);
    const b = tf.randomUniform([task.elements], 0, 1, "float32", 2);
    try {
      // wasm and cpu kernels run synchronously, so the add is done when it returns; reading the whole
      // output would add a copy of the same size. An asynchronous backend reads back one element of the
      // last of `adds` sums (the device runs them in order).
      const sync = !isAsynchronousBackend();
      const addsOnce = async (adds: number) => {
        let last: tf.Tensor | null = null;
        for (let i = 0; i < adds; i++) {
          last?.dispose();
          last = tf.add(a, b);
        }
        if (!sync) await readOne(last!);
        last!.dispose();
      };
      const adds = await repetitionsFor(() => addsOnce(1));
      const step: Step = () => addsOnce(adds);
      const warm = await warmUp(step, task.measure);
      await arm();
      const measurement = await timeSteps(step, task.measure, warm);
      return { kind: "bandwidth", elements: task.elements, bytesPerStep: 3 * 4 * task.elements * adds, addsPerStep: adds, measurement };
    } finally {
      a.dispose();
      b.dispose();
    }
  }
  if (task.kind === "matmul") {
    const a = tf.randomNormal([task.n, task.n], 0, 1, "float32", 1);
    const b = tf.randomNormal([task.n, task.n], 0, 1, "float32", 2);
    try {
      const sync = !isAsynchronousBackend();
      const products = async (count: number) => {
        if (sync) {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
          return;
        }
        let last: tf.Tensor | null = null;
        for (let i = 0; i < count; i++) {
          last?.dispose();
          last = tf.matMul(a, b);
        }
        await readOne(last!);
        last!.dispose();
      };
      const count = await repetitionsFor(() => products(1));
      const step: Step = () => products(count);
      const warm = await warmUp(step, task.measure);
      await arm();
      const measurement = await timeSteps(step, task.measure, warm);
      return { kind: "matmul", n: task.n, productsPerStep: count, measurement } satisfies MatmulTaskResult;
    } finally {
      a.dispose();
      b.dispose();
    }
  }
  const { built, buildMs, batch } = ctx.getModel(task);
  const step = modelStep(built, batch, task.phase);
  const warm = await warmUp(step, task.measure);
  // One profiled step outside the timed region: contraction FLOPs, kernel count, peak tensor bytes.
  const trace = task.trace
    ? await traceStep(() => (task.phase === "inference" ? built.inferStep(batch) : built.trainStep(batch)))
    : null;
  await drain();
  await arm();
  const measurement = await timeSteps(step, task.measure, warm);
  return { kind: "model", measurement, countParams: built.countParams(), trace, liveBytes: tf.memory().numBytes, buildMs } satisfies ModelTaskResult;
}

export type { BandwidthTaskResult };
