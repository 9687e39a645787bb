/**
 * The measured machines a plan costs beside the catalog's accelerators ("our own box"), read from the
 * workspace's priced hardware profiles and passed to the planner as data (it does no I/O):
 *
 * - each profile as the estimator's accelerator (its measured peak, efficiency band, bandwidth, memory)
 *   at its hourly price, for the use case's candidate models;
 * - the small reference models of the benchmark suite that fit the use case (text classifier, LSTM, CNN,
 *   MLP scorer), served from the box's measured throughput: a whole-machine run of exactly the use case's
 *   configuration is the cost (basis "measured"); another size is the profile's calibrated prediction with
 *   its band (basis "predicted", POST /v1/benchmarks/predict's machinery), said so in the option.
 *
 * Which profiles: the request's `hardwareProfiles` (ids or `local`, each priced), else every priced profile
 * of the workspace (at most MAX_PRICED_PROFILES_IN_PLAN); the scenario's own `hardware.accelerator`, when
 * it names a profile, always (and `local` is resolved to its id).
 */
import {
  BenchInputError,
  SOFTWARE_GPU_LABEL,
  checkPredictQuery,
  modelKey,
  paramCount,
  resolveModelSpec,
  type BenchRun,
  type ModelFamily,
} from "@modelplan/bench";
import { hourlyCost, rateBand, type MeasuredHardware, type MeasuredServing, type RequestProfileFields, type Scenario, type UseCase } from "@modelplan/planner";
import type { AppDatabase, HardwareProfileRow } from "@modelplan/db";
import { ApiError, type ProblemFieldError } from "../../lib/problem";
import { calibrationRuns, calibrationVersion, okRunsWithFigures } from "../benchmarks/benchmarks.repository";
import { calibrationInput, prediction } from "../benchmarks/fitting";
import type { BenchmarkLimits } from "../benchmarks/limits";
import { isMeasuredHardwareRef, resolveMeasuredHardware, resolveProfileRef } from "../benchmarks/measured-hardware";
import { pricedProfiles, storedPrice, unpricedProfiles } from "../hardware-prices/hardware-prices.repository";
import { isEmulatedProfile } from "../benchmarks/benchmarks.repository";

export interface MeasuredPlanContext {
  db: AppDatabase;
  workspaceId: string;
  limits: BenchmarkLimits;
  signal?: AbortSignal;
}

/** The benchmark family that stands for a use case's model family (the seed essays' small models). */
const FAMILY_OF: Record<string, ModelFamily> = {
  "embedding-classifier": "text-classifier",
  lstm: "lstm-lm",
  cnn: "cnn",
  mlp: "mlp",
  "two-tower": "mlp",
};

/** Modalities a scenario's own model of a benchmark family serves. */
const OWN_MODALITIES: Record<ModelFamily, string[]> = {
  "text-classifier": ["text"],
  "lstm-lm": ["text"],
  mlp: ["tabular", "recommendation"],
  cnn: [],
  gan: [],
  gpt: [],
};

const FAMILY_LABEL: Partial<Record<ModelFamily, string>> = {
  "text-classifier": "text classifier (embedding + average pooling)",
  "lstm-lm": "LSTM",
  cnn: "CNN classifier",
  mlp: "MLP scorer",
};

type OkRun = BenchRun & { id: string; stepTime: NonNullable<BenchRun["stepTime"]>; samplesPerS: number };

/**
 * The use case's model as a configuration of the family: the measured configuration resized to the
 * request (text and LSTM: the prompt's tokens; images: the request's pixels, RGB; tabular: its features).
 * Returns the configuration and what was changed, or why it cannot be sized.
 */
