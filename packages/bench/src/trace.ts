/**
 * Count the contraction work a step actually executed, from the kernel trace of `tf.profile`.
 * This is the independent check of the analytic formulas in flops.ts (same convention).
 */
import * as tf from "@tensorflow/tfjs";

export interface KernelRecord {
  name: string;
  inputShapes: (number[] | null)[];
  outputShapes: (number[] | null)[];
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** MACs of one kernel call of a contraction kernel; 0 for every other kernel. */
export function kernelMacs(k: KernelRecord): number {
  const out = k.outputShapes[0];
  switch (k.name) {
    case "BatchMatMul":
    case "_FusedMatMul": {
      const a = k.inputShapes[0];
      if (!a || !out) return 0;
      const m = out[out.length - 2];
      const n = out[out.length - 1];
      const batch = prod(out.slice(0, -2));
      const [a0, a1] = [a[a.length - 2], a[a.length - 1]];
      // a is [.., m, k] or (transposed) [.., k, m]; the dimension that is not m is k.
      const inner = a1 === m ? a0 : a0 === m ? a1 : a1;
      return batch * m * n * inner;
    }
    case "Conv2D":
    case "FusedConv2D": {
      const filter = k.inputShapes[1];
      if (!filter || !out) return 0;
      return out[0] * out[1] * out[2] * filter[0] * filter[1] * filter[2] * filter[3];
    }
    case "Conv2DBackpropInput": {
      const dy = k.inputShapes[0];
      const filter = k.inputShapes[1];
      if (!dy || !filter) return 0;
      return dy[0] * dy[1] * dy[2] * filter[0] * filter[1] * filter[2] * filter[3];
    }
    case "Conv2DBackpropFilter": {
      const dy = k.inputShapes[1];
      if (!dy || !out) return 0;
      return dy[0] * dy[1] * dy[2] * out[0] * out[1] * out[2] * out[3];
    }
    default:
      return 0;
  }
}

export interface StepTrace {
  /** 2 × MACs of every contraction kernel executed. */
  flops: number;
  kernelCount: number;
  /** Peak bytes of live tensors during the step (weights, optimiser state and temporaries included). */
  peakBytes: number;
  /** Kernel names with their call counts. */
  kernels: Record<string, number>;
}

/** Run `fn` once under tf.profile and summarise its kernels. The result of `fn` is disposed. */
export async function traceStep(fn: () => tf.TensorContainer): Promise<StepTrace> {
  const info = await tf.profile(() => fn());
  const records = info.kernels as unknown as KernelRecord[];
  const kernels: Record<string, number> = {};
  let macs = 0;
  for (const k of records) {
    kernels[k.name] = (kernels[k.name] ?? 0) + 1;
    macs += kernelMacs(k);
  }
  tf.dispose(info.result as tf.TensorContainer);
  return { flops: 2 * macs, kernelCount: records.length, peakBytes: info.peakBytes, kernels };
}
