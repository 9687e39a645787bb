/**
 * Kernels the TensorFlow.js wasm backend (4.22) lacks or runs slowly in Node, registered for 'wasm':
 *  - UnsortedSegmentSum (missing): the gradient of tf.gather, so every Embedding fails to train.
 *  - Conv2DBackpropFilter (missing): the weight gradient of Conv2D / Conv2DTranspose, so CNNs and GANs
 *    fail to train. Implemented as im2col followed by one fast matrix product.
 *  - BatchMatMul / _FusedMatMul with transposeA or transposeB: the wasm kernel reaches 1–4 GFLOP/s on
 *    these (every backward pass uses them) against ~13–17 GFLOP/s without transposes on this machine,
 *    so the operand is transposed first (the wasm Transpose kernel) and the non-transposed path runs.
 *  - BatchMatMul over a batch of matrices (attention): the wasm kernel loops naively (~0.8 GFLOP/s);
 *    it is run as one fast single-matrix product per batch entry.
 *  - Conv2DBackpropInput (Conv2D's input gradient, Conv2DTranspose's forward): a direct loop in wasm
 *    (~2 GFLOP/s); replaced by one fast product and a col2im scatter-add.
 *  - GatherV2 (Embedding lookup): copied element by element in wasm; replaced by row copies.
 * Each is checked numerically against the cpu backend in test/wasm-kernels.test.ts.
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmPatchReport } from "./backend-choice";

/** The parts of the wasm backend object these kernels use (BackendWasm is not exported by name). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
}

type KernelArgs = {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
  attrs?: Record<string, unknown>;
};
type KernelFn = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

const PATCHED = Symbol.for("modelplan.bench.wasmPatched");

function kernelFn(name: string): KernelFn {
  const k = tf.getKernel(name, "wasm");
  if (!k) throw new Error(`wasm backend has no ${name} kernel to build on`);
  return k.kernelFunc as unknown as KernelFn;
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** Measured crossover (test/wasm-kernels.test.ts prints it): naive ~1 GFLOP/s vs ~50 µs + 10 GFLOP/s. */
export const PER_BATCH_MIN_MACS = 32_768;

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/**
 * Batched product (more than one matrix in the batch) by one fast 2-D product per batch entry: the wasm
 * kernel runs batched products through a naive loop (~0.8 GFLOP/s measured, even for 2 × 512³), while
 * its single-matrix path uses XNNPACK. Operands are not transposed here (the caller has done that).
 * Handles equal batch sizes and broadcasting of a single matrix; returns null for other broadcasts.
 */
