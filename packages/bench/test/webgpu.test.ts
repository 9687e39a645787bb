/**
 * The WebGPU backend through Dawn, on whatever Vulkan/Metal/D3D12 adapter this machine has — in CI,
 * Mesa's lavapipe (software emulation, .ci/install-mesa.sh). Checks:
 *  - the automatic order never takes a software adapter, and an explicit `webgpu` runs on it, labelled;
 *  - every reference family's forward pass and one training step (Adam) on WebGPU agree with the pure-JS
 *    `cpu` backend from the same weights and inputs;
 *  - the WGSL float32 and float16 matmul probes compute the product.
 * Where no adapter can be had the tests skip with the reason; under CI=true they fail instead.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend, releaseBackend } from "../src/backend";
import { resolveModelSpec, type ModelSpec } from "../src/families";
import { buildModel, type Batch, type BuiltModel } from "../src/models";
import type { BenchItemInput } from "../src/suite";
import { findAdapter, webGpuDevice } from "../src/webgpu";
import { WgslMatmul } from "../src/webgpu-probes";

const probe = await findAdapter();
const noAdapter = probe.ok ? null : probe.reason;
if (noAdapter) {
  const how = "install a Vulkan driver — on Debian 12: sudo .ci/install-mesa.sh (Mesa >= 24 lavapipe from bookworm-backports)";
  if (process.env.CI === "true" || process.env.CI === "1") throw new Error(`WebGPU tests cannot run in CI: ${noAdapter}; ${how}`);
  console.warn(`\n*** SKIPPING the WebGPU backend tests: ${noAdapter}\n*** To run them: ${how}\n`);
}

// Small sizes of every family (as in e2e.test.ts): the checks are numeric, not timings.
const FAMILIES: BenchItemInput[] = [
  { family: "mlp", config: { inputDim: 16, hiddenUnits: [32], classes: 4 }, batchSize: 8 },
  { family: "text-classifier", config: { vocabSize: 50, seqLen: 8, embedDim: 8, hiddenUnits: [8], classes: 3 }, batchSize: 8 },
  { family: "lstm-lm", config: { vocabSize: 20, seqLen: 4, embedDim: 8, units: 8, layers: 1 }, batchSize: 4 },
  { family: "cnn", config: { imageSize: 8, channels: 1, filters: [4], kernelSize: 3, denseUnits: 8, classes: 3 }, batchSize: 4 },
  { family: "gan", config: { latentDim: 8, imageSize: 8, channels: 1, generatorFilters: 8, discriminatorFilters: 4, kernelSize: 3 }, batchSize: 4 },
  { family: "gpt", config: { vocabSize: 30, seqLen: 8, dModel: 16, heads: 2, layers: 1, ffnMult: 2 }, batchSize: 2 },
];

interface Snapshot {
  output: Float32Array;
  loss: number;
  before: Float32Array[];
  after: Float32Array[];
}

const weightsOf = async (built: BuiltModel) => Promise.all(built.models.flatMap((m) => m.getWeights()).map(async (w) => Float32Array.from(await w.data())));

/** Forward pass, then one training step, from the given weights and batch data (same on both backends). */
async function run(spec: ModelSpec, batchSize: number, init: { weights: Float32Array[]; inputs: tf.TensorLike; targets: tf.TensorLike } | null): Promise<{ snap: Snapshot; init: NonNullable<typeof init> }> {
  const built = buildModel(spec);
  let batch: Batch;
  if (init) {
    let i = 0;
    for (const m of built.models) m.setWeights(m.getWeights().map((w) => tf.tensor(init.weights[i++], w.shape, w.dtype)));
    const ref = built.makeBatch(batchSize);
    batch = { batchSize, inputs: tf.tensor(init.inputs, ref.inputs.shape, ref.inputs.dtype), targets: tf.tensor(init.targets, ref.targets.shape, ref.targets.dtype), dispose() { this.inputs.dispose(); this.targets.dispose(); } };
    ref.dispose();
  } else batch = built.makeBatch(batchSize);
  try {
    const before = await weightsOf(built);
    const y = built.inferStep(batch);
    const output = Float32Array.from(await y.data());
    y.dispose();
    const l = built.trainStep(batch);
    const loss = (await l.data())[0];
    l.dispose();
    const after = await weightsOf(built);
    return {
      snap: { output, loss, before, after },
      init: init ?? { weights: before, inputs: (await batch.inputs.data()) as tf.TensorLike, targets: (await batch.targets.data()) as tf.TensorLike },
    };
  } finally {
    batch.dispose();
    built.dispose();
  }
}

