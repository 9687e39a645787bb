/**
 * Execute one measurement task on the current TensorFlow.js backend: a matmul probe or a model phase.
 * Runs inside a worker process (worker.ts); also callable in-process.
 */
import * as tf from "@tensorflow/tfjs";
import { modelKey } from "./families";
import { timeSteps, warmUp, type Step } from "./measure";
import { buildModel, type Batch, type BuiltModel } from "./models";
import type { BandwidthTaskResult, MatmulTaskResult, ModelTaskResult, WorkerTask } from "./protocol";
import { traceStep } from "./trace";

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

/** Asynchronous backends (tfjs-node on a GPU) may still be running when the loss is read. */
function needsVariableRead(): boolean {
  return tf.getBackend() === "tensorflow";
}

export function modelStep(built: BuiltModel, batch: Batch, phase: "inference" | "training"): Step {
  if (phase === "inference") {
    return () => {
      const y = built.inferStep(batch);
      y.dataSync();
      y.dispose();
    };
  }
  const readVar = needsVariableRead();
  return () => {
    const loss = built.trainStep(batch);
    loss.dataSync();
    loss.dispose();
    // The optimiser's last write; reading it waits for every queued kernel of the step.
    if (readVar) built.lastUpdatedVariable().dataSync();
  };
}

export async function executeTask(
  task: WorkerTask,
  ctx: TaskContext,
  arm: () => Promise<void> = async () => {},
): Promise<MatmulTaskResult | ModelTaskResult | BandwidthTaskResult> {
  if (task.kind === "bandwidth") {
    // Elementwise a + b over vectors far larger than the caches: a memory-bandwidth probe.
    const a = tf.randomUniform([task.elements], 0, 1, "float32", 1);
    const b = tf.randomUniform([task.elements], 0, 1, "float32", 2);
    try {
      // wasm and cpu kernels run synchronously, so the add is done when it returns; reading the whole
      // output would add a copy of the same size. An asynchronous backend reads back one element.
      const sync = needsVariableRead();
      const step: Step = () => {
        const c = tf.add(a, b);
        if (sync) {
          const first = tf.slice(c, 0, 1);
          first.dataSync();
          first.dispose();
        }
        c.dispose();
      };
      const warm = await warmUp(step, task.measure);
      await arm();
      const measurement = await timeSteps(step, task.measure, warm);
      return { kind: "bandwidth", elements: task.elements, bytesPerStep: 3 * 4 * task.elements, measurement };
    } finally {
      a.dispose();
      b.dispose();
    }
  }
  if (task.kind === "matmul") {
    const a = tf.randomNormal([task.n, task.n], 0, 1, "float32", 1);
    const b = tf.randomNormal([task.n, task.n], 0, 1, "float32", 2);
    try {
      const step: Step = () => {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
      };
      const warm = await warmUp(step, task.measure);
      await arm();
      const measurement = await timeSteps(step, task.measure, warm);
      return { kind: "matmul", n: task.n, measurement };
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
  await arm();
  const measurement = await timeSteps(step, task.measure, warm);
  return { kind: "model", measurement, countParams: built.countParams(), trace, liveBytes: tf.memory().numBytes, buildMs };
}
