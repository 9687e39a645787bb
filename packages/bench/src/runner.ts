/**
 * Run a suite: start the worker processes, measure the machine's sgemm limit and the backend's matmul
 * ceiling, then every planned run — per core on one worker while the others idle, then on all workers
 * at once for the whole machine. A run that fails (out of memory, missing kernel, crash, time cap) is
 * recorded as failed with its reason and the suite goes on. Cancellable with an AbortSignal.
 */
import type { BackendChoice, BackendInfo } from "./backend-choice";
import { describeDevice, measureSgemmLimit, profileFingerprint, type DeviceInfo, type SgemmLimit } from "./device";
import type { MeasureOptions } from "./measure";
import { WorkerPool } from "./pool";
import type { BandwidthTaskResult, MatmulTaskResult, ModelTaskResult, WgslBandwidthTaskResult, WgslMatmulTaskResult } from "./protocol";
import {
  capToCeiling,
  cpuFigures,
  runHeader,
  throughputFromSamples,
  type BenchRun,
  type BandwidthProbe,
  type MatmulCeiling,
  type MatmulProbe,
  type RunScope,
  type SuiteResult,
  type WebGpuProbes,
} from "./results";
import { median } from "./stats";
import { resolveSuite, type PlannedRun, type SuiteInput, type SuitePlan } from "./suite";
import { paramCount } from "./flops";
import { WGSL_COPY_KERNEL, WGSL_MATMUL_KERNEL, WGSL_TILE } from "./webgpu-probes";
import os from "node:os";

export type SuiteEvent =
  | { type: "stage"; message: string }
  /** The backend is up: what machine and backend the runs will be stored against. */
  | { type: "started"; device: DeviceInfo; backend: BackendInfo; fingerprint: string; workers: number }
  | { type: "progress"; fraction: number; done: number; total: number; current: string | null }
  | { type: "ceiling"; ceiling: MatmulCeiling }
  | { type: "run"; run: BenchRun };

export interface RunSuiteOptions {
  backend?: BackendChoice | "auto";
  /** Register the bench engine's wasm kernels (default on); false measures stock tfjs-backend-wasm. */
  wasmKernels?: boolean;
  onEvent?: (e: SuiteEvent) => void;
  signal?: AbortSignal;
  /** Per-run wall-clock cap (build, warm-up, profiled step and timing); the worker is killed past it. */
  runTimeoutMs?: number;
}

/** Elements per vector of the bandwidth probe: 3 × 32 MiB moved per step, far beyond the caches. */
export const BANDWIDTH_ELEMENTS = 8 * 1024 * 1024;

/** Bytes of each buffer of the WGSL copy probe (read once, written once per dispatch). */
export const WGSL_BANDWIDTH_BYTES = 64 * 2 ** 20;

/** A matmul probe from one or more workers that ran together (rates summed over workers). */
function matmulProbe(n: number, rs: MatmulTaskResult[]): MatmulProbe {
  const flops = 2 * n ** 3 * (rs[0]?.productsPerStep ?? 1);
  const shares = rs.flatMap((r) => r.measurement.samplesMs.map((w, i) => (w > 0 ? r.measurement.cpuSamplesMs[i] / w : 1)));
  return {
    n,
    medianMs: Math.max(...rs.map((r) => r.measurement.stats.median)),
    flopsPerS: rs.reduce((a, r) => a + flops / (r.measurement.stats.median / 1000), 0),
    stable: rs.every((r) => r.measurement.stable),
    cpuMedianMs: Math.max(...rs.map((r) => r.measurement.cpuStats.median)),
    cpuFlopsPerS: rs.reduce((a, r) => a + flops / (r.measurement.cpuStats.median / 1000), 0),
    cpuShare: median(shares),
    productsPerStep: rs[0]?.productsPerStep ?? 1,
  };
}

