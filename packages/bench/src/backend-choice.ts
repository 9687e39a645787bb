/** Backend names, the order of preference and the description of the backend that ran. Pure. */
import { BenchInputError } from "./errors";

export interface WasmPatchReport {
  /** Kernels the wasm backend lacks, now registered. */
  added: string[];
  /** Matmul kernels wrapped with the transpose-first and per-matrix fast paths. */
  wrapped: string[];
  /** Slow kernels replaced by faster implementations. */
  replaced: string[];
}

export const BACKEND_CHOICES = ["node-gpu", "node", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const BACKEND_PACKAGES: Record<BackendChoice, string> = {
  "node-gpu": "@tensorflow/tfjs-node-gpu",
  node: "@tensorflow/tfjs-node",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs-backend-cpu",
};

export interface BackendAttempt {
  choice: BackendChoice;
  ok: boolean;
  reason: string;
}

export interface BackendInfo {
  /** Which of the four ran. */
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
  wasmKernels?: WasmPatchReport;
  versions: Record<string, string>;
}

export function parseBackendChoice(value: string | undefined, source: string): BackendChoice | undefined {
  if (value === undefined || value === "" || value === "auto") return undefined;
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new BenchInputError([source], `unknown backend ${JSON.stringify(value)}; use one of ${BACKEND_CHOICES.join(", ")} or auto`);
}