function sizeForRequest(family: ModelFamily, base: Record<string, unknown>, profile: RequestProfileFields): { config: Record<string, unknown>; changed: string[] } {
  const config = { ...base };
  const changed: string[] = [];
  const set = (k: string, v: number, why: string) => {
    if (config[k] !== v) changed.push(`${k} ${String(config[k])} → ${v} (${why})`);
    config[k] = v;
  };
  if ((family === "text-classifier" || family === "lstm-lm") && profile.inputTokens) set("seqLen", Math.max(2, Math.round(profile.inputTokens)), "the request's input tokens");
  if (family === "cnn" && profile.imageWidth && profile.imageHeight) {
    set("imageSize", Math.round(Math.sqrt(profile.imageWidth * profile.imageHeight)), `the request's ${profile.imageWidth}×${profile.imageHeight} pixels, as a square of equal area`);
    set("channels", 3, "colour images");
  }
  if (family === "mlp" && profile.featuresPerRequest) set("inputDim", Math.round(profile.featuresPerRequest), "the request's features");
  return { config, changed };
}

/** Samples one request carries for the benchmark model (candidates scored, images). */
function samplesPerRequest(useCase: UseCase, profile: RequestProfileFields): number {
  switch (useCase.requestProfile.modality) {
    case "recommendation":
      return Math.max(1, Math.round(profile.candidatesScored ?? 1));
    case "image":
      return Math.max(1, Math.round(profile.imagesPerRequest ?? 1));
    default:
      return 1;
  }
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toPrecision(3));

/** A request's latency at batch b: it waits for the batch in progress, then its samples are computed (2 × step × batches it needs). */
const requestLatencyMs = (stepMs: number, batch: number, samples: number) => 2 * stepMs * Math.ceil(samples / batch);

/** Powers of two up to `max`, and `max`, largest first. */
function batchesUpTo(max: number): number[] {
  const out = new Set<number>([max]);
  for (let b = 1; b < max; b *= 2) out.add(b);
  return [...out].sort((a, b) => b - a);
}

/** One family's serving of one use case on one profile (the measured configuration sized for the request), or a note saying why there is none. */
async function familyServing(
  ctx: MeasuredPlanContext,
  row: HardwareProfileRow,
  runs: OkRun[],
  useCase: UseCase,
  profile: RequestProfileFields,
  family: ModelFamily,
): Promise<{ serving: MeasuredServing | null; note: string | null }> {
  const familyRuns = runs.filter((r) => r.family === family && r.phase === "inference");
  if (familyRuns.length === 0) return { serving: null, note: `${row.id} has no ${family} inference runs: measure one (POST /v1/benchmarks) to cost a ${FAMILY_LABEL[family]} for '${useCase.slug}' on it` };
  const base = familyRuns.reduce((a, b) => (b.paramCount > a.paramCount ? b : a));
  const sized = sizeForRequest(family, base.config as unknown as Record<string, unknown>, profile);
  const sizedNote = sized.changed.length ? [`sized for the request: ${sized.changed.join("; ")} (measured: ${base.modelKey})`] : [];
  return servingOf(ctx, row, runs, useCase, profile, family, sized.config, sizedNote, false);
}

/** The scenario's own model as a benchmark configuration, when the benchmark has its family (text classifier, MLP, LSTM over tokens). */
function ownModelConfig(scenario: Scenario): { family: ModelFamily; config: Record<string, unknown>; note: string | null } | null {
  const m = scenario.model;
  if (m.strategy === "hosted-api" || !m.architecture) return null;
  const a = m.architecture as Record<string, unknown>;
  const n = (k: string) => (typeof a[k] === "number" ? (a[k] as number) : undefined);
  const list = (k: string) => (Array.isArray(a[k]) ? (a[k] as number[]) : []);
  switch (a.family) {
    case "embedding-classifier":
      return { family: "text-classifier", config: { vocabSize: n("vocab"), seqLen: n("sequenceLength"), embedDim: n("embeddingDim"), hiddenUnits: list("hiddenLayers"), classes: n("classes") }, note: null };
    case "mlp":
      return { family: "mlp", config: { inputDim: n("inputs"), hiddenUnits: list("hiddenLayers"), classes: n("outputs") }, note: null };
    case "lstm":
      if (n("vocab") === undefined) return null;
      return {
        family: "lstm-lm",
        config: { vocabSize: n("vocab"), seqLen: n("sequenceLength"), embedDim: n("embeddingDim") ?? n("hidden"), units: n("hidden"), layers: n("layers") },
        note: n("outputs") !== n("vocab") ? `the benchmark's LSTM ends in Dense(vocab ${n("vocab")}), the scenario's model in Dense(${n("outputs")}): its output layer is costed at the vocabulary's size` : null,
      };
    default:
      return null;
  }
}

