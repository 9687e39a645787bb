import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../src/backend";
import { PER_BATCH_MIN_MACS, registerWasmKernels } from "../src/wasm-kernels";

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const randn = (n: number, seed: number) => {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
};
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Run `f` on the named backend with fresh tensors made from the same arrays; return the result values. */
async function on(backend: "wasm" | "cpu", f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

function expectClose(actual: Float32Array[], expected: Float32Array[], rtol = 1e-4) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(a.length).toBe(e.length);
    const scale = Math.max(1, ...Array.from(e, Math.abs));
    let worst = 0;
    for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j] - e[j]));
    expect(worst / scale).toBeLessThan(rtol);
  });
}

async function compare(f: () => tf.Tensor | tf.Tensor[], rtol?: number) {
  expectClose(await on("wasm", f), await on("cpu", f), rtol);
}

beforeAll(async () => {
  const info = await initBackend({ backend: "wasm" });
  expect(info.wasmKernels?.added).toEqual(["UnsortedSegmentSum", "Conv2DBackpropFilter"]);
  expect(info.wasmKernels?.wrapped).toEqual(["BatchMatMul", "_FusedMatMul"]);
  expect(info.wasmKernels?.replaced).toEqual(["Conv2DBackpropInput", "GatherV2"]);
  // Registering again changes nothing.
  expect(registerWasmKernels()).toEqual({ added: [], wrapped: [], replaced: [] });
});

