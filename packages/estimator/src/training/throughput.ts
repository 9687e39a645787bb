// Effective training throughput = MFU × goodput. MFU: framework benchmark tables by model size at small
// scale, scaled by a GPU-count law fitted to published large runs (transformers), or the published
// training throughput of a reference CNN (convolutional networks). Goodput: the share of wall-clock
// time that advances training, from published interruption rates and recovery times.
import { sortedBand, withSource } from "../band";
import { getAccelerator, getDefaults } from "../catalog";
import type { ConvolutionalTrainingPoint, FrameworkMfuTable, GoodputDefaults, TrainingMfuDefaults } from "../catalog/records";
import { median } from "../stats";
import { memoText } from "../texts";
import type { Band, Precision, SourcedBand } from "../types";

/** A table's points by model size, sorted once per (immutable) table. */
const sortedPoints = new WeakMap<FrameworkMfuTable, FrameworkMfuTable["points"]>();

/** MFU of a framework table at a model size: piecewise linear in log(parameters), clamped at the ends. */
export function frameworkMfu(table: FrameworkMfuTable, parameters: number): number {
  let pts = sortedPoints.get(table);
  if (!pts) sortedPoints.set(table, (pts = [...table.points].sort((a, b) => a.parameters - b.parameters)));
  if (parameters <= pts[0].parameters) return pts[0].mfu;
  const last = pts[pts.length - 1];
  if (parameters >= last.parameters) return last.mfu;
  for (let i = 1; i < pts.length; i++) {
    if (parameters <= pts[i].parameters) {
      const a = pts[i - 1], b = pts[i];
      const t = (Math.log(parameters) - Math.log(a.parameters)) / (Math.log(b.parameters) - Math.log(a.parameters));
      return a.mfu + t * (b.mfu - a.mfu);
    }
  }
  return last.mfu;
}

export function findFrameworkTable(mfu: TrainingMfuDefaults, accelerator: string, precision: Precision): FrameworkMfuTable | undefined {
  return mfu.frameworkTables.find((t) => t.accelerators.includes(accelerator) && t.precisions.includes(precision));
}

/**
 * MFU relative to the framework table at `gpus`: 1 up to the reference scale, then
 * (gpus / reference)^-exponent. Communication grows with the GPU count at a bounded global batch
 * (MegaScale §6.1: "the computation-to-communication ratio decreases with more GPUs").
 */
export function gpuScaleFactor(gpus: number, atScale: Pick<TrainingMfuDefaults["atScale"], "referenceGpus" | "exponent">): number {
  if (gpus <= atScale.referenceGpus) return 1;
  return (gpus / atScale.referenceGpus) ** -atScale.exponent;
}

export interface MfuEstimate {
  band: SourcedBand;
  /** framework-table MFU at this model size (null: fallback band) */
  frameworkMfu: number | null;
  realRunFactor: number;
  gpuScaleFactor: number;
  /** the training steps alone: the same band without the real-run factor, capped the same way */
  steps: Band;
}

/** What the convolutional path needs of the accelerator a run is estimated on. */
export interface RooflineAccelerator {
  id: string;
  /** peak FLOP/s at the run's precision */
  peakFlopsPerS: number;
  memoryBandwidthBytesPerS: number;
}

/**
 * Which published utilisation describes a model: the transformer tables (by model size), or the
 * reference CNN's training throughput (convolutional networks spend much of a step in memory-bound
 * normalisation and activation layers, so their MFU is well below a transformer's of the same size).
 */
export type TrainingWorkload = { kind: "transformer" } | { kind: "convolutional"; accelerator: RooflineAccelerator };

const TRANSFORMER: TrainingWorkload = { kind: "transformer" };

/** Expected MFU and goodput at a GPU count, numbers only (no sources): for the GPU-count searches. */
export function expectedUtilisation(accelerator: string, precision: Precision, activeParameters: number, gpus: number, workload: TrainingWorkload = TRANSFORMER): { mfu: number; goodput: number } {
  const d = getDefaults().training.mfu;
  const scale = gpuScaleFactor(gpus, d.atScale);
  const runs = workload.kind === "convolutional" ? convolutionalRuns(d, workload.accelerator, precision) : [];
  const table = workload.kind === "transformer" ? findFrameworkTable(d, accelerator, precision) : undefined;
  const mfu =
    runs.length > 0
      ? median(runs.map((r) => r.mfu)) * scale
      : table
        ? frameworkMfu(table, activeParameters) * realRunFactor(d, accelerator).factor * scale
        : d.fallback.expected * (realRunFactor(d, accelerator).factor * scale);
  return { mfu, goodput: expectedGoodput(getDefaults().training.goodput, gpus) };
}

