/**
 * Estimates on a measured hardware profile (`"hardware": "local"` or `"hwp_…"`): the profile becomes the
 * estimator's accelerator (benchmarks/measured-hardware.ts), and a user who names it needs nothing else:
 *
 * - precision: the one the profile was measured in (fp32 for TF.js runs; fp16 where the device's float16
 *   matmul was measured) unless the request gives one;
 * - price: the profile's hourly cost (PUT /v1/hardware-profiles/{id}/price) unless the request gives one;
 * - serving: one box per replica, and without a latency target (or batch) the batch at which a request
 *   takes at most twice as long as a request alone — the estimator's default, the largest batch memory
 *   allows, is a GPU server's rule and on a CPU box makes requests take hours;
 * - a request over a minute is called out, whatever `met` says (met only compares the targets given).
 */
import * as engine from "@modelplan/estimator";
import { hourlyCost, HOURS_PER_MONTH } from "@modelplan/planner";
import type { Database } from "@modelplan/db";
import { resolveMeasuredHardware, type MeasuredHardware } from "../benchmarks/measured-hardware";
import { runEstimator } from "./estimator-errors";
import type { MeasuredHardwareBlock } from "./measured-estimates.schemas";

/** A request above this expected latency gets a warning on a measured profile. */
export const LONG_REQUEST_MS = 60_000;
/** Without a latency target: the largest batch whose request takes at most this many times a request alone. */
export const BATCH_LATENCY_FACTOR = 2;
/** The estimator's largest latency target (1 h). */
const MAX_TARGET_MS = 3.6e6;

const fmtMs = (ms: number) =>
  ms >= 3.6e6 ? `${(ms / 3.6e6).toPrecision(3)} h` : ms >= 60_000 ? `${(ms / 60_000).toPrecision(3)} min` : ms >= 1000 ? `${(ms / 1000).toPrecision(3)} s` : `${ms.toPrecision(3)} ms`;

function block(mh: MeasuredHardware, precision: "fp32" | "fp16", fromRequest: boolean, rules: string[]): MeasuredHardwareBlock {
  const hourly = mh.price ? hourlyCost(mh.price.price) : null;
  return {
    ...mh.info,
    precision,
    precisionChosenBy: fromRequest ? "request" : "default",
    energy: hourly?.kwhPerHour != null ? { kwhPerHour: hourly.kwhPerHour, monthlyKwh: null } : null,
    rules,
  };
}

/** The precision the request gives, when it is one the profile has a peak for; else the profile's default. */
function precisionOf(given: string | undefined, mh: MeasuredHardware): { precision: "fp32" | "fp16"; fromRequest: boolean; passThrough?: string } {
  if (given === undefined) return { precision: mh.info.defaultPrecision, fromRequest: false };
  if (given === "fp32" || given === "fp16") return { precision: given, fromRequest: true };
  // Another precision: passed to the estimator, which answers 422 naming the precisions the profile has.
  return { precision: mh.info.defaultPrecision, fromRequest: true, passThrough: given };
}

function unpricedWarning(mh: MeasuredHardware): string {
  return `hardware profile ${mh.info.profileId} has no price, so this estimate has no cost: PUT /v1/hardware-profiles/${mh.info.profileId}/price (a cloud instance type, or owned hardware with its purchase price, depreciation, power, PUE, electricity and hosting), or give pricePerGpuHourUsd`;
}

/** The estimator's warnings about a profile it has no catalog price or TDP for, said in the profile's terms. */
function restateWarnings(warnings: string[], mh: MeasuredHardware, energyCovered: boolean): string[] {
  const id = `profile:${mh.info.profileId}`;
  return warnings.flatMap((w) => {
    if (w.startsWith(`no cloud price for ${id}`)) return mh.price ? [] : [unpricedWarning(mh)];
    if (w.startsWith(`no TDP for ${id}`)) return energyCovered || !mh.price ? [] : [`no power figure for hardware profile ${mh.info.profileId}: energy is not estimated (give power with its price)`];
    return [w];
  });
}

// ---------------------------------------------------------------- training

export interface MeasuredTraining<T> {
  input: T;
  block: MeasuredHardwareBlock;
  mh: MeasuredHardware;
}

type TrainingFields = { hardware: engine.HardwareInput; precision?: string; pricePerGpuHourUsd?: number; provider?: string; pue?: number; powerDrawFraction?: number };

/** A training request on a measured profile, with the profile's precision, price and power filled in. */
export async function measuredTrainingInput<T extends TrainingFields>(db: Database, workspaceId: string, body: T & { hardware: string }, fieldPath = "hardware"): Promise<MeasuredTraining<T>> {
  const mh = await resolveMeasuredHardware(db, workspaceId, body.hardware, "training", fieldPath);
  const p = precisionOf(body.precision, mh);
  const price = mh.price?.price ?? null;
  const power = price?.power ?? null;
  const input: T = {
    ...body,
    hardware: { ...mh.accelerator, ...(power ? { tdpW: power.watts } : {}) },
    precision: p.passThrough ?? p.precision,
    ...(price && body.pricePerGpuHourUsd === undefined && body.provider === undefined ? { pricePerGpuHourUsd: hourlyCost(price).usdPerHour } : {}),
    ...(power && body.pue === undefined && price?.pue != null ? { pue: price.pue } : {}),
    ...(power?.basis === "measured" && body.powerDrawFraction === undefined ? { powerDrawFraction: 1 } : {}),
  };
  const rules = power ? [`energy from the power given with the price: ${power.watts} W (${power.basis}) as the box's draw${power.basis === "measured" ? " (power draw fraction 1)" : ""}, × PUE ${price!.pue}`] : [];
  return { input, block: block(mh, p.precision, p.fromRequest, rules), mh };
}

