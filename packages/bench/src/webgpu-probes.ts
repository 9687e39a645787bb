/**
 * Device probes on the WebGPU backend's own GPUDevice, outside TensorFlow.js's kernels: a tiled WGSL
 * matrix product in float32 and — where the adapter has `shader-f16` — float16, and a streaming copy
 * for memory bandwidth. They say what the device delivers to a straightforward WGSL kernel, beside what
 * tfjs's kernels reach (the tfjs matmul ceiling, which "% of ceiling" uses). Every timed step submits
 * its dispatches and ends when the queue reports the work done (onSubmittedWorkDone).
 */
import { timeSteps, warmUp, type MeasureOptions, type Measurement, type Step } from "./measure";

export const WGSL_MATMUL_KERNEL =
  "WGSL tiled matmul: 64×64 output tile per 16×16 workgroup, 4×4 outputs per invocation, K step 16, fma accumulation in the probed precision";
export const WGSL_COPY_KERNEL = "WGSL streaming copy dst[i] = src[i] over vec4<f32>, 256 invocations per workgroup";

/** Matrix sizes of the WGSL probe must be multiples of its 64×64 tile. */
export const WGSL_TILE = 64;

function matmulShader(precision: "float32" | "float16"): string {
  const t = precision === "float16" ? "f16" : "f32";
  return `${precision === "float16" ? "enable f16;\n" : ""}
struct Dims { n: u32 }
@group(0) @binding(0) var<storage, read> A: array<${t}>;
@group(0) @binding(1) var<storage, read> B: array<${t}>;
@group(0) @binding(2) var<storage, read_write> C: array<${t}>;
@group(0) @binding(3) var<uniform> dims: Dims;
var<workgroup> As: array<${t}, 1024>;
var<workgroup> Bs: array<${t}, 1024>;

@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let n = dims.n;
  let tx = lid.x;
  let ty = lid.y;
  let tid = ty * 16u + tx;
  let rowBase = wid.y * 64u;
  let colBase = wid.x * 64u;
  var acc: array<vec4<${t}>, 4>;
  for (var i = 0u; i < 4u; i++) { acc[i] = vec4<${t}>(0.0); }
  for (var k0 = 0u; k0 < n; k0 += 16u) {
    for (var j = 0u; j < 4u; j++) {
      let e = tid * 4u + j;
      As[e] = A[(rowBase + e / 16u) * n + k0 + e % 16u];
      Bs[e] = B[(k0 + e / 64u) * n + colBase + e % 64u];
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let o = kk * 64u + tx * 4u;
      let b = vec4<${t}>(Bs[o], Bs[o + 1u], Bs[o + 2u], Bs[o + 3u]);
      for (var i = 0u; i < 4u; i++) {
        acc[i] = fma(vec4<${t}>(As[(ty * 4u + i) * 16u + kk]), b, acc[i]);
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let base = (rowBase + ty * 4u + i) * n + colBase + tx * 4u;
    C[base] = acc[i].x;
    C[base + 1u] = acc[i].y;
    C[base + 2u] = acc[i].z;
    C[base + 3u] = acc[i].w;
  }
}
`;
}

const COPY_SHADER = `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i < arrayLength(&src)) { dst[i] = src[i]; }
}
`;

/** float32 → IEEE half bits (round to nearest; the probe's inputs are small normal numbers). */
function toHalfBits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | ((mant + 0x1000) >>> 13);
}

function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (mant / 1024);
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + mant / 1024);
}

function buffer(device: GPUDevice, data: ArrayBufferView | number, usage: number): GPUBuffer {
  const size = typeof data === "number" ? data : data.byteLength;
  const buf = device.createBuffer({ size: Math.ceil(size / 4) * 4, usage, mappedAtCreation: typeof data !== "number" });
  if (typeof data !== "number") {
    new Uint8Array(buf.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    buf.unmap();
  }
  return buf;
}

async function readBuffer(device: GPUDevice, src: GPUBuffer, size: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, size);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return out;
}

/** A compiled WGSL matmul of n×n matrices with its buffers. */
export class WgslMatmul {
  private readonly pipeline: GPUComputePipeline;
  private readonly bindGroup: GPUBindGroup;
  private readonly buffers: GPUBuffer[];
  private readonly c: GPUBuffer;
  readonly compileMs: number;