/** The maximum achievable matmul FLOPS share of peak measured for an accelerator and precision (1: none measured). */
export function mamfEfficiency(accelerator: string, precision: Precision): number {
  return getDefaults().inference.serving.mamf.find((r) => r.accelerators.includes(accelerator) && r.precisions.includes(precision))?.mamfEfficiency ?? 1;
}

/** What whole published runs of this accelerator family realise of the framework table. */
export function realRunFactor(mfu: TrainingMfuDefaults, accelerator: string): { factor: number; family: string | null } {
  const family = mfu.realRuns.families.find((f) => f.accelerators.includes(accelerator));
  return family ? { factor: family.factor, family: family.name } : { factor: mfu.realRuns.otherFactor, family: null };
}

/**
 * The MFU band of a whole run for an accelerator, precision, model size (active parameters) and GPU
 * count: framework table × real-run factor of the accelerator family × GPU-count law; the band is the
 * spread of published runs around their family's factor. Without a table: the fallback band (benchmark
 * figures too) × the same real-run factor and law.
 */
export function trainingMfu(accelerator: string, precision: Precision, activeParameters: number, gpus: number, workload: TrainingWorkload = TRANSFORMER): MfuEstimate {
  const d = getDefaults().training.mfu;
  const scale = gpuScaleFactor(gpus, d.atScale);
  const runs = workload.kind === "convolutional" ? convolutionalRuns(d, workload.accelerator, precision) : [];
  if (runs.length > 0) return convolutionalMfu(d, runs, accelerator, precision, gpus, scale);
  // a CNN at a precision no run was published at only gets here with a utilisation of its own (parse refuses it otherwise)
  const table = workload.kind === "transformer" ? findFrameworkTable(d, accelerator, precision) : undefined;
  const real = d.realRuns;
  const rf = realRunFactor(d, accelerator);
  if (!table) {
    // the fallback band is benchmark figures, as a framework table is: a whole run realises the family's share of it
    const f = d.fallback;
    const k = rf.factor * scale;
    const source = memoText(f, `${accelerator}|${precision}|${workload.kind}|${gpus}`, () => {
      const why = workload.kind === "transformer" ? `no framework table for ${accelerator} ${precision}` : `no convolutional run published at ${precision}`;
      const a = d.atScale;
      return `${f.source} (${why}) [${f.date}] × ${rf.factor} real-run factor (${rf.family ? `${rf.family} runs` : "all runs"}: ${real.source}) × ${scale.toFixed(3)} at ${gpus} GPUs ((GPUs / ${a.referenceGpus})^-${a.exponent}: ${a.source})`;
    });
    const steps: Band = { low: f.low * scale, expected: f.expected * scale, high: Math.max(f.expected * scale, Math.min(mamfEfficiency(accelerator, precision), f.high * scale)) };
    return { band: withSource({ low: f.low * k, expected: f.expected * k, high: Math.min(1, f.high * k) }, source), frameworkMfu: null, realRunFactor: rf.factor, gpuScaleFactor: scale, steps };
  }
  const base = frameworkMfu(table, activeParameters);
  const expected = base * rf.factor * scale;
  const a = d.atScale;
  // no run outruns the accelerator's maximum achievable matmul throughput (MAMF) where it is measured
  const mamf = mamfEfficiency(accelerator, precision);
  const capped = (e: number) => Math.max(e, Math.min(mamf, e * real.highFactor));
  const high = capped(expected);
  const stepsExpected = base * scale;
  // every figure of the text follows from the table, these four and the (immutable) defaults
  const source = memoText(
    table,
    `${accelerator}|${precision}|${activeParameters}|${gpus}`,
    () =>
      `framework MFU ${base.toFixed(3)} at ${(activeParameters / 1e9).toPrecision(3)}B parameters (${table.source} [${table.date}]) ` +
      `× ${rf.factor} real-run factor (${rf.family ? `${rf.family} runs` : "all runs"}: ${real.source}) ` +
      `× ${scale.toFixed(3)} at ${gpus} GPUs ((GPUs / ${a.referenceGpus})^-${a.exponent}: ${a.source}); band × ${real.lowFactor}–${real.highFactor}, the spread of the runs` +
      (high < expected * real.highFactor ? `, capped at the MAMF ${mamf}` : ""),
  );
  return {
    band: withSource({ low: expected * real.lowFactor, expected, high }, source), frameworkMfu: base, realRunFactor: rf.factor, gpuScaleFactor: scale,
    steps: { low: stepsExpected * real.lowFactor, expected: stepsExpected, high: capped(stepsExpected) },
  };
}