/** The training estimate's answer with the measured profile's block and restated warnings. */
export function finishMeasuredTraining<E extends engine.TrainingEstimate>(e: E, m: MeasuredTraining<unknown>): E & { measuredHardware: MeasuredHardwareBlock } {
  return { ...e, warnings: restateWarnings(e.warnings, m.mh, true), measuredHardware: m.block };
}

// ---------------------------------------------------------------- serving

type InferenceFields = {
  hardware: engine.HardwareInput;
  quantization?: string;
  kvCachePrecision?: string;
  gpusPerReplica?: number;
  latency?: { ttftMs?: number; tpotMs?: number; requestMs?: number };
  batchSize?: number;
  pricePerGpuHourUsd?: number;
  provider?: string;
};

/**
 * A serving request on a measured profile: the profile's precision (weights and KV cache), price, one box
 * per replica, and — without a latency target or batch — the batch at which a request takes at most
 * BATCH_LATENCY_FACTOR × a request alone (found with the estimator at batch 1, then set as the request
 * latency bound, which the answer's latencyTargets.requestMs shows and `rules` explains).
 */
export async function measuredInferenceInput<T extends InferenceFields>(
  db: Database,
  workspaceId: string,
  body: T & { hardware: string },
  estimate: (input: T) => engine.InferenceEstimate,
  fieldPath = "hardware",
  renamePath?: (path: string[]) => string,
): Promise<MeasuredTraining<T>> {
  const mh = await resolveMeasuredHardware(db, workspaceId, body.hardware, "inference", fieldPath);
  const p = precisionOf(body.quantization, mh);
  const price = mh.price?.price ?? null;
  const rules: string[] = [];
  let input: T = {
    ...body,
    hardware: mh.accelerator,
    quantization: p.passThrough ?? p.precision,
    ...(body.kvCachePrecision === undefined && !p.passThrough ? { kvCachePrecision: p.precision } : {}),
    ...(price && body.pricePerGpuHourUsd === undefined && body.provider === undefined ? { pricePerGpuHourUsd: hourlyCost(price).usdPerHour } : {}),
  };
  if (body.gpusPerReplica === undefined) {
    input = { ...input, gpusPerReplica: 1 };
    rules.push("one box per replica (gpusPerReplica 1): a measured profile is one machine, and boxes are added as replicas, not joined by tensor parallelism");
  }
  const hasTarget = body.latency !== undefined && Object.values(body.latency).some((v) => v !== undefined);
  if (!hasTarget && body.batchSize === undefined) {
    const alone = runEstimator(() => estimate({ ...input, batchSize: 1 }), renamePath).requestLatencyMs.expected;
    const bound = BATCH_LATENCY_FACTOR * alone;
    if (bound <= MAX_TARGET_MS) {
      input = { ...input, latency: { requestMs: bound } };
      rules.push(
        `no latency target was given: the batch is the largest at which a request takes at most ${BATCH_LATENCY_FACTOR}× as long as a request alone (${fmtMs(alone)} at batch 1 here), so latencyTargets.requestMs (${fmtMs(bound)}) is that bound, set by modelplan — not a target of yours. The estimator's default, the largest batch memory allows, is a GPU server's rule; give latency or batchSize to choose`,
      );
    } else {
      input = { ...input, batchSize: 1 };
      rules.push(`no latency target was given, and a request alone takes ${fmtMs(alone)} here: served one request at a time (batch 1); batching would only lengthen it`);
    }
  }
  return { input, block: block(mh, p.precision, p.fromRequest, rules), mh };
}

/** The serving estimate's answer with the measured profile's block, its energy, and the long-request warning. */
export function finishMeasuredInference<E extends engine.InferenceEstimate>(e: E, m: MeasuredTraining<unknown>): E & { measuredHardware: MeasuredHardwareBlock } {
  const energy = m.block.energy ? { kwhPerHour: m.block.energy.kwhPerHour, monthlyKwh: e.gpus * HOURS_PER_MONTH * m.block.energy.kwhPerHour } : null;
  const warnings = restateWarnings(e.warnings, m.mh, energy !== null);
  if (energy) warnings.push(`energy: see measuredHardware.energy (${energy.monthlyKwh.toPrecision(3)} kWh a month for ${e.gpus} box${e.gpus === 1 ? "" : "es"}, from the power and PUE given with the profile's price); monthlyEnergyKwh is not estimated`);
  const ms = e.requestLatencyMs.expected;
  if (ms > LONG_REQUEST_MS) {
    warnings.push(
      `a request takes ${fmtMs(ms)} (expected; ${fmtMs(e.requestLatencyMs.low)}–${fmtMs(e.requestLatencyMs.high)}) at batch ${e.batchSize} on ${m.block.name}: no interactive product serves at this latency` +
        (e.latencyTargets.met ? ", whatever latencyTargets.met says (it compares only the targets given)" : "") +
        `. ${m.block.kind === "cpu" ? "This profile computes on a CPU; " : ""}a smaller model, a lower precision where measured, or a faster machine is needed`,
    );
  }
  return { ...e, warnings, measuredHardware: { ...m.block, energy } };
}
