/** What calibration fits on: the stored runs and the exact work features of each configuration. Pure. */
import { resolveModelSpec, type ModelFamily, type ModelSpec } from "../families";
import {
  activationElementsPerSample,
  flopsPerStep,
  kernelsPerStep,
  packedWeightElementsPerStep,
  paramCount,
  weightElementsPerStep,
  type Phase,
} from "../flops";
import type { RunScope } from "../results";

/** One stored run, as calibration needs it. */
export interface CalibrationRun {
  id: string;
  family: ModelFamily;
  config: unknown;
  phase: Phase;
  batchSize: number;
  scope: RunScope;
  /** Worker processes that ran at once (whole-machine runs): throughput = workers × batch / step time. */
  workers: number;
  /** Calibrated step time of one worker (input.ts: the 10th percentile of its wall-clock steps). */
  stepTimeMs: number;
  /** Measured median ÷ calibrated step time of the run (≥ 1): how much the machine typically delayed it. */
  typicalSlowdown?: number;
  /**
   * The runs measured together (one job, CLI suite or upload): they share the machine's speed of that
   * moment, which a shared machine changes from one session to the next (see the module comment). Runs
   * without a session form one session (keyed NO_SESSION).
   */
  session?: string;
}

export interface WorkFeatures {
  kernelsPerStep: number;
  flopsPerStep: number;
  activationElementsPerStep: number;
  /** Parameters (read and updated by the optimiser in training). */
  paramElements: number;
  /** Weight elements one step reads (flops.ts weightElementsPerStep). */
  weightElementsPerStep: number;
  /** Weight-matrix elements the product kernels pack per step (flops.ts packedWeightElementsPerStep). */
  packedWeightElementsPerStep: number;
}

export function workFeatures(spec: ModelSpec, phase: Phase, batchSize: number): WorkFeatures {
  return {
    kernelsPerStep: kernelsPerStep(spec, phase),
    flopsPerStep: flopsPerStep(spec, phase, batchSize),
    activationElementsPerStep: activationElementsPerSample(spec) * batchSize * (phase === "training" ? 3 : 1),
    paramElements: paramCount(spec),
    weightElementsPerStep: weightElementsPerStep(spec, phase, batchSize),
    packedWeightElementsPerStep: packedWeightElementsPerStep(spec, phase),
  };
}

/** A run with its work features. */
export interface Prepared {
  run: CalibrationRun;
  features: WorkFeatures;
}

export function prepare(runs: readonly CalibrationRun[]): Prepared[] {
  return runs.map((run) => {
    const spec = resolveModelSpec(run.family, run.config);
    return { run, features: workFeatures(spec, run.phase, run.batchSize) };
  });
}

export type Group = `${ModelFamily}/${Phase}`;
export const groupOf = (family: ModelFamily, phase: Phase): Group => `${family}/${phase}`;
