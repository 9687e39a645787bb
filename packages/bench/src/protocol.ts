/** Messages between the suite runner and its worker processes. */
import type { BackendChoice, BackendInfo } from "./backend-choice";
import type { ModelSpec } from "./families";
import type { Phase } from "./flops";
import type { MeasureOptions, Measurement } from "./measure";
import type { StepTrace } from "./trace";

export type WorkerTask =
  | { kind: "matmul"; n: number; measure: MeasureOptions }
  | { kind: "bandwidth"; elements: number; measure: MeasureOptions }
  | { kind: "model"; spec: ModelSpec; phase: Phase; batchSize: number; measure: MeasureOptions; trace: boolean };

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
  measurement: Measurement;
}

export interface BandwidthTaskResult {
  kind: "bandwidth";
  elements: number;
  /** Bytes moved per step: two float32 inputs read, one output written. */
  bytesPerStep: number;
  measurement: Measurement;
}

export type TaskResult = ModelTaskResult | MatmulTaskResult | BandwidthTaskResult;

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
