/**
 * The WebGPU backend in Node: Dawn's Node bindings (the `webgpu` npm package, a prebuilt dawn.node for
 * linux-x64/arm64, macOS and Windows in the registry tarball, nothing downloaded at install) behind
 * `@tensorflow/tfjs-backend-webgpu`. `globalThis.navigator.gpu` must exist before that backend is
 * imported (it registers itself only where WebGPU is supported).
 *
 * We request the adapter ourselves, classify it (adapter.ts: a software adapter such as lavapipe is
 * never chosen automatically), then register the tfjs backend on a device of *that* adapter with the
 * limits tfjs asks for plus `shader-f16` where the adapter has it (for the float16 matmul probe).
 * Node does not exit while a GPUDevice is alive: releaseWebGpu() destroys it.
 */
import * as tf from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import { adapterRecord, describeAdapter, SOFTWARE_GPU_LABEL, type GpuAdapterRecord } from "./adapter";

const require = createRequire(import.meta.url);

function dawnVersion(): string | null {
  try {
    return (require("webgpu/package.json") as { version: string }).version;
  } catch {
    return null;
  }
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

let gpu: GPU | null = null;
let device: GPUDevice | null = null;

/** Load Dawn and expose navigator.gpu (once per process). Throws with the loader's reason. */
async function loadDawn(): Promise<GPU> {
  if (gpu) return gpu;
  const spec: string = "webgpu"; // a variable specifier: typed loosely, loaded only when asked for
  const dawn = (await import(spec)) as DawnModule;
  // GPUBufferUsage, GPUMapMode, GPUShaderStage … are globals in a browser; tfjs-backend-webgpu uses them.
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  gpu = dawn.create([]);
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav) {
    // Node 21+ has a navigator object: add gpu to it.
    if (!nav.gpu) Object.defineProperty(nav, "gpu", { value: gpu, configurable: true });
  } else {
    Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  }
  return gpu;
}

/** GPUAdapter.info (the @webgpu/types tfjs pins predates it; Dawn has it). */
function adapterInfo(adapter: GPUAdapter): GPUAdapterInfo & { isFallbackAdapter?: boolean } {
  return (adapter as GPUAdapter & { info: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
}

export type AdapterProbe =
  | { ok: true; adapter: GPUAdapter; record: GpuAdapterRecord }
  | { ok: false; reason: string };

/** Find the high-performance adapter Dawn offers (Vulkan, Metal or D3D12) and describe it. */
export async function findAdapter(): Promise<AdapterProbe> {
  let g: GPU;
  try {
    g = await loadDawn();
  } catch (err) {
    return { ok: false, reason: `the webgpu package (Dawn) could not load: ${err instanceof Error ? err.message : String(err)}` };
  }
  const adapter = await g.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) {
    return {
      ok: false,
      reason:
        "Dawn found no WebGPU adapter (no Vulkan, Metal or D3D12 driver answered; on Linux install the GPU's Vulkan driver, or Mesa >= 24 lavapipe for software emulation)",
    };
  }
  const info = adapterInfo(adapter);
  const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const limits: Record<string, number> = {};
  for (const key in adapter.limits) {
    const v = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof v === "number") limits[key] = v;
  }
  const record = adapterRecord(
    { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacyFallback) },
    adapter.features as unknown as Iterable<string>,
    limits,
    dawnVersion(),
  );
  return { ok: true, adapter, record };
}

/**
 * Start tfjs's WebGPU backend on the adapter found. Automatic choice (`allowSoftware` false) refuses a
 * software adapter; an explicit `--backend webgpu` runs it, labelled software emulation.
 */
export async function startWebGpu(allowSoftware: boolean): Promise<{ ok: true; record: GpuAdapterRecord } | { ok: false; reason: string }> {
  releaseWebGpu(); // a second start (tests) replaces the first device
  const found = await findAdapter();
  if (!found.ok) return found;
  const { adapter, record } = found;
  if (record.software && !allowSoftware) {
    return {
      ok: false,
      reason: `only a software adapter was found: ${record.softwareReason} — ${SOFTWARE_GPU_LABEL}; never chosen automatically (ask for it with --backend webgpu)`,
    };
  }
  const backendPkg = (await import("@tensorflow/tfjs-backend-webgpu")) as typeof import("@tensorflow/tfjs-backend-webgpu");
  const required: GPUFeatureName[] = [];
  for (const f of ["timestamp-query", "shader-f16"] as GPUFeatureName[]) if (adapter.features.has(f)) required.push(f);
  const l = adapter.limits;
  // The limits tfjs-backend-webgpu 4.22 asks for (its base.ts), so its kernels see the same device.
  const dev = await adapter.requestDevice({
    requiredFeatures: required,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  device = dev;
  // Replace the factory the package registered (it would request its own adapter and device).
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
  tf.registerBackend("webgpu", () => new backendPkg.WebGPUBackend(dev, adapterInfo(adapter)), 3);
  if (!(await tf.setBackend("webgpu"))) return { ok: false, reason: `tf.setBackend('webgpu') failed on ${describeAdapter(record)}` };
  return { ok: true, record };
}

/** The GPUDevice the WebGPU backend computes on (null when it has not started). */
export function webGpuDevice(): GPUDevice | null {
  return device;
}

/** Wait until the GPU has finished every command submitted so far. */
export async function webGpuIdle(): Promise<void> {
  if (device) await device.queue.onSubmittedWorkDone();
}

/** Destroy the device (Node does not exit while it is alive). Safe to call more than once. */
export function releaseWebGpu(): void {
  if (!device) return;
  try {
    if (tf.findBackend("webgpu")) tf.removeBackend("webgpu");
  } catch {
    /* the backend may be half-initialised */
  }
  device.destroy();
  device = null;
}