function batchedBySlices(original: KernelFn, args: KernelArgs, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo | null {
  const { backend } = args;
  const m = a.shape[a.shape.length - 2];
  const k = a.shape[a.shape.length - 1];
  const n = b.shape[b.shape.length - 1];
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = prod(outerA);
  const batchB = prod(outerB);
  const batch = Math.max(batchA, batchB);
  if (batch <= 1 || a.dtype !== "float32" || b.dtype !== "float32") return null;
  // Below ~32K MACs per matrix the ~50 µs per-call cost of a fresh XNNPACK operator outweighs the gain.
  if (m * k * n < PER_BATCH_MIN_MACS) return null;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const outer = batchA >= batchB ? outerA : outerB;
  if (batchA === batchB && outerA.join() !== outerB.join()) return null;
  const reshape = kernelFn("Reshape");
  const out = backend.makeOutput([...outer, m, n], "float32");
  // A single matrix broadcast over the batch is passed as is (XNNPACK then packs it once).
  const sharedA = batchA === 1 ? (reshape({ inputs: { x: a }, backend, attrs: { shape: [1, m, k] } }) as tf.TensorInfo) : null;
  const sharedB = batchB === 1 ? (reshape({ inputs: { x: b }, backend, attrs: { shape: [1, k, n] } }) as tf.TensorInfo) : null;
  try {
    for (let i = 0; i < batch; i++) {
      // Fresh operands per entry: the wasm kernel caches its packed right operand by tensor id.
      const ai = sharedA ?? backend.makeOutput([1, m, k], "float32");
      const bi = sharedB ?? backend.makeOutput([1, k, n], "float32");
      if (!sharedA) (backend.typedArrayFromHeap(ai) as Float32Array).set((backend.typedArrayFromHeap(a) as Float32Array).subarray(i * m * k, (i + 1) * m * k));
      if (!sharedB) (backend.typedArrayFromHeap(bi) as Float32Array).set((backend.typedArrayFromHeap(b) as Float32Array).subarray(i * k * n, (i + 1) * k * n));
      const oi = original({ ...args, inputs: { a: ai, b: bi }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
      // Views are taken after every allocation: growing the wasm heap detaches older views.
      (backend.typedArrayFromHeap(out) as Float32Array).set(backend.typedArrayFromHeap(oi) as Float32Array, i * m * n);
      backend.disposeData(oi.dataId);
      if (!sharedA) backend.disposeData(ai.dataId);
      if (!sharedB) backend.disposeData(bi.dataId);
    }
  } finally {
    if (sharedA) backend.disposeData(sharedA.dataId);
    if (sharedB) backend.disposeData(sharedB.dataId);
  }
  return out;
}

/**
 * Wrap a matmul kernel: transposed operands are materialised first (wasm Transpose) so the
 * non-transposed fast path runs; for BatchMatMul, batched products run one fast product per matrix.
 */
function fastMatMul(original: KernelFn, perBatch: boolean): KernelFn {
  const fn: KernelFn = (args) => {
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const temps: tf.TensorInfo[] = [];
    const inputs = { ...args.inputs };
    try {
      if (attrs.transposeA || attrs.transposeB) {
        const transpose = kernelFn("Transpose");
        for (const [key, flag] of [
          ["a", attrs.transposeA],
          ["b", attrs.transposeB],
        ] as const) {
          if (!flag) continue;
          const x = inputs[key];
          const t = transpose({ inputs: { x }, backend: args.backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as tf.TensorInfo;
          temps.push(t);
          inputs[key] = t;
        }
      }
      if (perBatch) {
        const out = batchedBySlices(original, args, inputs.a, inputs.b);
        if (out) return out;
      }
      if (temps.length === 0) return original(args);
      return original({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) args.backend.disposeData(t.dataId);
    }
  };
  return fn;
}

/** out[segmentIds[i], :] += x[i, :] (segmentIds flattened over its leading dims of x). */
const unsortedSegmentSum: KernelFn = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs;
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const idsRank = segmentIds.shape.length;
  const numIds = segmentIds.shape.reduce((a, b) => a * b, 1);
  const innerShape = x.shape.slice(idsRank);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  // Views are taken after the allocation: growing the wasm heap detaches older views.
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const o = backend.typedArrayFromHeap(out);
  o.fill(0);
  for (let i = 0; i < numIds; i++) {
    const seg = ids[i];
    if (seg < 0 || seg >= numSegments) continue; // TF semantics: out-of-range ids are dropped
    const src = i * inner;
    const dst = seg * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j];
  }
  return out;
};

/** Attributes both convolution-gradient kernels receive. */
interface ConvGradAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/**
 * Geometry of a 2-D convolution (NHWC) as the gradient kernels use it: tfjs's conv info plus the
 * im2col matrix size (rows = batch × output positions, cols = kh × kw × C_in).
 */
function convGeometry(kernel: string, xShape: number[], filterShape: number[], a: ConvGradAttrs) {
  if (a.dataFormat === "NCHW") throw new Error(`${kernel} (modelplan wasm kernel): only NHWC is supported`);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast",
  );
  return {
    ...info,
    top: info.padInfo.top,
    left: info.padInfo.left,
    rows: info.batchSize * info.outHeight * info.outWidth,
    cols: info.filterHeight * info.filterWidth * info.inChannels,
  };
}

/**
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} x_pad[b, oh·sh + kh, ow·sw + kw, ci] · dy[b, oh, ow, co]
 * = colsᵀ · dy with cols[b·OH·OW, kh·kw·Cin] the im2col matrix (zeros where the window reads padding).
 */
const conv2DBackpropFilter: KernelFn = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  const a = attrs as unknown as ConvGradAttrs & { filterShape: [number, number, number, number] };
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left, rows, cols } =
    convGeometry("Conv2DBackpropFilter", x.shape, a.filterShape, a);
  const colInfo = backend.makeOutput([1, rows, cols], "float32");
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const col = backend.typedArrayFromHeap(colInfo) as Float32Array;
  let r = 0;
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * inChannels;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, r++) {
        let c = r * cols;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - top;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw - left;
            if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) {
              col.fill(0, c, c + inChannels);
            } else {
              const src = xb + (ih * inWidth + iw) * inChannels;
              col.set(xs.subarray(src, src + inChannels), c);
            }
            c += inChannels;
          }
        }
      }
    }
  }
  const reshape = kernelFn("Reshape");
  const dy3 = reshape({ inputs: { x: dy }, backend, attrs: { shape: [1, rows, outChannels] } }) as tf.TensorInfo;
  try {
    const matmul = kernelFn("BatchMatMul");
    const dw = matmul({ inputs: { a: colInfo, b: dy3 }, backend, attrs: { transposeA: true, transposeB: false } }) as tf.TensorInfo;
    // [1, kh·kw·Cin, Cout] is the filter [kh, kw, Cin, Cout] in row-major order.
    dw.shape = [...a.filterShape];
    return dw;
  } finally {
    backend.disposeData(colInfo.dataId);
    backend.disposeData(dy3.dataId);
  }
};

