/**
 * The timing loop. A step is a function that finishes its work before it returns or its promise
 * settles: the caller forces completion inside it (dataSync on a synchronous backend; on an
 * asynchronous one — WebGPU, tfjs-node — reading the result back and, on WebGPU, waiting for the
 * queue's submitted work), so the wall time around it is the step time.
 */
import { isStable, summarize, type SampleStats } from "./stats";

export interface MeasureOptions {
  /** Warm-up (untimed): at least this many steps … */
  warmupMinSteps: number;
  /** … and at least this long, but never past `warmupMaxMs` once `warmupMinSteps` are done. */
  warmupMinMs: number;
  warmupMaxMs: number;
  /** Timed steps: at least `minSamples`, stop when the 95% CI of the median is within ±tolerance … */
  minSamples: number;
  tolerance: number;
  /** … or when the timed budget ends (with at least `floorSamples` steps), or at `maxSamples`. */
  budgetMs: number;
  floorSamples: number;
  maxSamples: number;
  /** Whole-machine runs time a fixed window on every worker, ignoring the stability rule. */
  fixedWindow?: boolean;
}

export const DEFAULT_MEASURE: MeasureOptions = {
  warmupMinSteps: 2,
  warmupMinMs: 200,
  warmupMaxMs: 3000,
  minSamples: 10,
  tolerance: 0.05,
  budgetMs: 2000,
  floorSamples: 3,
  maxSamples: 2000,
};

export type StopReason = "stable" | "budget" | "max-samples" | "window";

export interface Measurement {
  /** Wall-clock time of each timed step. */
  samplesMs: number[];
  stats: SampleStats;
  /**
   * CPU time of this process during each timed step (user + system, all threads). For a
   * single-threaded backend it is the step's cost when it has a core: it leaves out the time the
   * process waited for a CPU taken by other programs, which wall-clock time includes.
   */
  cpuSamplesMs: number[];
  cpuStats: SampleStats;
  stable: boolean;
  stopReason: StopReason;
  warmupSteps: number;
  warmupMs: number;
  /**
   * The first warm-up step alone: on a GPU backend it includes compiling the step's shaders (pipeline
   * creation), reported apart from the timed steps.
   */
  firstStepMs: number;
  /** performance.timeOrigin + now() at the first and last timed step (comparable across processes). */
  startEpochMs: number;
  endEpochMs: number;
}

export type Step = () => void | Promise<void>;

/** Milliseconds from a monotonic clock; injectable so the loop's logic can be tested deterministically. */
export type Clock = () => number;
const defaultClock: Clock = () => performance.now();
/** CPU time of the process in ms (process.cpuUsage: user + system, microsecond resolution). */
export const processCpuClock: Clock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Run the warm-up: untimed steps that absorb compilation, allocation and cache effects. */
export interface WarmUp {
  steps: number;
  ms: number;
  firstStepMs: number;
}

export async function warmUp(step: Step, opts: MeasureOptions, now: Clock = defaultClock): Promise<WarmUp> {
  const start = now();
  let steps = 0;
  let firstStepMs = 0;
  for (;;) {
    await step();
    steps++;
    if (steps === 1) firstStepMs = now() - start;
    const elapsed = now() - start;
    if (steps >= opts.warmupMinSteps && (elapsed >= opts.warmupMinMs || elapsed >= opts.warmupMaxMs)) break;
  }
  return { steps, ms: now() - start, firstStepMs };
}

/** Time steps until the stopping rule holds. Call `warmUp` first. */
export async function timeSteps(
  step: Step,
  opts: MeasureOptions,
  warm: WarmUp,
  now: Clock = defaultClock,
  cpu: Clock = processCpuClock,
): Promise<Measurement> {
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  const start = now();
  let stopReason: StopReason = "budget";
  for (;;) {
    const c0 = cpu();
    const t0 = now();
    await step();
    samples.push(now() - t0);
    cpuSamples.push(cpu() - c0);
    const elapsed = now() - start;
    if (opts.fixedWindow) {
      if (elapsed >= opts.budgetMs && samples.length >= opts.floorSamples) {
        stopReason = "window";
        break;
      }
      continue;
    }
    if (samples.length >= opts.maxSamples) {
      stopReason = "max-samples";
      break;
    }
    if (isStable(samples, opts.tolerance, opts.minSamples)) {
      stopReason = "stable";
      break;
    }
    if (elapsed >= opts.budgetMs && samples.length >= opts.floorSamples) {
      stopReason = "budget";
      break;
    }
  }
  const stats = summarize(samples);
  return {
    samplesMs: samples,
    stats,
    cpuSamplesMs: cpuSamples,
    cpuStats: summarize(cpuSamples),
    stable: samples.length >= opts.minSamples && stats.ciHalfWidthRel <= opts.tolerance,
    stopReason,
    warmupSteps: warm.steps,
    warmupMs: warm.ms,
    firstStepMs: warm.firstStepMs,
    startEpochMs: performance.timeOrigin + start,
    endEpochMs: performance.timeOrigin + now(),
  };
}

export async function measure(
  step: Step,
  opts: MeasureOptions = DEFAULT_MEASURE,
  now: Clock = defaultClock,
  cpu: Clock = processCpuClock,
): Promise<Measurement> {
  const warm = await warmUp(step, opts, now);
  return timeSteps(step, opts, warm, now, cpu);
}