/**
 * Serving a benchmark configuration for a use case on a profile: whole-machine runs of exactly it are
 * the cost (the fastest batch meeting the target); otherwise the profile's calibrated prediction at the
 * largest batch meeting the target, said so.
 */
async function servingOf(
  ctx: MeasuredPlanContext,
  row: HardwareProfileRow,
  runs: OkRun[],
  useCase: UseCase,
  profile: RequestProfileFields,
  family: ModelFamily,
  config: Record<string, unknown>,
  extraNotes: string[],
  ownModel: boolean,
): Promise<{ serving: MeasuredServing | null; note: string | null }> {
  let key: string;
  let parameters: number;
  try {
    const spec = resolveModelSpec(family, config);
    key = modelKey(spec);
    parameters = paramCount(spec);
  } catch (e) {
    if (e instanceof BenchInputError) return { serving: null, note: `the ${family} model for '${useCase.slug}' is outside the benchmark's limits (${e.path.join(".")}: ${e.reason})` };
    throw e;
  }
  const samples = samplesPerRequest(useCase, profile);
  const target = useCase.latencyTarget.p95Ms;
  const label = `${FAMILY_LABEL[family]} ${key.slice(key.indexOf("("))}`;
  const common = {
    useCase: useCase.slug,
    modelId: `bench:${key}`,
    modelLabel: label,
    parameters,
    inputTokens: useCase.requestProfile.modality === "text" ? (profile.inputTokens ?? null) : null,
    ...(ownModel ? { ownModel: true } : {}),
  };
  const perRequest = (r: { low: number; expected: number; high: number }) => ({ low: r.low / samples, expected: r.expected / samples, high: r.high / samples });
  const sampleNote = samples > 1 ? [`${samples} samples per request`] : [];

  // The benchmark is the cost: whole-machine runs of exactly this configuration, the fastest batch meeting the target.
  const exact = runs
    .filter((r) => r.modelKey === key && r.phase === "inference" && r.scope === "whole-machine")
    .map((r) => ({ run: r, latency: requestLatencyMs(r.stepTime.medianMs, r.batchSize, samples), rate: rateBand(r.samplesPerS, r.stepTime) }))
    .filter((c) => c.latency <= target)
    .sort((a, b) => b.rate.expected - a.rate.expected)[0];
  if (exact) {
    const r = exact.run;
    return {
      note: null,
      serving: {
        ...common,
        basis: "measured",
        requestsPerSecPerBox: perRequest(exact.rate),
        requestLatencyMs: exact.latency,
        batchSize: r.batchSize,
        runIds: [r.id],
        detail: `measured: ${fmt(r.samplesPerS)} samples/s on the whole machine (${r.workers} worker${r.workers === 1 ? "" : "s"}) at batch ${r.batchSize}, median step ${fmt(r.stepTime.medianMs)} ms (p10 ${fmt(r.stepTime.p10Ms)}, p90 ${fmt(r.stepTime.p90Ms)}), run ${r.id}; the benchmark is the cost, no extrapolation`,
        notes: [...extraNotes, ...sampleNote],
      },
    };
  }

  // Another size (or no whole-machine run meeting the target): the profile's calibrated prediction.
  const db = ctx.db;
  const version = calibrationVersion(db, row.id);
  const calRuns = () => calibrationInput(version, () => calibrationRuns(db, row).runs);
  const scope = runs.some((r) => r.scope === "whole-machine" && r.phase === "inference") ? "whole-machine" : "per-core";
  const familyRuns = runs.filter((r) => r.family === family && r.phase === "inference");
  const maxBatch = Math.max(1, ...familyRuns.map((r) => r.batchSize));
  for (const batchSize of batchesUpTo(maxBatch)) {
    const query = { family, config, phase: "inference" as const, batchSize, scope: scope as "whole-machine" | "per-core" };
    try {
      checkPredictQuery(query, calRuns());
    } catch (e) {
      if (e instanceof BenchInputError) return { serving: null, note: `no prediction of the ${family} model for '${useCase.slug}' on ${row.id}: ${e.reason}` };
      throw e;
    }
    const p = await prediction({ version, workspaceId: ctx.workspaceId, runs: calRuns, limits: ctx.limits, signal: ctx.signal, query });
    // The calibrated step is the undisturbed one (10th percentile); capacity and latency at the typical step, as measured runs report them.
    const stepMs = p.typicalStepTimeMs ?? p.stepTimeMs.expected;
    const latency = requestLatencyMs(stepMs, batchSize, samples);
    if (latency > target) continue;
    const typical = p.stepTimeMs.expected / stepMs;
    const rate = { low: p.samplesPerS.low * typical, expected: p.samplesPerS.expected * typical, high: p.samplesPerS.high * typical };
    const notes = [
      ...extraNotes,
      ...p.warnings,
      ...(scope === "per-core" && row.kind === "cpu" ? ["predicted for one core: the profile has no whole-machine inference runs to scale to the box's other cores, so the box's capacity is understated"] : []),
      ...sampleNote,
    ];
    return {
      note: null,
      serving: {
        ...common,
        basis: "predicted",
        requestsPerSecPerBox: perRequest(rate),
        requestLatencyMs: latency,
        batchSize,
        runIds: p.basis.runIds,
        detail: `predicted by the profile's calibration (${p.basis.runIds.length} runs; 80% band from ${p.basis.bandFrom}): ${fmt(rate.expected)} samples/s (${fmt(rate.low)}–${fmt(rate.high)}) ${scope === "whole-machine" ? "on the whole machine" : "on one core"} at batch ${batchSize}, typical step ${fmt(stepMs)} ms; a prediction, not a measurement${p.extrapolation.length ? ", extrapolating beyond the measured sizes" : ""}`,
        notes,
      },
    };
  }
  return { serving: null, note: `the ${FAMILY_LABEL[family]} for '${useCase.slug}' cannot meet its ${target} ms target on ${row.id} even at batch 1 (predicted)` };
}