/** BF16 and FP16 mixed precision run on the same tensor cores at the same peak; the published CNN runs are FP16 (AMP). */
const precisionClass = (p: Precision) => (p === "bf16" ? "fp16" : p);

/** Whether any reference-CNN training run was published at this precision (else the estimator refuses it). */
export function hasConvolutionalRuns(precision: Precision): boolean {
  return getDefaults().training.mfu.convolutional.points.some((p) => p.precision === precisionClass(precision));
}

interface ConvolutionalRun {
  point: ConvolutionalTrainingPoint;
  /** the run's MFU carried to the accelerator asked about: memory-bound where its peak outgrew its bandwidth */
  mfu: number;
  /** the most the run's MFU can be there: compute-bound, as on the GPU it was measured on */
  ceiling: number;
}

/**
 * The published reference-CNN runs for an accelerator and precision, with their MFU: those measured on
 * the same GPU as they are; else every GPU's runs at that precision, each carried over by the roofline
 * (Williams, Waterman & Patterson 2009): MFU × min(1, bandwidth ratio ÷ peak ratio) if the step is
 * memory-bound — a GPU whose peak grew faster than its bandwidth gains images/s only as fast as its
 * bandwidth — up to the run's own MFU if it is compute-bound. Which one binds is not published, so the
 * expected figure takes the memory-bound side and the band reaches the compute-bound one.
 */
function convolutionalRuns(d: TrainingMfuDefaults, acc: RooflineAccelerator, precision: Precision): ConvolutionalRun[] {
  const atPrecision = d.convolutional.points.filter((p) => p.precision === precisionClass(precision));
  const own = atPrecision.filter((p) => p.appliesTo.includes(acc.id));
  if (own.length > 0) return own.map((point) => ({ point, mfu: point.mfu, ceiling: point.mfu }));
  return atPrecision.map((point) => {
    const measured = getAccelerator(point.accelerator);
    const peak = measured?.peakFlopsPerS[point.precision].value;
    const bandwidth = measured?.memoryBandwidthBytesPerS.value;
    if (typeof peak !== "number" || typeof bandwidth !== "number") throw new Error(`convolutional run ${point.id}: no ${point.precision} peak or bandwidth for ${point.accelerator}`);
    const carry = Math.min(1, acc.memoryBandwidthBytesPerS / bandwidth / (acc.peakFlopsPerS / peak));
    return { point, mfu: point.mfu * carry, ceiling: point.mfu };
  });
}