/**
 * dx = col2im(dy · Wᵀ): with W the filter as a [kh·kw·Cin, Cout] matrix, cols = dy[b·OH·OW, Cout] · Wᵀ
 * is one fast matrix product, then each row of cols is scatter-added into the kh×kw window it came
 * from (positions falling into padding are dropped). This is also Conv2DTranspose's forward pass.
 * The wasm kernel computes it with a direct loop (~2 GFLOP/s measured on the GAN generator).
 */
const conv2DBackpropInput: KernelFn = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  const a = attrs as unknown as ConvGradAttrs & { inputShape: [number, number, number, number] };
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left, rows, cols } =
    convGeometry("Conv2DBackpropInput", a.inputShape, filter.shape, a);
  const reshape = kernelFn("Reshape");
  const dy3 = reshape({ inputs: { x: dy }, backend, attrs: { shape: [1, rows, outChannels] } }) as tf.TensorInfo;
  const w3 = reshape({ inputs: { x: filter }, backend, attrs: { shape: [1, cols, outChannels] } }) as tf.TensorInfo;
  let colInfo: tf.TensorInfo | null = null;
  try {
    colInfo = kernelFn("BatchMatMul")({ inputs: { a: dy3, b: w3 }, backend, attrs: { transposeA: false, transposeB: true } }) as tf.TensorInfo;
    const out = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], "float32");
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    const col = backend.typedArrayFromHeap(colInfo) as Float32Array;
    dx.fill(0);
    let r = 0;
    for (let b = 0; b < batchSize; b++) {
      const xb = b * inHeight * inWidth * inChannels;
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++, r++) {
          let c = r * cols;
          for (let kh = 0; kh < filterHeight; kh++) {
            const ih = oh * strideHeight + kh - top;
            for (let kw = 0; kw < filterWidth; kw++, c += inChannels) {
              const iw = ow * strideWidth + kw - left;
              if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) continue;
              const dst = xb + (ih * inWidth + iw) * inChannels;
              for (let ci = 0; ci < inChannels; ci++) dx[dst + ci] += col[c + ci];
            }
          }
        }
      }
    }
    return out;
  } finally {
    backend.disposeData(dy3.dataId);
    backend.disposeData(w3.dataId);
    if (colInfo) backend.disposeData(colInfo.dataId);
  }
};