/** "software GPU emulation (not a GPU)" for a lavapipe/SwiftShader profile, null for real hardware. */
function emulationOf(row: HardwareProfileRow): string | null {
  if (!isEmulatedProfile(row)) return null;
  const d = row.device as { emulation?: unknown };
  const b = row.backendInfo as { emulation?: unknown };
  const label = typeof b.emulation === "string" ? b.emulation : typeof d.emulation === "string" ? d.emulation : null;
  return label ?? SOFTWARE_GPU_LABEL;
}

/** The profile as a plan's measured machine: its accelerator(s), price and the small models' servings. */
async function measuredMachine(ctx: MeasuredPlanContext, row: HardwareProfileRow, scenario: Scenario, useCases: UseCase[]): Promise<MeasuredHardware> {
  const stored = storedPrice(row)!;
  const hourly = hourlyCost(stored.price);
  const notes: string[] = [];
  const accelerator = (phase: "inference" | "training") => {
    try {
      return resolveMeasuredHardware(ctx.db, ctx.workspaceId, row.id, phase);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      notes.push(`${phase === "inference" ? "serving" : "training"} of catalog models on ${row.id} is not estimated: ${e.errors?.[0]?.message ?? e.message}`);
      return null;
    }
  };
  const serving = accelerator("inference");
  const training = accelerator("training");
  const runs = okRunsWithFigures(ctx.db, row.id).filter((r): r is OkRun => r.stepTime !== undefined && (r.samplesPerS ?? 0) > 0);
  const servings: MeasuredServing[] = [];
  const own = ownModelConfig(scenario);
  for (const useCase of useCases) {
    const profile: RequestProfileFields = { ...useCase.requestProfile, ...(scenario.usage.requestProfile ?? {}) };
    const families = [...new Set(useCase.modelFamilies.flatMap((f) => (FAMILY_OF[f] ? [FAMILY_OF[f]] : [])))];
    for (const family of families) {
      const r = await familyServing(ctx, row, runs, useCase, profile, family);
      if (r.serving) servings.push(r.serving);
      if (r.note) notes.push(r.note);
    }
    // The scenario's own model, when the benchmark has its family: served from the box's measurements of exactly it (or their calibration).
    if (own && OWN_MODALITIES[own.family].includes(useCase.requestProfile.modality)) {
      const r = await servingOf(ctx, row, runs, useCase, profile, own.family, own.config, own.note ? [own.note] : [], true);
      if (r.serving) servings.push(r.serving);
      if (r.note) notes.push(r.note);
    }
  }
  const p = stored.price;
  return {
    profileId: row.id,
    label: `${p.kind === "owned" ? `our own box: ${row.name}` : `${p.provider} ${p.instanceType} (measured: ${row.name})`}${isEmulatedProfile(row) && !/emulation/i.test(row.name) ? ` [${emulationOf(row)}]` : ""}`,
    kind: row.kind as "cpu" | "gpu",
    emulation: emulationOf(row),
    usdPerHour: hourly.usdPerHour,
    pricing: p.kind === "owned" ? "owned" : "on-demand",
    provider: p.kind === "owned" ? "owned" : p.provider,
    priceSource: `hardware profile ${row.id} priced ${stored.setAt}: ${hourly.formula}`,
    servingAccelerator: serving?.accelerator ?? null,
    trainingAccelerator: training?.accelerator ?? null,
    precision: serving?.info.defaultPrecision ?? "fp32",
    servings,
    notes,
  };
}

