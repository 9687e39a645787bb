/** Backend names, the order of preference and the description of the backend that ran. Pure. */
import type { GpuAdapterRecord } from "./adapter";
import { BenchInputError } from "./errors";

export interface WasmPatchReport {
  /** Kernels the wasm backend lacks, now registered. */
  added: string[];
  /** Matmul kernels wrapped with the transpose-first and per-matrix fast paths. */
  wrapped: string[];
  /** Slow kernels replaced by faster implementations. */
  replaced: string[];
}

/**
 * The automatic order of preference: tfjs-node-gpu (CUDA), WebGPU (a hardware adapter only), tfjs-node
 * (native CPU), wasm, pure-JS cpu.
 */
export const BACKEND_CHOICES = ["node-gpu", "webgpu", "node", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const BACKEND_PACKAGES: Record<BackendChoice, string> = {
  "node-gpu": "@tensorflow/tfjs-node-gpu",
  webgpu: "@tensorflow/tfjs-backend-webgpu",
  node: "@tensorflow/tfjs-node",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs-backend-cpu",
};

/** Where a backend's arithmetic runs: a GPU, or the CPU (software GPU emulation included). */
export const COMPUTE_DEVICES = ["gpu", "cpu"] as const;
export type ComputeDevice = (typeof COMPUTE_DEVICES)[number];

export interface BackendAttempt {
  choice: BackendChoice;
  ok: boolean;
  reason: string;
}

export interface BackendInfo {
  /** Which of the five ran. */
  choice: BackendChoice;
  /** The tfjs backend name ('tensorflow' for both tfjs-node variants). */
  tfBackend: string;
  package: string;
  packageVersion: string | null;
  /** Why this one: the default order, an override, and what was tried before it. */
  selectedBy: "auto" | "option" | "env";
  attempts: BackendAttempt[];
  /** Threads one backend instance computes with (wasm and cpu in Node: 1). */
  threadsPerInstance: number | null;
  simd: boolean | null;
  precision: "float32";
  /**
   * Where the arithmetic runs. A WebGPU software adapter (lavapipe, SwiftShader) is "cpu": it is
   * software GPU emulation, never a GPU.
   */
  computeDevice: ComputeDevice;
  /** "software GPU emulation (not a GPU)" for a software adapter; absent otherwise. */
  emulation?: string;
  /**
   * Kernels return before the device has finished (WebGPU, tfjs-node): every timed step reads its
   * result back, which waits for the work (measure.ts, task.ts).
   */
  asynchronous: boolean;
  /** The WebGPU adapter (backend webgpu). */
  adapter?: GpuAdapterRecord;
  wasmKernels?: WasmPatchReport;
  versions: Record<string, string>;
}

/**
 * What a hardware profile keeps of the backend that measured it: the fields of its fingerprint (choice,
 * versions, compute device, adapter) and the descriptive ones. BackendInfo — what `bench` records of its
 * own run — is one; an upload from another machine (the service's POST /v1/benchmarks/results) need
 * send no more than this.
 */
export type ProfileBackend = Pick<BackendInfo, "choice" | "threadsPerInstance" | "versions"> &
  Partial<Pick<BackendInfo, "tfBackend" | "package" | "packageVersion" | "simd" | "computeDevice" | "emulation" | "asynchronous" | "adapter">>;

export function parseBackendChoice(value: string | undefined, source: string): BackendChoice | undefined {
  if (value === undefined || value === "" || value === "auto") return undefined;
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new BenchInputError([source], `unknown backend ${JSON.stringify(value)}; use one of ${BACKEND_CHOICES.join(", ")} or auto`);
}

/** One line naming the backend and, for a GPU, the device: what every table and record header shows. */
export function backendLabel(b: Pick<BackendInfo, "choice" | "computeDevice" | "emulation" | "adapter">): string {
  if (b.choice === "webgpu" && b.adapter) {
    const name = b.adapter.description || b.adapter.device || b.adapter.vendor || "unknown adapter";
    return b.emulation ? `webgpu on ${name} — ${b.emulation}` : `webgpu on GPU ${name} (${b.adapter.vendor}${b.adapter.architecture ? ` ${b.adapter.architecture}` : ""})`;
  }
  return b.computeDevice === "gpu" ? `${b.choice} on GPU` : `${b.choice} on CPU`;
}
