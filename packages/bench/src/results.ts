/** The records a suite produces, and the pure arithmetic that turns measurements into them. */
import type { BackendInfo } from "./backend-choice";
import type { DeviceInfo, SgemmLimit } from "./device";
import { tokensPerSample, type FamilyConfigMap, type ModelFamily, type ModelSpec } from "./families";
import { flopsPerSample, paramCount, type Phase } from "./flops";
import type { StopReason } from "./measure";
import type { RunMode } from "./suite";
import { median, summarize, type SampleStats } from "./stats";

/**
 * per-core: one worker process on a single-threaded backend (wasm, cpu in Node), other workers idle.
 * whole-machine: one such worker per core timing the same window at once, throughputs summed; or, for
 * a backend with its own thread pool or a GPU (tfjs-node), its single process.
 */
export type RunScope = "per-core" | "whole-machine";

export interface StepTimeStats {
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  ciLowMs: number;
  ciHighMs: number;
  n: number;
}

export interface BenchRun {
  family: ModelFamily;
  config: FamilyConfigMap[ModelFamily];
  modelKey: string;
  phase: Phase;
  mode: RunMode;
  batchSize: number;
  scope: RunScope;
  workers: number;
  status: "ok" | "failed";
  error?: string;
  /** Analytic (flops.ts); equal to tfjs countParams(), checked when the model was built. */
  paramCount: number;
  flopsPerSample: number;
  flopsPerStep: number;
  tokensPerSample?: number;
  /** Present when status is ok: wall-clock step time (pooled over workers for whole-machine runs). */
  stepTime?: StepTimeStats;
  /** Process CPU time per step (median, p10, p90); see measure.ts. */
  cpuTime?: { medianMs: number; p10Ms: number; p90Ms: number };
  /**
   * Median over steps of CPU time / wall time. About 1 for a single-threaded backend that had its core;
   * well below 1 means other programs took the CPU during the run (contended, figures pessimistic).
   */
  cpuShare?: number;
  /** Rounds the configuration was measured in (runner.ts): the figures pool the samples of all of them. */
  rounds?: number;
  stable?: boolean;
  stopReason?: StopReason;
  samplesPerS?: number;
  tokensPerS?: number;
  achievedFlopsPerS?: number;
  /** achievedFlopsPerS / the backend's matmul ceiling of the same scope. */
  fractionOfCeiling?: number;
  /** achievedFlopsPerS / the machine's sgemm limit of the same scope (numpy/OpenBLAS). */
  fractionOfSgemm?: number;
  /**
   * The warm-up of the first round, untimed: the first step alone (on a GPU backend it compiles the
   * step's shaders) and all warm-up steps.
   */
  warmup?: { firstStepMs: number; steps: number; totalMs: number };
  /** From one profiled step (tf.profile): contraction FLOPs executed, kernels launched, peak tensor bytes. */
  tracedFlopsPerStep?: number;
  kernelsPerStep?: number;
  peakBytes?: number;
}

export interface MatmulProbe {
  n: number;
  medianMs: number;
  flopsPerS: number;
  stable: boolean;
  /** The same on process CPU time (what the core does when the worker has it). */
  cpuMedianMs: number;
  cpuFlopsPerS: number;
  cpuShare: number;
  /**
   * Products per timed step: 1 on a synchronous backend; on an asynchronous one (WebGPU, tfjs-node) as
   * many as fill ~20 ms, the last read back, so that the probe times the device, not one round trip.
   */
  productsPerStep?: number;
}

export interface MatmulCeiling {
  scope: RunScope;
  workers: number;
  precision: "float32";
  /**
   * "probe": the matmul probe's rate; "best-observed": a run of the suite achieved more than the probe
   * (measured under different contention, or a shape the backend runs better), and its rate is the
   * ceiling — so that no run reports more than 100% of it.
   */
  basis?: "probe" | "best-observed";
  /** The matmul probe's best median rate (whole machine: sum over workers at the best size). */
  probedFlopsPerS?: number;
  /** The run that set a best-observed ceiling. */
  bestObserved?: { modelKey: string; phase: Phase; mode: RunMode; batchSize: number; flopsPerS: number };
  /** The ceiling: max(probe, best achieved by a run of the same scope). */
  flopsPerS: number;
  /** The same from CPU time. */
  cpuFlopsPerS: number;
  bestN: number;
  probes: MatmulProbe[];
}

export interface BandwidthProbe {
  scope: RunScope;
  workers: number;
  /** float32 elements per vector of the a + b probe. */
  elements: number;
  medianMs: number;
  /** (2 reads + 1 write) × 4 bytes × elements / median step time, summed over workers. */
  bytesPerS: number;
  stable: boolean;
  /** Adds per timed step (asynchronous backends: enough for ~20 ms, the last read back). */
  addsPerStep?: number;
}

/** WebGPU device probes with this package's WGSL kernels (webgpu-probes.ts), beside tfjs's matmul ceiling. */
export interface WebGpuProbes {
  matmulKernel: string;
  copyKernel: string;
  matmul: {
    precision: "float32" | "float16";
    n: number;
    dispatchesPerStep: number;
    medianMs: number;
    flopsPerS: number;
    stable: boolean;
    /** createComputePipeline time of the kernel (shader compilation). */
    pipelineCompileMs: number;
  }[];
  bestFloat32?: { flopsPerS: number; n: number };
  /** Present where the adapter has shader-f16. */
  bestFloat16?: { flopsPerS: number; n: number };
  /** Streaming copy: bytes read + written per second. */
  bandwidth?: { bytes: number; dispatchesPerStep: number; medianMs: number; bytesPerS: number; stable: boolean };
  /** Probes that did not run, and why. */
  notes: string[];
}