/**
 * The measured machines of a plan and the scenario as the planner sees it (`local` resolved to its
 * profile id). 422 naming the field for an unknown or unpriced profile.
 */
export async function measuredHardwareForPlan<S extends Scenario>(
  ctx: MeasuredPlanContext,
  scenario: S,
  useCases: UseCase[],
  requested: string[] | undefined,
  fieldPrefix: string[] = [],
): Promise<{ scenario: S; measuredHardware: MeasuredHardware[]; unpricedHardware: { profileId: string; label: string }[] }> {
  const errors: ProblemFieldError[] = [];
  const field = (...path: (string | number)[]) => [...fieldPrefix, ...path.map(String)].join(".");
  const rows = new Map<string, HardwareProfileRow>();
  const add = (row: HardwareProfileRow, path: string) => {
    if (!storedPrice(row)) errors.push({ path, location: "body", message: `hardware profile '${row.id}' has no price: set one with PUT /v1/hardware-profiles/${row.id}/price before planning with it` });
    else rows.set(row.id, row);
  };
  const resolve = (ref: string, path: string) => {
    try {
      return resolveProfileRef(ctx.db, ctx.workspaceId, ref, path).row;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      errors.push(...(e.errors ?? [{ path, location: "body" as const, message: e.message }]));
      return null;
    }
  };
  if (requested === undefined) for (const row of pricedProfiles(ctx.db, ctx.workspaceId)) rows.set(row.id, row);
  else requested.forEach((ref, i) => {
    const row = resolve(ref, field("hardwareProfiles", i));
    if (row) add(row, field("hardwareProfiles", i));
  });
  let planned: S = scenario;
  const own = scenario.hardware?.accelerator;
  if (own !== undefined && isMeasuredHardwareRef(own)) {
    // The scenario's own hardware is a stored field: named in the API as the scenario's.
    const row = resolve(own, "hardware.accelerator");
    if (row) {
      add(row, "hardware.accelerator");
      planned = { ...scenario, hardware: { ...scenario.hardware!, accelerator: row.id } };
    }
  }
  if (errors.length) throw new ApiError(422, `${errors.length} field${errors.length === 1 ? " is" : "s are"} invalid: ${errors.map((e) => e.path).join(", ")}`, { errors });
  const measuredHardware: MeasuredHardware[] = [];
  for (const row of rows.values()) measuredHardware.push(await measuredMachine(ctx, row, planned, useCases));
  // Every priced profile by default, and the unpriced ones named in a warning (never costed at $0).
  const unpricedHardware = requested === undefined ? unpricedProfiles(ctx.db, ctx.workspaceId).map((r) => ({ profileId: r.id, label: r.name })) : [];
  return { scenario: planned, measuredHardware, unpricedHardware };
}