const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe.skipIf(noAdapter !== null)("WebGPU backend (Dawn)", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
    await import("@tensorflow/tfjs-backend-webgpu"); // registers its flags (Dawn is loaded: navigator.gpu exists)
    // tfjs-backend-webgpu runs kernels whose inputs are small CPU-resident tensors on the CPU
    // (WEBGPU_CPU_FORWARD): off, so that every kernel of these small models runs as a WGSL shader.
    tf.env().set("WEBGPU_CPU_FORWARD", false);
  });
  afterAll(() => releaseBackend());

  it("never chooses a software adapter automatically; runs one when asked, labelled emulation", async () => {
    const adapter = probe.ok ? probe.record : null;
    const auto = await initBackend({ backend: "auto" });
    const webgpuAttempt = auto.attempts.find((a) => a.choice === "webgpu");
    if (adapter?.software) {
      expect(auto.choice).not.toBe("webgpu");
      expect(webgpuAttempt?.ok).toBe(false);
      expect(webgpuAttempt?.reason).toMatch(/software adapter .*software GPU emulation \(not a GPU\).*never chosen automatically/);
    } else {
      expect(auto.choice).toBe("webgpu");
      expect(auto.computeDevice).toBe("gpu");
    }
    const explicit = await initBackend({ backend: "webgpu" });
    expect(explicit.choice).toBe("webgpu");
    expect(explicit.adapter?.vendor).toBe(adapter?.vendor);
    expect(explicit.asynchronous).toBe(true);
    if (adapter?.software) {
      expect(explicit.computeDevice).toBe("cpu");
      expect(explicit.emulation).toBe("software GPU emulation (not a GPU)");
    }
  }, 60_000);

  for (const item of FAMILIES) {
    it(`${item.family}: forward pass and one Adam step agree with the cpu backend`, async () => {
      const spec = resolveModelSpec(item.family, item.config);
      await tf.setBackend("cpu");
      const cpu = await run(spec, item.batchSize!, null);
      await tf.setBackend("webgpu");
      const gpuKernelsBefore = Object.keys((tf.backend() as unknown as { pipelineCache: object }).pipelineCache).length;
      const gpu = await run(spec, item.batchSize!, cpu.init);
      // The step really ran shaders (pipelines compiled for this family's kernels).
      expect(Object.keys((tf.backend() as unknown as { pipelineCache: object }).pipelineCache).length).toBeGreaterThan(gpuKernelsBefore);
      await tf.setBackend("cpu");
      const c = cpu.snap;
      const g = gpu.snap;
      // Forward: float32 on both, different summation orders.
      expect(g.output.length).toBe(c.output.length);
      expect(maxDiff(g.output, c.output)).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(c.output)));
      expect(Math.abs(g.loss - c.loss)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(c.loss)));
      // One Adam step moves each weight by about lr·sign(gradient): the updates must agree to a small
      // fraction of lr (a gradient near zero may round differently), and must not be trivially zero.
      const lr = item.family === "gan" ? 2e-4 : 1e-3;
      let biggestUpdate = 0;
      for (let i = 0; i < c.before.length; i++) {
        const dc = c.after[i].map((x, j) => x - c.before[i][j]);
        const dg = g.after[i].map((x, j) => x - g.before[i][j]);
        expect(maxDiff(g.before[i], c.before[i])).toBe(0);
        expect(maxDiff(dg, dc), `weight ${i} update`).toBeLessThanOrEqual(0.2 * lr);
        biggestUpdate = Math.max(biggestUpdate, maxAbs(dc));
      }
      expect(biggestUpdate).toBeGreaterThan(0.5 * lr);
    }, 90_000);
  }

  it("the WGSL float32 and float16 matmul probes compute the product", async () => {
    await tf.setBackend("webgpu");
    const device = webGpuDevice()!;
    const n = 64;
    const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) / 13 - 0.5);
    const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 5) % 11) / 11 - 0.5);
    const ref = new Float32Array(n * n);
    for (let r = 0; r < n; r++) for (let k = 0; k < n; k++) for (let c = 0; c < n; c++) ref[r * n + c] += a[r * n + k] * b[k * n + c];
    for (const precision of device.features.has("shader-f16") ? (["float32", "float16"] as const) : (["float32"] as const)) {
      const mm = new WgslMatmul(device, precision, n, a, b);
      const out = await mm.result();
      mm.destroy();
      // float16: inputs rounded to 11 bits and accumulated in f16 over 64 terms.
      expect(maxDiff(out, ref), precision).toBeLessThanOrEqual(precision === "float32" ? 1e-4 : 0.05);
    }
    await tf.setBackend("cpu");
  }, 60_000);
});
