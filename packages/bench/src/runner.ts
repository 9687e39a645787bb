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
import type { BandwidthTaskResult, MatmulTaskResult, ModelTaskResult, TaskResult } from "./protocol";
import {
  cpuFigures,
  runHeader,
  throughputFromSamples,
  type BenchRun,
  type BandwidthProbe,
  type MatmulCeiling,
  type MatmulProbe,
  type RunScope,
  type SuiteResult,
} from "./results";
import { median } from "./stats";
import { resolveSuite, type PlannedRun, type SuiteInput, type SuitePlan } from "./suite";
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

/** A matmul probe from one or more workers that ran together (rates summed over workers). */
function matmulProbe(n: number, rs: MatmulTaskResult[]): MatmulProbe {
  const flops = 2 * n ** 3;
  const shares = rs.flatMap((r) => r.measurement.samplesMs.map((w, i) => (w > 0 ? r.measurement.cpuSamplesMs[i] / w : 1)));
  return {
    n,
    medianMs: Math.max(...rs.map((r) => r.measurement.stats.median)),
    flopsPerS: rs.reduce((a, r) => a + flops / (r.measurement.stats.median / 1000), 0),
    stable: rs.every((r) => r.measurement.stable),
    cpuMedianMs: Math.max(...rs.map((r) => r.measurement.cpuStats.median)),
    cpuFlopsPerS: rs.reduce((a, r) => a + flops / (r.measurement.cpuStats.median / 1000), 0),
    cpuShare: median(shares),
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
  const device = describeDevice();
  const runTimeoutMs = opts.runTimeoutMs ?? 10 * 60_000;
  const runs: BenchRun[] = [];
  let cancelled = false;

  emit({ type: "stage", message: "starting the backend" });
  const pool = await WorkerPool.start(1, { backend: opts.backend, wasmKernels: opts.wasmKernels });
  const onAbort = () => {
    cancelled = true;
    void pool.close();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (opts.signal?.aborted) onAbort();
    const backend = pool.backend;
    // Single-threaded backends get one worker per core; a backend with its own thread pool or a GPU
    // runs in one process, which is then the whole machine.
    const singleThreaded = backend.threadsPerInstance === 1;
    const workers = singleThreaded ? (plan.workers ?? device.logicalCores) : 1;
    const baseScope: RunScope = singleThreaded ? "per-core" : "whole-machine";
    const wholeMachineRepeats = singleThreaded && workers > 1 && plan.wholeMachine;
    emit({ type: "started", device, backend, fingerprint: profileFingerprint(device, backend), workers });

    const wholeRuns = wholeMachineRepeats ? plan.runs.filter((r) => r.wholeMachine).length : 0;
    const total = (plan.sgemm ? 1 : 0) + plan.probeSizes.length + 1 + (wholeMachineRepeats ? 2 : 0) + plan.runs.length + wholeRuns;
    let done = 0;
    const progress = (current: string | null) => emit({ type: "progress", fraction: total ? done / total : 1, done, total, current });

    if (!cancelled && wholeMachineRepeats) {
      emit({ type: "stage", message: `starting ${workers - 1} more worker${workers > 2 ? "s" : ""}` });
      await pool.grow(workers);
    }

    let sgemm: SgemmLimit | null = null;
    let sgemmNote: string | undefined;
    if (plan.sgemm && !cancelled) {
      progress("sgemm limit (numpy)");
      emit({ type: "stage", message: "measuring the machine's sgemm limit with numpy" });
      sgemm = await measureSgemmLimit({ threads: device.logicalCores });
      if (!sgemm) sgemmNote = "python3 with numpy not found: the machine's sgemm limit was not measured";
      done++;
    } else if (!plan.sgemm) sgemmNote = "not measured (sgemm: false)";

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

    const ceilingOf = (scope: RunScope) => (scope === "per-core" ? ceilings.perCore : ceilings.wholeMachine)?.flopsPerS;
    const sgemmOf = (scope: RunScope) => (sgemm ? (scope === "per-core" ? sgemm.perCoreFlopsPerS : sgemm.wholeMachineFlopsPerS) : undefined);

    let lastKey: string | null = null;
    for (const planned of plan.runs) {
      if (cancelled) break;
      if (lastKey !== null && lastKey !== planned.key) pool.release();
      lastKey = planned.key;

      progress(describeRun(planned, baseScope));
      const header = runHeader(planned.spec, planned.key, planned.phase, planned.mode, planned.batchSize, baseScope, 1);
      const task = { kind: "model" as const, spec: planned.spec, phase: planned.phase, batchSize: planned.batchSize, measure: plan.measure };
      let baseOk = false;
      try {
        const r = (await pool.run(0, { ...task, trace: true }, runTimeoutMs)) as ModelTaskResult;
        if (r.countParams !== header.paramCount) {
          throw new Error(`countParams() ${r.countParams} differs from the analytic parameter count ${header.paramCount}`);
        }
        const run: BenchRun = {
          ...header,
          status: "ok",
          ...throughputFromSamples(header, [r.measurement.samplesMs], ceilingOf(baseScope), sgemmOf(baseScope)),
          ...cpuFigures([r.measurement.samplesMs], [r.measurement.cpuSamplesMs]),
          stable: r.measurement.stable,
          stopReason: r.measurement.stopReason,
          ...(r.trace ? { tracedFlopsPerStep: r.trace.flops, kernelsPerStep: r.trace.kernelCount, peakBytes: r.trace.peakBytes } : {}),
        };
        baseOk = true;
        runs.push(run);
        emit({ type: "run", run });
      } catch (err) {
        if (cancelled) break;
        const run: BenchRun = { ...header, status: "failed", error: errorText(err) };
        runs.push(run);
        emit({ type: "run", run });
      }
      done++;

      if (!wholeMachineRepeats || !planned.wholeMachine || cancelled) continue;
      progress(describeRun(planned, "whole-machine"));
      const wholeHeader = runHeader(planned.spec, planned.key, planned.phase, planned.mode, planned.batchSize, "whole-machine", workers);
      if (!baseOk) {
        const run: BenchRun = { ...wholeHeader, status: "failed", error: "not run: the per-core run of this configuration failed" };
        runs.push(run);
        emit({ type: "run", run });
        done++;
        continue;
      }
      try {
        const rs = (await pool.runTogether({ ...task, trace: false, measure: { ...plan.measure, fixedWindow: true } }, runTimeoutMs)) as TaskResult[];
        const samples = (rs as ModelTaskResult[]).map((r) => r.measurement.samplesMs);
        const base = runs[runs.length - 1];
        const run: BenchRun = {
          ...wholeHeader,
          status: "ok",
          ...throughputFromSamples(wholeHeader, samples, ceilingOf("whole-machine"), sgemmOf("whole-machine")),
          ...cpuFigures(samples, (rs as ModelTaskResult[]).map((r) => r.measurement.cpuSamplesMs)),
          stable: (rs as ModelTaskResult[]).every((r) => r.measurement.stable),
          stopReason: "window",
          tracedFlopsPerStep: base.tracedFlopsPerStep,
          kernelsPerStep: base.kernelsPerStep,
          peakBytes: base.peakBytes,
        };
        runs.push(run);
        emit({ type: "run", run });
      } catch (err) {
        if (cancelled) break;
        const run: BenchRun = { ...wholeHeader, status: "failed", error: errorText(err) };
        runs.push(run);
        emit({ type: "run", run });
      }
      done++;
    }
    if (!cancelled) progress(null);

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
      runs,
    };
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await pool.close();
  }
}
