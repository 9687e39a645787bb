// Fits the training-throughput defaults to published runs (scripts/calibrate-mfu.ts writes them into
// data/defaults.json; a test checks the stored figures equal a fresh fit): the GPU-count law from the
// steady-state MFU of large runs, the real-run factor and band from whole runs' GPU-hours, and the
// convolutional networks' MFU from the reference CNN's published training throughput.
import type { AcceleratorRecord, RealRunCalibrationPoint, TrainingMfuDefaults } from "../catalog/records";
import { forwardFlopsPerSample, isDecoderLike, resolveModel } from "../model/resolve";
import { median } from "../stats";
import type { ModelInput, Precision } from "../types";
import { findFrameworkTable, frameworkMfu, gpuScaleFactor, trainingGoodput } from "./throughput";

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export interface AtScaleFit {
  exponent: number;
  points: { id: string; gpus: number; publishedMfu: number; frameworkMfu: number; modelMfu: number; ratio: number }[];
}

/**
 * The GPU-count law: least squares through the origin of ln(published / framework MFU) on
 * ln(gpus / reference), over the steady-state MFU of large runs (beyond the reference scale).
 */
export function fitAtScale(d: TrainingMfuDefaults): AtScaleFit {
  const ref = d.atScale.referenceGpus;
  const rows = d.atScale.calibration.map((c) => {
    const table = findFrameworkTable(d, c.accelerator, c.precision);
    if (!table) throw new Error(`calibration run ${c.id}: no framework table for ${c.accelerator} ${c.precision}`);
    const base = frameworkMfu(table, c.parameters);
    return { c, base, l: Math.log(Math.max(1, c.gpus / ref)), lr: Math.log(c.mfu / base) };
  });
  const num = rows.reduce((s, r) => s + r.lr * r.l, 0);
  const den = rows.reduce((s, r) => s + r.l * r.l, 0);
  const exponent = round4(den > 0 ? Math.max(0, -num / den) : 0);
  return {
    exponent,
    points: rows.map((r) => {
      const modelMfu = r.base * gpuScaleFactor(r.c.gpus, { referenceGpus: ref, exponent });
      return { id: r.c.id, gpus: r.c.gpus, publishedMfu: r.c.mfu, frameworkMfu: r.base, modelMfu, ratio: r.c.mfu / modelMfu };
    }),
  };
}

/** Model FLOPs of a run (forward + backward, attention at its sequence length), as the estimator counts them. */
function runModelFlops(run: RealRunCalibrationPoint): { flops: number; activeParameters: number } {
  const { preset, parameters, ...shape } = run.model;
  const input: ModelInput = preset !== undefined ? { preset } : { parameters: parameters ?? 0, ...shape };
  const m = resolveModel(input);
  if (!isDecoderLike(m)) throw new Error(`calibration run ${run.id}: not a decoder`);
  const l = m.layers, d = m.shape.heads * m.shape.headDim;
  // 3 × (2·N_matmul + 4·L·(s/2)·d_attn) per token (Kaplan et al. 2020, as the estimator counts it)
  const perToken = 3 * (2 * m.counts.matmulPerToken + 4 * l * (run.sequenceLength / 2) * d);
  return { flops: perToken * run.tokens, activeParameters: m.activeParameters };
}

export interface RealRunFit {
  families: { name: string; factor: number }[];
  otherFactor: number;
  lowFactor: number;
  highFactor: number;
  points: { id: string; family: string | null; effectiveMfu: number; frameworkMfu: number; ratio: number; ratioToFamily: number }[];
}

export function fitRealRuns(d: TrainingMfuDefaults, peakFlopsPerS: (accelerator: string, precision: Precision) => number): RealRunFit {
  const ref = d.atScale.referenceGpus;
  const rows = d.realRuns.calibration.map((run) => {
    const table = findFrameworkTable(d, run.accelerator, run.precision);
    if (!table) throw new Error(`real run ${run.id}: no framework table for ${run.accelerator} ${run.precision}`);
    const { flops, activeParameters } = runModelFlops(run);
    const effectiveMfu = flops / (run.gpuHours * 3600 * peakFlopsPerS(run.accelerator, run.precision));
    const gpus = run.gpus ?? ref;
    const base = frameworkMfu(table, activeParameters);
    const ratio = effectiveMfu / (base * gpuScaleFactor(gpus, d.atScale) * trainingGoodput(gpus).band.expected);
    const family = d.realRuns.families.find((f) => f.accelerators.includes(run.accelerator))?.name ?? null;
    return { id: run.id, family, effectiveMfu, frameworkMfu: base, ratio };
  });
  const families = d.realRuns.families.map((f) => ({ name: f.name, factor: round4(median(rows.filter((r) => r.family === f.name).map((r) => r.ratio))) }));
  const otherFactor = round4(median(rows.map((r) => r.ratio)));
  const factorOf = (family: string | null) => families.find((f) => f.name === family)?.factor ?? otherFactor;
  const points = rows.map((r) => ({ ...r, ratioToFamily: r.ratio / factorOf(r.family) }));
  return {
    families,
    otherFactor,
    lowFactor: round4(Math.min(...points.map((p) => p.ratioToFamily))),
    highFactor: round4(Math.max(...points.map((p) => p.ratioToFamily))),
    points,
  };
}

/**
 * MFU of each published convolutional training throughput: images/s per GPU × the estimator's training
 * FLOPs per image of the reference preset (forward + backward = 3 × forward) ÷ the accelerator's peak.
 */
export function fitConvolutional(d: TrainingMfuDefaults, peakFlopsPerS: (accelerator: string, precision: Precision) => number): { id: string; mfu: number; derivation: string }[] {
  const c = d.convolutional;
  const trainingFlopsPerSample = 3 * forwardFlopsPerSample(resolveModel({ preset: c.referencePreset }));
  return c.points.map((p) => {
    const perGpu = p.samplesPerSecond / p.gpus;
    const peak = peakFlopsPerS(p.accelerator, p.precision);
    return {
      id: p.id,
      mfu: round4((perGpu * trainingFlopsPerSample) / peak),
      derivation: `${p.samplesPerSecond} images/s ÷ ${p.gpus} GPUs × ${(trainingFlopsPerSample / 1e9).toFixed(2)} GFLOPs per image (3 × ${c.referencePreset} forward) ÷ ${(peak / 1e12).toFixed(1)} TFLOP/s ${p.precision} peak`,
    };
  });
}

/** Peak FLOP/s of a catalog accelerator at a precision (for the calibration only). */
export function catalogPeak(accelerators: readonly AcceleratorRecord[]): (accelerator: string, precision: Precision) => number {
  return (id, precision) => {
    const v = accelerators.find((a) => a.id === id)?.peakFlopsPerS[precision]?.value;
    if (typeof v !== "number") throw new Error(`no ${precision} peak for ${id}`);
    return v;
  };
}
