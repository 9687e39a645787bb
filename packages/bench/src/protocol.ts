/** Messages between the suite runner and its worker processes. */
import type { BackendChoice, BackendInfo } from "./backend-choice";
import type { ModelSpec } from "./families";
import type { Phase } from "./flops";
import type { MeasureOptions, Measurement } from "./measure";
import type { StepTrace } from "./trace";
import type { WgslBandwidthResult, WgslMatmulResult } from "./webgpu-probes";

export type WorkerTask =
  | { kind: "matmul"; n: number; measure: MeasureOptions }
  | { kind: "bandwidth"; elements: number; measure: MeasureOptions }
  | { kind: "model"; spec: ModelSpec; phase: Phase; batchSize: number; measure: MeasureOptions; trace: boolean }
  /** WebGPU only: the WGSL device probes (webgpu-probes.ts). */
  | { kind: "wgsl-matmul"; precision: "float32" | "float16"; n: number; measure: MeasureOptions }
  | { kind: "wgsl-bandwidth"; bytes: number; measure: MeasureOptions };

export interface ModelTaskResult {
  kind: "model";
  measurement: Measurement;
  /** Sum of countParams() of the built models. */
  countParams: number;
  trace: StepTrace | null;
  /** Bytes of live tensors after the run (tf.memory().numBytes). */
  liveBytes: number;
  buildMs: number;
}

export interface MatmulTaskResult {
  kind: "matmul";
  n: number;
  /** Products per timed step: 1 on a synchronous backend; on an asynchronous one enough for ~20 ms of work. */
  productsPerStep: number;
  measurement: Measurement;
}

export interface BandwidthTaskResult {
  kind: "bandwidth";
  elements: number;
  /** Bytes moved per step: two float32 inputs read, one output written, per add (addsPerStep of them). */
  bytesPerStep: number;
  addsPerStep: number;
  measurement: Measurement;
}

export type WgslMatmulTaskResult = { kind: "wgsl-matmul" } & WgslMatmulResult;
export type WgslBandwidthTaskResult = { kind: "wgsl-bandwidth" } & WgslBandwidthResult;

export type TaskResult = ModelTaskResult | MatmulTaskResult | BandwidthTaskResult | WgslMatmulTaskResult | WgslBandwidthTaskResult;

export type ToWorker =
  | { type: "init"; backend?: BackendChoice | "auto"; wasmKernels?: boolean }
  | { type: "task"; id: number; task: WorkerTask; barrier: boolean }
  | { type: "go"; id: number }
  | { type: "release" };

export type FromWorker =
  | { type: "ready"; backend: BackendInfo }
  | { type: "init-failed"; error: string }
  | { type: "armed"; id: number }
  | { type: "result"; id: number; result: TaskResult }
  | { type: "failed"; id: number; error: string };