function describeRun(r: PlannedRun, scope: RunScope): string {
  return `${r.key} ${r.mode} b=${r.batchSize}${scope === "whole-machine" ? " (whole machine)" : ""}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function runSuite(input: SuiteInput | SuitePlan, opts: RunSuiteOptions = {}): Promise<SuiteResult> {
  const plan: SuitePlan = "runs" in input ? input : resolveSuite(input);
  const emit = opts.onEvent ?? (() => {});
  const started = new Date();
  const loadStart = os.loadavg()[0];
  const runTimeoutMs = opts.runTimeoutMs ?? 10 * 60_000;
  const runs: BenchRun[] = [];
  let cancelled = false;

  emit({ type: "stage", message: "starting the backend" });
  // A cancel while the backend starts stops it there, not after the start (the caller waits on the cancel).
  const pool = await WorkerPool.start(1, { backend: opts.backend, wasmKernels: opts.wasmKernels, signal: opts.signal });
  const onAbort = () => {
    cancelled = true;
    void pool.close();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (opts.signal?.aborted) onAbort();
    const backend = pool.backend;
    // The device record follows the backend: what it computes on, the WebGPU adapter, the GPU's memory.
    const device = describeDevice(backend);
    // Single-threaded backends get one worker per core; a backend with its own thread pool or a GPU
    // runs in one process, which is then the whole machine.
    const singleThreaded = backend.threadsPerInstance === 1;
    const workers = singleThreaded ? (plan.workers ?? device.logicalCores) : 1;
    const baseScope: RunScope = singleThreaded ? "per-core" : "whole-machine";
    const wholeMachineRepeats = singleThreaded && workers > 1 && plan.wholeMachine;
    emit({ type: "started", device, backend, fingerprint: profileFingerprint(device, backend), workers });

    const wholeRuns = wholeMachineRepeats ? plan.runs.filter((r) => r.wholeMachine).length : 0;
    // The sgemm limit is a CPU figure: not measured for a backend that computes on a GPU.
    const sgemmApplies = plan.sgemm && backend.computeDevice === "cpu";
    const wgslSizes = backend.choice === "webgpu" ? plan.probeSizes.filter((n) => n % WGSL_TILE === 0) : [];
    const wgslPrecisions: ("float32" | "float16")[] = backend.adapter?.shaderF16 ? ["float32", "float16"] : ["float32"];
    const wgslSteps = backend.choice === "webgpu" ? wgslSizes.length * wgslPrecisions.length + 1 : 0;
    const total = (sgemmApplies ? 1 : 0) + plan.probeSizes.length + 1 + wgslSteps + (wholeMachineRepeats ? 2 : 0) + plan.rounds * (plan.runs.length + wholeRuns);
    let done = 0;
    const progress = (current: string | null) => emit({ type: "progress", fraction: total ? done / total : 1, done, total, current });

    if (!cancelled && wholeMachineRepeats) {
      emit({ type: "stage", message: `starting ${workers - 1} more worker${workers > 2 ? "s" : ""}` });
      await pool.grow(workers);
    }

    let sgemm: SgemmLimit | null = null;
    let sgemmNote: string | undefined;
    if (sgemmApplies && !cancelled) {
      progress("sgemm limit (numpy)");
      emit({ type: "stage", message: "measuring the machine's sgemm limit with numpy" });
      sgemm = await measureSgemmLimit({ threads: device.logicalCores });
      if (!sgemm) sgemmNote = "python3 with numpy not found: the machine's sgemm limit was not measured";
      done++;
    } else if (!plan.sgemm) sgemmNote = "not measured (sgemm: false)";
    else if (!sgemmApplies) sgemmNote = "not applicable: the backend computes on a GPU (the sgemm limit is the CPU's)";

    // Matmul ceiling: square products on one worker, then all workers at once at the best size.
    const probeMeasure: MeasureOptions = { ...plan.measure, budgetMs: Math.min(plan.measure.budgetMs, 800) };
    const probes: MatmulProbe[] = [];
    for (const n of plan.probeSizes) {
      if (cancelled) break;
      progress(`matmul ${n}x${n}`);
      try {
        const r = (await pool.run(0, { kind: "matmul", n, measure: probeMeasure }, runTimeoutMs)) as MatmulTaskResult;
        probes.push(matmulProbe(n, [r]));
      } catch (err) {
        if (cancelled) break;
        emit({ type: "stage", message: `matmul probe ${n} failed: ${errorText(err)}` });
      }
      done++;
    }
    const ceilings: SuiteResult["ceilings"] = {};
    if (probes.length > 0) {
      const best = probes.reduce((a, b) => (b.flopsPerS > a.flopsPerS ? b : a));
      const first: MatmulCeiling = {
        scope: baseScope,
        workers: 1,
        precision: "float32",
        basis: "probe",
        probedFlopsPerS: best.flopsPerS,
        flopsPerS: best.flopsPerS,
        cpuFlopsPerS: Math.max(...probes.map((p) => p.cpuFlopsPerS)),
        bestN: best.n,
        probes,
      };
      if (baseScope === "per-core") ceilings.perCore = first;
      else ceilings.wholeMachine = first;
      emit({ type: "ceiling", ceiling: first });
      if (wholeMachineRepeats && !cancelled) {
        progress(`matmul ${best.n}x${best.n} on ${workers} workers`);
        try {
          const rs = (await pool.runTogether({ kind: "matmul", n: best.n, measure: { ...probeMeasure, fixedWindow: true } }, runTimeoutMs)) as MatmulTaskResult[];
          const probe = matmulProbe(best.n, rs);
          ceilings.wholeMachine = {
            scope: "whole-machine",
            workers,
            precision: "float32",
            basis: "probe",
            probedFlopsPerS: probe.flopsPerS,
            flopsPerS: probe.flopsPerS,
            cpuFlopsPerS: probe.cpuFlopsPerS,
            bestN: best.n,
            probes: [probe],
          };
          emit({ type: "ceiling", ceiling: ceilings.wholeMachine });
        } catch (err) {
          if (!cancelled) emit({ type: "stage", message: `whole-machine matmul probe failed: ${errorText(err)}` });
        }
        done++;
      }
    }

    // Memory bandwidth through the backend: one worker, then all at once.
    const bandwidth: SuiteResult["bandwidth"] = {};
    const bwTask = { kind: "bandwidth" as const, elements: BANDWIDTH_ELEMENTS, measure: probeMeasure };
    const bwProbe = (rs: BandwidthTaskResult[], scope: RunScope): BandwidthProbe => ({
      scope,
      workers: rs.length,
      elements: BANDWIDTH_ELEMENTS,
      medianMs: Math.max(...rs.map((r) => r.measurement.stats.median)),
      bytesPerS: rs.reduce((acc, r) => acc + r.bytesPerStep / (r.measurement.stats.median / 1000), 0),
      stable: rs.every((r) => r.measurement.stable),
      addsPerStep: rs[0]?.addsPerStep ?? 1,
    });
    if (!cancelled) {
      progress("memory bandwidth");
      try {
        const r = (await pool.run(0, bwTask, runTimeoutMs)) as BandwidthTaskResult;
        if (baseScope === "per-core") bandwidth.perCore = bwProbe([r], "per-core");
        else bandwidth.wholeMachine = bwProbe([r], "whole-machine");
      } catch (err) {
        if (!cancelled) emit({ type: "stage", message: `bandwidth probe failed: ${errorText(err)}` });
      }
      done++;
    }
    if (!cancelled && wholeMachineRepeats) {
      progress(`memory bandwidth on ${workers} workers`);
      try {
        const rs = (await pool.runTogether({ ...bwTask, measure: { ...probeMeasure, fixedWindow: true } }, runTimeoutMs)) as BandwidthTaskResult[];
        bandwidth.wholeMachine = bwProbe(rs, "whole-machine");
      } catch (err) {
        if (!cancelled) emit({ type: "stage", message: `whole-machine bandwidth probe failed: ${errorText(err)}` });
      }
      done++;
    }

    // WebGPU: what the device gives a plain WGSL kernel, in float32 and (shader-f16) float16, and its copy bandwidth.
    let webgpuProbes: WebGpuProbes | undefined;
    if (backend.choice === "webgpu" && !cancelled) {
      const probes: WebGpuProbes = { matmulKernel: WGSL_MATMUL_KERNEL, copyKernel: WGSL_COPY_KERNEL, matmul: [], notes: [] };
      if (!backend.adapter?.shaderF16) probes.notes.push("the adapter has no shader-f16 feature: no float16 probe");
      for (const precision of wgslPrecisions) {
        for (const n of wgslSizes) {
          if (cancelled) break;
          progress(`WGSL matmul ${precision} ${n}x${n}`);
          try {
            const r = (await pool.run(0, { kind: "wgsl-matmul", precision, n, measure: probeMeasure }, runTimeoutMs)) as WgslMatmulTaskResult;
            probes.matmul.push({
              precision,
              n,
              dispatchesPerStep: r.dispatchesPerStep,
              medianMs: r.measurement.stats.median,
              flopsPerS: (2 * n ** 3 * r.dispatchesPerStep) / (r.measurement.stats.median / 1000),
              stable: r.measurement.stable,
              pipelineCompileMs: r.pipelineCompileMs,
            });
          } catch (err) {
            if (cancelled) break;
            probes.notes.push(`WGSL ${precision} matmul ${n}: ${errorText(err)}`);
          }
          done++;
        }
      }
      if (!cancelled) {
        progress("WGSL copy bandwidth");
        try {
          const r = (await pool.run(0, { kind: "wgsl-bandwidth", bytes: WGSL_BANDWIDTH_BYTES, measure: probeMeasure }, runTimeoutMs)) as WgslBandwidthTaskResult;
          probes.bandwidth = {
            bytes: r.bytes,
            dispatchesPerStep: r.dispatchesPerStep,
            medianMs: r.measurement.stats.median,
            bytesPerS: (r.bytesPerDispatch * r.dispatchesPerStep) / (r.measurement.stats.median / 1000),
            stable: r.measurement.stable,
          };
        } catch (err) {
          if (!cancelled) probes.notes.push(`WGSL copy bandwidth: ${errorText(err)}`);
        }
        done++;
      }
      for (const precision of wgslPrecisions) {
        const of = probes.matmul.filter((p) => p.precision === precision);
        if (of.length > 0) {
          const best = of.reduce((a, b) => (b.flopsPerS > a.flopsPerS ? b : a));
          (precision === "float32" ? (probes.bestFloat32 = { flopsPerS: best.flopsPerS, n: best.n }) : (probes.bestFloat16 = { flopsPerS: best.flopsPerS, n: best.n }));
        }
      }
      webgpuProbes = probes;
    }

    const ceilingOf = (scope: RunScope) => (scope === "per-core" ? ceilings.perCore : ceilings.wholeMachine);
    const sgemmOf = (scope: RunScope) => (sgemm ? (scope === "per-core" ? sgemm.perCoreFlopsPerS : sgemm.wholeMachineFlopsPerS) : undefined);

    // Every configuration is measured in `rounds` rounds, each a pass over the whole plan with
    // budgetMs / rounds of timed steps: a machine shared with other programs changes speed over tens
    // of seconds, and samples taken at several moments describe a configuration better than one
    // stretch (the pooled samples of all rounds give the figures). The per-core run of a configuration
    // is followed by its whole-machine run, as before.
    const rounds = plan.rounds;
    const roundMeasure: MeasureOptions = { ...plan.measure, budgetMs: Math.max(100, Math.round(plan.measure.budgetMs / rounds)) };
    interface Acc {
      base: ModelTaskResult[];
      baseError?: string;
      whole: ModelTaskResult[][];
      wholeError?: string;
      trace?: ModelTaskResult["trace"];
    }
    const acc: Acc[] = plan.runs.map(() => ({ base: [], whole: [] }));
    const task = (planned: PlannedRun, measure: MeasureOptions, trace: boolean) =>
      ({ kind: "model" as const, spec: planned.spec, phase: planned.phase, batchSize: planned.batchSize, measure, trace });
    // A configuration's records, from the pooled samples of every round measured: emitted as soon as its
    // last round is measured (a cancelled suite keeps what it has).
    const finalized = new Set<number>();
    const finalize = (i: number) => {
      if (finalized.has(i)) return;
      finalized.add(i);
      const planned = plan.runs[i];
      const a = acc[i];
      const header = runHeader(planned.spec, planned.key, planned.phase, planned.mode, planned.batchSize, baseScope, 1);
      if (a.baseError !== undefined || a.base.length === 0) {
        if (a.baseError === undefined) return; // never measured (cancelled first)
        const run: BenchRun = { ...header, status: "failed", error: a.baseError };
        runs.push(run);
        emit({ type: "run", run });
      } else {
        const wall = a.base.flatMap((r) => r.measurement.samplesMs);
        const run: BenchRun = {
          ...header,
          status: "ok",
          ...throughputFromSamples(header, [wall], undefined, sgemmOf(baseScope)),
          ...cpuFigures([wall], [a.base.flatMap((r) => r.measurement.cpuSamplesMs)]),
          rounds: a.base.length,
          stable: a.base.every((r) => r.measurement.stable),
          stopReason: a.base[a.base.length - 1].measurement.stopReason,
          warmup: { firstStepMs: a.base[0].measurement.firstStepMs, steps: a.base[0].measurement.warmupSteps, totalMs: a.base[0].measurement.warmupMs },
          ...(a.trace ? { tracedFlopsPerStep: a.trace.flops, kernelsPerStep: a.trace.kernelCount, peakBytes: a.trace.peakBytes } : {}),
        };
        capToCeiling(run, ceilingOf(baseScope));
        runs.push(run);
        emit({ type: "run", run });
      }
      if (!wholeMachineRepeats || !planned.wholeMachine) return;
      const wholeHeader = runHeader(planned.spec, planned.key, planned.phase, planned.mode, planned.batchSize, "whole-machine", workers);
      const wholeError = a.baseError !== undefined ? "not run: the per-core run of this configuration failed" : a.wholeError;
      if (wholeError !== undefined) {
        const run: BenchRun = { ...wholeHeader, status: "failed", error: wholeError };
        runs.push(run);
        emit({ type: "run", run });
        return;
      }
      if (a.whole.length === 0) return;
      // Worker w's samples of every round, pooled.
      const perWorker = (get: (r: ModelTaskResult) => number[]) => Array.from({ length: a.whole[0].length }, (_, w) => a.whole.flatMap((rs) => get(rs[w])));
      const samples = perWorker((r) => r.measurement.samplesMs);
      const run: BenchRun = {
        ...wholeHeader,
        status: "ok",
        ...throughputFromSamples(wholeHeader, samples, undefined, sgemmOf("whole-machine")),
        ...cpuFigures(samples, perWorker((r) => r.measurement.cpuSamplesMs)),
        rounds: a.whole.length,
        stable: a.whole.every((rs) => rs.every((r) => r.measurement.stable)),
        stopReason: "window",
        warmup: { firstStepMs: a.whole[0][0].measurement.firstStepMs, steps: a.whole[0][0].measurement.warmupSteps, totalMs: a.whole[0][0].measurement.warmupMs },
        ...(a.trace ? { tracedFlopsPerStep: a.trace.flops, kernelsPerStep: a.trace.kernelCount, peakBytes: a.trace.peakBytes } : {}),
      };
      capToCeiling(run, ceilingOf("whole-machine"));
      runs.push(run);
      emit({ type: "run", run });
    };

    let lastKey: string | null = null;
    for (let round = 0; round < rounds && !cancelled; round++) {
      for (const [i, planned] of plan.runs.entries()) {
        if (cancelled) break;
        const a = acc[i];
        const roundTag = rounds > 1 ? ` (round ${round + 1}/${rounds})` : "";
        if (a.baseError === undefined) {
          if (lastKey !== null && lastKey !== planned.key) pool.release();
          lastKey = planned.key;
          progress(describeRun(planned, baseScope) + roundTag);
          try {
            const r = (await pool.run(0, task(planned, roundMeasure, round === 0), runTimeoutMs)) as ModelTaskResult;
            const expected = paramCount(planned.spec);
            if (r.countParams !== expected) throw new Error(`countParams() ${r.countParams} differs from the analytic parameter count ${expected}`);
            a.base.push(r);
            if (r.trace) a.trace = r.trace;
          } catch (err) {
            if (cancelled) break;
            a.baseError = errorText(err);
          }
        }
        done++;
        if (!wholeMachineRepeats || !planned.wholeMachine) {
          if (round === rounds - 1) finalize(i);
          continue;
        }
        if (a.baseError === undefined && a.wholeError === undefined && !cancelled) {
          progress(describeRun(planned, "whole-machine") + roundTag);
          try {
            const rs = (await pool.runTogether(task(planned, { ...roundMeasure, fixedWindow: true }, false), runTimeoutMs)) as ModelTaskResult[];
            a.whole.push(rs);
          } catch (err) {
            if (cancelled) break;
            a.wholeError = errorText(err);
          }
        }
        done++;
        if (round === rounds - 1) finalize(i);
      }
    }
    for (let i = 0; i < plan.runs.length; i++) finalize(i);

    if (!cancelled) progress(null);
    // A ceiling raised by a run measured after others (best observed above the probe): every run's
    // share is restated against the final ceiling of its scope, so none exceeds 100%.
    for (const run of runs) if (run.status === "ok") capToCeiling(run, ceilingOf(run.scope));

    const finished = new Date();
    return {
      suite: plan.name,
      loadAverage: { start: loadStart, end: os.loadavg()[0] },
      status: cancelled ? "cancelled" : "completed",
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      device,
      backend,
      fingerprint: profileFingerprint(device, backend),
      workers,
      sgemm,
      ...(sgemmNote ? { sgemmNote } : {}),
      ceilings,
      bandwidth,
      ...(webgpuProbes ? { webgpuProbes } : {}),
      runs,
    };
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await pool.close();
  }
}