export interface SuiteResult {
  suite: string;
  /** 1-minute load average at start and end (os.loadavg): above the core count, other programs competed. */
  loadAverage: { start: number; end: number };
  status: "completed" | "cancelled";
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  device: DeviceInfo;
  backend: BackendInfo;
  fingerprint: string;
  workers: number;
  sgemm: SgemmLimit | null;
  /** Why the sgemm limit is missing, when it is. */
  sgemmNote?: string;
  ceilings: { perCore?: MatmulCeiling; wholeMachine?: MatmulCeiling };
  /** Elementwise memory bandwidth through the backend (a + b on vectors larger than the caches). */
  bandwidth: { perCore?: BandwidthProbe; wholeMachine?: BandwidthProbe };
  /** WebGPU backend only: WGSL matmul (float32, float16 with shader-f16) and copy-bandwidth probes. */
  webgpuProbes?: WebGpuProbes;
  runs: BenchRun[];
}

/**
 * Set a run's share of the matmul ceiling of its scope, raising the ceiling to the run's achieved rate
 * when it is higher (basis "best-observed"): "% of ceiling" never exceeds 100%. Mutates both.
 */
export function capToCeiling(run: BenchRun, ceiling: MatmulCeiling | undefined): void {
  if (!ceiling || run.status !== "ok" || run.achievedFlopsPerS === undefined) return;
  if (ceiling.probedFlopsPerS === undefined) ceiling.probedFlopsPerS = ceiling.flopsPerS;
  if (run.achievedFlopsPerS > ceiling.flopsPerS) {
    ceiling.flopsPerS = run.achievedFlopsPerS;
    ceiling.basis = "best-observed";
    ceiling.bestObserved = { modelKey: run.modelKey, phase: run.phase, mode: run.mode, batchSize: run.batchSize, flopsPerS: run.achievedFlopsPerS };
  } else if (ceiling.basis === undefined) ceiling.basis = "probe";
  run.fractionOfCeiling = ceiling.flopsPerS > 0 ? run.achievedFlopsPerS / ceiling.flopsPerS : undefined;
}

export function stepStats(s: SampleStats): StepTimeStats {
  return { medianMs: s.median, p10Ms: s.p10, p90Ms: s.p90, ciLowMs: s.ciLow, ciHighMs: s.ciHigh, n: s.n };
}

/** The fields every run carries, measured or not. */
export function runHeader(
  spec: ModelSpec,
  key: string,
  phase: Phase,
  mode: RunMode,
  batchSize: number,
  scope: RunScope,
  workers: number,
): Omit<BenchRun, "status"> {
  const perSample = flopsPerSample(spec, phase);
  const tokens = tokensPerSample(spec);
  return {
    family: spec.family,
    config: spec.config,
    modelKey: key,
    phase,
    mode,
    batchSize,
    scope,
    workers,
    paramCount: paramCount(spec),
    flopsPerSample: perSample,
    flopsPerStep: perSample * batchSize,
    ...(tokens !== undefined ? { tokensPerSample: tokens } : {}),
  };
}

/**
 * Throughput figures of a run from the per-worker samples of step times (ms). With several workers
 * timing the same window, each worker's rate is batch / its median step time and the machine's rate
 * is their sum; the reported step-time statistics pool every worker's samples.
 */
export function cpuFigures(wallPerWorkerMs: number[][], cpuPerWorkerMs: number[][]): Pick<BenchRun, "cpuTime" | "cpuShare"> {
  const cpu = summarize(cpuPerWorkerMs.flat());
  const shares = wallPerWorkerMs.flatMap((ws, w) => ws.map((wall, i) => (wall > 0 ? cpuPerWorkerMs[w][i] / wall : 1)));
  return { cpuTime: { medianMs: cpu.median, p10Ms: cpu.p10, p90Ms: cpu.p90 }, cpuShare: median(shares) };
}

export function throughputFromSamples(
  header: Omit<BenchRun, "status">,
  samplesPerWorkerMs: number[][],
  ceilingFlopsPerS: number | undefined,
  sgemmFlopsPerS: number | undefined,
): Pick<BenchRun, "stepTime" | "samplesPerS" | "tokensPerS" | "achievedFlopsPerS" | "fractionOfCeiling" | "fractionOfSgemm"> {
  const rates = samplesPerWorkerMs.map((s) => 1000 / median(s)); // steps per second per worker
  const stepsPerS = rates.reduce((a, b) => a + b, 0);
  const samplesPerS = stepsPerS * header.batchSize;
  const achieved = stepsPerS * header.flopsPerStep;
  return {
    stepTime: stepStats(summarize(samplesPerWorkerMs.flat())),
    samplesPerS,
    ...(header.tokensPerSample !== undefined ? { tokensPerS: samplesPerS * header.tokensPerSample } : {}),
    achievedFlopsPerS: achieved,
    ...(ceilingFlopsPerS ? { fractionOfCeiling: achieved / ceilingFlopsPerS } : {}),
    ...(sgemmFlopsPerS ? { fractionOfSgemm: achieved / sgemmFlopsPerS } : {}),
  };
}