  constructor(
    private readonly device: GPUDevice,
    readonly precision: "float32" | "float16",
    readonly n: number,
    a: Float32Array,
    b: Float32Array,
  ) {
    if (n % WGSL_TILE !== 0) throw new Error(`the WGSL matmul probe needs n to be a multiple of ${WGSL_TILE} (got ${n})`);
    if (precision === "float16" && !device.features.has("shader-f16")) throw new Error("the device has no shader-f16 feature");
    const pack = (x: Float32Array) => (precision === "float16" ? Uint16Array.from(x, toHalfBits) : x);
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const bytes = n * n * (precision === "float16" ? 2 : 4);
    const bufA = buffer(device, pack(a), storage);
    const bufB = buffer(device, pack(b), storage);
    this.c = buffer(device, bytes, storage);
    const dims = buffer(device, new Uint32Array([n, 0, 0, 0]), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.buffers = [bufA, bufB, this.c, dims];
    const t0 = performance.now();
    this.pipeline = device.createComputePipeline({ layout: "auto", compute: { module: device.createShaderModule({ code: matmulShader(precision) }), entryPoint: "main" } });
    this.compileMs = performance.now() - t0;
    this.bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: this.buffers.map((buf, binding) => ({ binding, resource: { buffer: buf } })),
    });
  }

  /** Encode `count` products into one command buffer and submit it. */
  submit(count: number): void {
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    for (let i = 0; i < count; i++) pass.dispatchWorkgroups(this.n / WGSL_TILE, this.n / WGSL_TILE);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** The product, read back as float32 (tests). */
  async result(): Promise<Float32Array> {
    this.submit(1);
    const raw = await readBuffer(this.device, this.c, this.n * this.n * (this.precision === "float16" ? 2 : 4));
    return this.precision === "float16" ? Float32Array.from(new Uint16Array(raw), halfBitsToFloat) : new Float32Array(raw);
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}

/**
 * How many dispatches a step holds so that it lasts about `targetMs` (a single small dispatch would
 * time the queue's submit-and-wait latency, not the device).
 */
async function dispatchesFor(run: (count: number) => Promise<void>, targetMs: number, max = 256): Promise<number> {
  await run(1); // compile and first use
  const t0 = performance.now();
  await run(1);
  const one = Math.max(performance.now() - t0, 1e-3);
  return Math.max(1, Math.min(max, Math.round(targetMs / one)));
}

export interface WgslMatmulResult {
  precision: "float32" | "float16";
  n: number;
  dispatchesPerStep: number;
  measurement: Measurement;
  pipelineCompileMs: number;
}

export async function measureWgslMatmul(device: GPUDevice, precision: "float32" | "float16", n: number, measure: MeasureOptions, targetStepMs = 20): Promise<WgslMatmulResult> {
  const rand = (seed: number) => Float32Array.from({ length: n * n }, (_, i) => (((i * 2654435761 + seed) >>> 0) % 2001) / 1000 - 1);
  const mm = new WgslMatmul(device, precision, n, rand(1), rand(2));
  try {
    const run = async (count: number) => {
      mm.submit(count);
      await device.queue.onSubmittedWorkDone();
    };
    const k = await dispatchesFor(run, targetStepMs);
    const step: Step = () => run(k);
    const warm = await warmUp(step, measure);
    const measurement = await timeSteps(step, measure, warm);
    return { precision, n, dispatchesPerStep: k, measurement, pipelineCompileMs: mm.compileMs };
  } finally {
    mm.destroy();
  }
}

export interface WgslBandwidthResult {
  bytes: number;
  dispatchesPerStep: number;
  /** Bytes moved per dispatch: the source read and the destination written. */
  bytesPerDispatch: number;
  measurement: Measurement;
}

export async function measureWgslBandwidth(device: GPUDevice, bytes: number, measure: MeasureOptions, targetStepMs = 20): Promise<WgslBandwidthResult> {
  const size = Math.min(bytes, device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) & ~15;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const src = device.createBuffer({ size, usage });
  const dst = device.createBuffer({ size, usage });
  try {
    const pipeline = device.createComputePipeline({ layout: "auto", compute: { module: device.createShaderModule({ code: COPY_SHADER }), entryPoint: "main" } });
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: src } }, { binding: 1, resource: { buffer: dst } }] });
    const vec4s = size / 16;
    const groups = Math.ceil(vec4s / 256);
    const maxX = device.limits.maxComputeWorkgroupsPerDimension;
    const x = Math.min(groups, maxX);
    const y = Math.ceil(groups / x);
    const run = async (count: number) => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      for (let i = 0; i < count; i++) pass.dispatchWorkgroups(x, y);
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    };
    const k = await dispatchesFor(run, targetStepMs);
    const step: Step = () => run(k);
    const warm = await warmUp(step, measure);
    const measurement = await timeSteps(step, measure, warm);
    return { bytes: size, dispatchesPerStep: k, bytesPerDispatch: 2 * size, measurement };
  } finally {
    src.destroy();
    dst.destroy();
  }
}