/**
 * GatherV2 (batchDims 0): out[o, i, j] = x[o, indices[i], j] with x seen as [outer, axisDim, inner] —
 * one contiguous row copy per index. The wasm kernel copies element by element (~48 ns/element
 * measured: 6.3 ms for a 2048 × 64 embedding lookup).
 */
const gatherV2: KernelFn = (args) => {
  const { inputs, backend, attrs } = args;
  const { x, indices } = inputs;
  const { axis, batchDims } = attrs as { axis: number; batchDims: number };
  if ((batchDims ?? 0) !== 0 || (x.dtype !== "float32" && x.dtype !== "int32")) return originalGather!(args);
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const outer = prod(x.shape.slice(0, ax));
  const axisDim = x.shape[ax];
  const inner = prod(x.shape.slice(ax + 1));
  const numIdx = prod(indices.shape);
  const out = backend.makeOutput([...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype);
  const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < numIdx; i++) {
      const id = ids[i];
      const to = (o * numIdx + i) * inner;
      if (id < 0 || id >= axisDim) {
        dst.fill(0, to, to + inner); // tfjs CPU semantics: out-of-range indices give zeros
        continue;
      }
      const from = (o * axisDim + id) * inner;
      dst.set(src.subarray(from, from + inner), to);
    }
  }
  return out;
};
let originalGather: KernelFn | null = null;

export type { WasmPatchReport };

/**
 * Register the missing kernels and the transposed-matmul fast path for the 'wasm' backend.
 * Idempotent; call after `tf.setBackend('wasm')` has resolved (or before: setup functions are kept).
 */
export function registerWasmKernels(): WasmPatchReport {
  const report: WasmPatchReport = { added: [], wrapped: [], replaced: [] };
  for (const name of ["BatchMatMul", "_FusedMatMul"]) {
    const config = tf.getKernel(name, "wasm");
    if (!config) continue;
    const fn = config.kernelFunc as unknown as KernelFn & { [PATCHED]?: boolean };
    if (fn[PATCHED]) continue;
    const wrapped = fastMatMul(fn, name === "BatchMatMul") as KernelFn & { [PATCHED]?: boolean };
    wrapped[PATCHED] = true;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ ...config, kernelFunc: wrapped as unknown as tf.KernelFunc });
    report.wrapped.push(name);
  }
  const missing: [string, KernelFn][] = [
    ["UnsortedSegmentSum", unsortedSegmentSum],
    ["Conv2DBackpropFilter", conv2DBackpropFilter],
  ];
  for (const [name, fn] of missing) {
    if (tf.getKernel(name, "wasm")) continue;
    tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: fn as unknown as tf.KernelFunc });
    report.added.push(name);
  }
  // Present but slow: replaced, keeping the original's setup (and, for GatherV2, its other cases).
  const replaced: [string, KernelFn][] = [
    ["Conv2DBackpropInput", conv2DBackpropInput],
    ["GatherV2", gatherV2],
  ];
  for (const [name, fn] of replaced) {
    const config = tf.getKernel(name, "wasm");
    if (!config || (config.kernelFunc as unknown as { [PATCHED]?: boolean })[PATCHED]) continue;
    if (name === "GatherV2") originalGather = config.kernelFunc as unknown as KernelFn;
    const marked = ((a: KernelArgs) => fn(a)) as KernelFn & { [PATCHED]?: boolean };
    marked[PATCHED] = true;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ ...config, kernelFunc: marked as unknown as tf.KernelFunc });
    report.replaced.push(name);
  }
  return report;
}