describe("wasm kernels registered by the bench engine, against the cpu backend on random inputs", () => {
  it("UnsortedSegmentSum (the Embedding gradient), with repeated and out-of-range ids", async () => {
    const x = randn(12 * 5, 1);
    const ids = Int32Array.from([0, 3, 3, 1, 0, 6, 2, 3, 1, 1, 0, 5]);
    await compare(() => tf.unsortedSegmentSum(tf.tensor2d(x, [12, 5]), tf.tensor1d(ids, "int32"), 7));
    // rank-2 segment ids over a rank-3 input equal the flattened case (the cpu kernel cannot broadcast this)
    expectClose(
      await on("wasm", () => tf.unsortedSegmentSum(tf.tensor3d(x, [3, 4, 5]), tf.tensor2d(ids, [3, 4], "int32") as unknown as tf.Tensor1D, 7)),
      await on("cpu", () => tf.unsortedSegmentSum(tf.tensor2d(x, [12, 5]), tf.tensor1d(ids, "int32"), 7)),
    );
  });

  it("Embedding gradient end to end (gather → loss → gradient of the table)", async () => {
    const table = randn(20 * 4, 2);
    const ids = Int32Array.from([1, 5, 5, 19, 0, 1, 7, 7, 7]);
    await compare(() => tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor1d(ids, "int32")))))(tf.tensor2d(table, [20, 4])));
  });

  const convCases: { x: [number, number, number, number]; f: [number, number, number, number]; s: number; pad: "same" | "valid" }[] = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 4], s: 1, pad: "same" },
    { x: [2, 8, 8, 2], f: [4, 4, 2, 3], s: 2, pad: "same" },
    { x: [1, 9, 6, 1], f: [3, 2, 1, 5], s: 2, pad: "valid" },
    { x: [3, 5, 5, 4], f: [1, 1, 4, 2], s: 1, pad: "valid" },
  ];

  for (const c of convCases) {
    it(`Conv2DBackpropFilter (conv weight gradient) x=${c.x} filter=${c.f} stride ${c.s} ${c.pad}`, async () => {
      const x = randn(size(c.x), 3);
      const w = randn(size(c.f), 4);
      await compare(() =>
        tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(x, c.x), f as tf.Tensor4D, c.s, c.pad))))(tf.tensor4d(w, c.f)),
      );
    });

    it(`Conv2DBackpropInput (conv input gradient) x=${c.x} filter=${c.f} stride ${c.s} ${c.pad}`, async () => {
      const x = randn(size(c.x), 5);
      const w = randn(size(c.f), 6);
      await compare(() =>
        tf.grad((xx: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, tf.tensor4d(w, c.f), c.s, c.pad))))(tf.tensor4d(x, c.x)),
      );
    });
  }

  it("Conv2DTranspose forward (Conv2DBackpropInput) as the GAN generator uses it", async () => {
    const x = randn(2 * 4 * 4 * 6, 7);
    const w = randn(4 * 4 * 3 * 6, 8);
    await compare(() => tf.conv2dTranspose(tf.tensor4d(x, [2, 4, 4, 6]), tf.tensor4d(w, [4, 4, 3, 6]), [2, 8, 8, 3], 2, "same"));
  });

  const mm: [number[], number[], boolean, boolean][] = [
    [[33, 17], [17, 29], false, false],
    [[17, 33], [17, 29], true, false],
    [[33, 17], [29, 17], false, true],
    [[17, 33], [29, 17], true, true],
    [[4, 40, 32], [4, 32, 48], false, false], // batched, above the per-matrix threshold
    [[4, 40, 32], [4, 48, 32], false, true],
    [[2, 3, 40, 32], [2, 3, 32, 48], false, false], // rank 4 (attention heads)
    [[5, 40, 32], [32, 48], false, false], // a broadcast right operand
    [[40, 32], [5, 32, 48], false, false], // a broadcast left operand
    [[6, 8, 4], [6, 4, 8], false, false], // below the threshold: the original kernel
  ];
  for (const [sa, sb, ta, tb] of mm) {
    it(`BatchMatMul ${JSON.stringify(sa)} × ${JSON.stringify(sb)} transposeA=${ta} transposeB=${tb}`, async () => {
      const a = randn(size(sa), 9);
      const b = randn(size(sb), 10);
      await compare(() => tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb));
    });
  }

  it("the per-matrix threshold is where measured (see the comment) and covers attention-sized heads", () => {
    expect(PER_BATCH_MIN_MACS).toBe(32 * 32 * 32);
    expect(64 * 32 * 64).toBeGreaterThanOrEqual(PER_BATCH_MIN_MACS);
  });

  it("_FusedMatMul with transposes, bias and relu", async () => {
    const a = randn(13 * 21, 11);
    const b = randn(21 * 17, 12);
    const bias = randn(17, 13);
    for (const [ta, tb] of [
      [true, false],
      [false, true],
    ]) {
      await compare(() =>
        tf.fused.matMul({
          a: ta ? tf.tensor2d(a, [21, 13]) : tf.tensor2d(a, [13, 21]),
          b: tb ? tf.tensor2d(b, [17, 21]) : tf.tensor2d(b, [21, 17]),
          transposeA: ta,
          transposeB: tb,
          bias: tf.tensor1d(bias),
          activation: "relu",
        }),
      );
    }
  });

  it("GatherV2 on axis 0 and axis 1, float32 and int32", async () => {
    const x = randn(6 * 5 * 3, 14);
    const ids = Int32Array.from([5, 0, 2, 2, 4]);
    await compare(() => tf.gather(tf.tensor3d(x, [6, 5, 3]), tf.tensor1d(ids, "int32"), 0));
    await compare(() => tf.gather(tf.tensor3d(x, [6, 5, 3]), tf.tensor2d(Int32Array.from([4, 0, 2, 2]), [2, 2], "int32"), 1));
    await compare(() => tf.gather(tf.tensor2d(Int32Array.from({ length: 12 }, (_, i) => i * 3), [6, 2], "int32"), tf.tensor1d(ids, "int32"), 0).toFloat());
  });

  it("a full training step of a small CNN gives the same loss and weights on wasm and cpu", async () => {
    const x = randn(4 * 8 * 8 * 2, 15);
    const w1 = randn(3 * 3 * 2 * 4, 16);
    const w2 = randn(4 * 4 * 4 * 3, 17);
    await compare(() => {
      const v1 = tf.tensor4d(w1, [3, 3, 2, 4]);
      const v2 = tf.tensor2d(w2, [64, 3]);
      const f = (a: tf.Tensor, b: tf.Tensor) => {
        const h = tf.maxPool(tf.relu(tf.conv2d(tf.tensor4d(x, [4, 8, 8, 2]), a as tf.Tensor4D, 1, "same")), 2, 2, "valid");
        return tf.sum(tf.square(tf.matMul(tf.reshape(h, [4, 64]), b)));
      };
      const [ga, gb] = tf.grads(f)([v1, v2]);
      return [ga, gb, f(v1, v2)];
    }, 2e-4);
  });
});