/** Convolutional MFU band: the runs' lowest and median MFU, and their highest ceiling, × the GPU-count law. */
function convolutionalMfu(d: TrainingMfuDefaults, runs: ConvolutionalRun[], accelerator: string, precision: Precision, gpus: number, scale: number): MfuEstimate {
  const mfus = runs.map((r) => r.mfu);
  const [low, expected, high] = [Math.min(...mfus), median(mfus), Math.max(...runs.map((r) => r.ceiling))];
  const c = d.convolutional;
  const frameworks = [...new Set(runs.map((r) => r.point.framework.split(" (")[0]))].join(", ");
  const measuredOn = [...new Set(runs.map((r) => r.point.accelerator))].join(", ");
  const carried = runs.some((r) => !r.point.appliesTo.includes(accelerator));
  const a = d.atScale;
  const source =
    `${c.referencePreset} training throughput published for ${frameworks} on ${measuredOn} at ${precisionClass(precision)} (${runs.length} runs` +
    (carried
      ? `; none on ${accelerator}, so each run's MFU is carried over by the roofline (Williams, Waterman & Patterson 2009): × min(1, memory-bandwidth ratio ÷ peak ratio) if memory-bound (low ${low.toFixed(3)}, median ${expected.toFixed(3)}), up to its own MFU if compute-bound (high ${high.toFixed(3)})`
      : `, MFU ${low.toFixed(3)}–${high.toFixed(3)}, median ${expected.toFixed(3)}`) +
    `; ${c.source} [${c.date}]) × ${scale.toFixed(3)} at ${gpus} GPUs ((GPUs / ${a.referenceGpus})^-${a.exponent}: ${a.source}); no real-run factor is applied to convolutional runs`;
  const steps: Band = { low: low * scale, expected: expected * scale, high: high * scale };
  return { band: withSource(steps, source), frameworkMfu: expected, realRunFactor: 1, gpuScaleFactor: scale, steps };
}

export interface GoodputEstimate {
  band: SourcedBand;
  /** expected job interruptions per day at this GPU count */
  interruptionsPerDay: number;
}

const MIN_GOODPUT = 0.05;

/**
 * GPU counts at which the expected goodput model stops describing a run: past `slowest`, L·g/H ≥ 1 − floor
 * and the floor applies; the rate g × (1 − L·g/H) peaks at `fastest` = H/(2L), beyond which more GPUs make
 * the run slower (with the published interruption rate and recovery time).
 */
export function goodputLimits(): { fastest: number; floored: number; floor: number } {
  const g = getDefaults().training.goodput;
  const perGpu = g.lostHoursPerInterruption.expected / g.gpuHoursPerInterruption.value;
  return { fastest: 1 / (2 * perGpu), floored: (1 - MIN_GOODPUT) / perGpu, floor: MIN_GOODPUT };
}

/**
 * Goodput at `gpus`: interruptions arrive every M = gpuHoursPerInterruption / gpus hours (Llama 3 §3.3.4).
 * Expected and optimistic: each costs a fixed recovery time L (MegaScale §6.3), waste = L / M.
 * Pessimistic: Daly–Young optimal checkpointing (Young 1974; Daly 2006), waste = √(2δ/M) + R/M with
 * checkpoint-write time δ and restart time R (Kokolis et al. 2025's assumptions).
 */
export function trainingGoodput(gpus: number): GoodputEstimate {
  const g = getDefaults().training.goodput;
  const mtbfHours = g.gpuHoursPerInterruption.value / gpus;
  const pess = g.pessimistic;
  const band: Band = sortedBand({
    low: keepShare(Math.sqrt((2 * pess.checkpointWriteHours) / mtbfHours) + pess.restartHours / mtbfHours),
    expected: expectedGoodput(g, gpus),
    high: keepShare(g.lostHoursPerInterruption.optimistic / mtbfHours),
  });
  return { band: withSource(band, goodputSource(g)), interruptionsPerDay: 24 / mtbfHours };
}

const keepShare = (waste: number) => Math.max(MIN_GOODPUT, 1 - waste);

/** The expected goodput at `gpus`, 1 − L/M: of the band above, and of the GPU-count searches (expectedUtilisation), computed once here. */
function expectedGoodput(g: GoodputDefaults, gpus: number): number {
  return keepShare(g.lostHoursPerInterruption.expected / (g.gpuHoursPerInterruption.value / gpus));
}

/** The goodput model's sources (defaults only, so written once per catalog record: toLocaleString is slow). */
function goodputSource(g: GoodputDefaults): string {
  return memoText(
    g,
    "",
    () =>
      `one interruption per ${g.gpuHoursPerInterruption.value.toLocaleString("en-US")} GPU-hours (${g.gpuHoursPerInterruption.source}); ` +
      `expected ${Math.round(g.lostHoursPerInterruption.expected * 60)} min and optimistic ${Math.round(g.lostHoursPerInterruption.optimistic * 60)} min lost per interruption (${g.lostHoursPerInterruption.source}); ` +
      `pessimistic: ${g.pessimistic.source}`,
  );
}
